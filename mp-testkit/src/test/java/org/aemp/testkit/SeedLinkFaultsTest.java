package org.aemp.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.aemp.KillReason;
import org.aemp.PortId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A relay on a node's link to the seed: the node's seed address is the relay's, and a cut there heals. */
@Timeout(60)
class SeedLinkFaultsTest {
    @RegisterExtension
    final AempNetwork net = AempNetwork.builder().nodes(2).relay(0, 1).build();

    @Test
    void theNodesSeedAddressIsTheRelays() {
        assertThat(net.node(1).config().seeds()).isNotEqualTo(net.seeds()).hasSize(1);
        assertThat(net.link(0, 1).connections()).isEqualTo(1);
    }

    @Test
    void aCutLinkToTheSeedFiresTheMonitorAndIsMadeAgain() {
        PortId echo = Calls.echo(net.node(1));
        assertThat(Calls.reply(net.node(0), echo, "ping")).isEqualTo(List.of("ping"));
        DownWatch down = DownWatch.monitor(net.node(0), echo);
        NodeWatch seen = NodeWatch.of(net.node(1));

        net.link(0, 1).cut();

        assertThat(down.await().type()).isEqualTo(KillReason.TRANSPORT_ERROR);
        assertThat(seen.awaitDown("n0").type()).isEqualTo(KillReason.TRANSPORT_ERROR);
        assertThat(Calls.reply(net.node(0), echo, "again")).isEqualTo(List.of("again"));
        seen.awaitUp("n0", AempNetwork.DEFAULT_TIMEOUT);
    }
}
