package org.aemp.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's "Testing with mp-testkit" example, as it stands there. */
@Timeout(60)
class ReadmeExampleTest {
    @RegisterExtension   // started before each test, closed after it (a static field: once per class)
    final AempNetwork net = AempNetwork.builder().nodes(3).codec("cbor").relay(1, 2)
            .configure(c -> c.livenessTimeout(Duration.ofSeconds(3))).build();

    @Test
    void aVanishedPeerIsReportedDown() {
        Inbox inbox = Inbox.open(net.node(2));                  // a port that keeps what it gets
        net.node(1).send(inbox.port(), "hello");
        inbox.expect("hello");
        assertEquals(List.of("ping"), Calls.reply(net.node(1), Calls.echo(net.node(2)), "ping"));
        DownWatch down = DownWatch.monitor(net.node(1), inbox.port());
        net.link(1, 2).blackHole();                             // also cut(), stall(node), delay(d), heal()
        assertEquals("transport_error", down.await(Duration.ofSeconds(10)).type());
    }
}
