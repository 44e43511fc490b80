package org.aemp.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.aemp.KillReason;
import org.aemp.PortId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A live Perl AnyEvent::MP 2.02 node in a test network: run when {@code AEMP_PERL5LIB} is set,
 * skipped otherwise.
 */
@Timeout(90)
class PerlPeerTest {
    @RegisterExtension
    final AempNetwork net = AempNetwork.builder().nodes(2).codec("cbor", "json").perlPeers(1).build();

    @Test
    void aJavaNodeTalksToThePerlNodesEchoPort() {
        PerlPeer perl = net.perl(0);
        assertThat(perl.node()).isEqualTo("perl0");
        Inbox inbox = Inbox.open(net.node(1));
        net.node(1).send(perl.port("echo"), inbox.port().toString(), "hello", 42);
        inbox.expect("hello", 42);
    }

    @Test
    void thePerlNodeSendsToAJavaPort() {
        PerlPeer perl = net.perl(0);
        Inbox inbox = Inbox.open(net.node(1));
        perl.command("send", "to", inbox.port(), "msg", List.of("from perl", 1));
        inbox.expect("from perl", 1);
    }

    @Test
    void aMonitorOfAPerlPortFiresWhenThePerlNodeDies() throws Exception {
        PerlPeer perl = net.perl(0);
        PortId echo = perl.port("echo");
        assertThat(Calls.reply(net.node(1), perl.port("rpc"), "x")).containsExactly("rpc_reply", "x");
        DownWatch down = DownWatch.monitor(net.node(1), echo);
        NodeWatch seen = NodeWatch.of(net.node(1));
        perl.kill();
        assertThat(down.await(KillReason.TRANSPORT_ERROR, AempNetwork.DEFAULT_TIMEOUT).values())
                .startsWith(KillReason.TRANSPORT_ERROR, "perl0");
        assertThat(seen.awaitDown("perl0").type()).isEqualTo(KillReason.TRANSPORT_ERROR);
    }
}
