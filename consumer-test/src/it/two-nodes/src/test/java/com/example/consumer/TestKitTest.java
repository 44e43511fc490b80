package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.aemp.KillReason;
import org.aemp.PortId;
import org.aemp.testkit.AempNetwork;
import org.aemp.testkit.Calls;
import org.aemp.testkit.DownWatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a user's test with mp-testkit does: two nodes per test, their link through a relay, cut on purpose. */
class TestKitTest {
    @RegisterExtension
    final AempNetwork net = AempNetwork.builder().nodes(2).relay(0, 1).build();

    @Test
    @Timeout(60)
    void aCutLinkFiresTheMonitorAndIsMadeAgain() {
        PortId echo = Calls.echo(net.node(1));
        assertEquals(List.of("ping"), Calls.reply(net.node(0), echo, "ping"));
        DownWatch down = DownWatch.monitor(net.node(0), echo);

        net.link(0, 1).cut();

        assertEquals(KillReason.TRANSPORT_ERROR, down.await().type());
        assertEquals(List.of("again"), Calls.reply(net.node(0), echo, "again"));
    }
}
