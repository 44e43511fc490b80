package org.aemp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.PortId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A three-node network per test, used as a user's test would: messages, calls, monitors, node events. */
@Timeout(60)
class AempNetworkTest {
    @RegisterExtension
    final AempNetwork net = AempNetwork.builder().nodes(3).codec("cbor").build();

    @Test
    void everyNodeIsLinkedToTheSeedWhenTheTestStarts() {
        assertThat(net.nodes()).extracting(Node::id).containsExactly("n0", "n1", "n2");
        assertThat(net.seed().upNodes()).containsExactlyInAnyOrder("n1", "n2");
        assertThat(net.seed().config().global()).isTrue();
        assertThat(net.node(2).config().seeds()).isEqualTo(net.seeds());
        assertThat(net.secret()).startsWith("aemp-testkit-").hasSizeGreaterThan(30);
    }

    @Test
    void aMessageCrossesBetweenTwoNodesThatFindEachOtherThroughTheSeed() {
        Inbox inbox = Inbox.open(net.node(2));
        net.node(1).send(inbox.port(), "hello", 1);
        assertThat(inbox.expect("hello", 1)).containsExactly("hello", 1);
        assertThat(net.node(1).codecs()).extracting(c -> c.name()).containsExactly("cbor");
    }

    @Test
    void aCallIsAnswered() {
        PortId echo = Calls.echo(net.node(1));
        assertThat(Calls.reply(net.node(2), echo, "ping", 7)).containsExactly("ping", 7);
    }

    @Test
    void aMonitorFiresWithTheReasonOfTheKill() {
        PortId victim = net.node(1).newPort((ctx, m) -> { });
        DownWatch down = DownWatch.monitor(net.node(2), victim);
        down.expectNone(Duration.ofMillis(200));
        net.node(2).kill(victim, "shutdown", "by the test");
        KillReason reason = down.await("shutdown", AempNetwork.DEFAULT_TIMEOUT);
        assertThat(reason.values()).containsExactly("shutdown", "by the test");
    }

    @Test
    void aNodeThatClosesIsSeenGoingDown() {
        NodeWatch seen = NodeWatch.of(net.seed());
        seen.awaitUp("n2", Duration.ofSeconds(5));
        net.node(2).close();
        KillReason reason = seen.awaitDown("n2");
        assertThat(reason.type()).isEqualTo(KillReason.TRANSPORT_ERROR);
        assertThat(seen.events()).extracting(NodeWatch.Event::toString).anyMatch(e -> e.startsWith("n2 down"));
    }

    @Test
    void aMissingMessageFailsSayingWhatWasExpectedAndWhatCame() {
        Inbox inbox = Inbox.open(net.node(1));
        net.node(0).send(inbox.port(), "other");
        assertThatThrownBy(() -> inbox.expect(Duration.ofSeconds(5), "wanted"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected [wanted] on " + inbox.port())
                .hasMessageContaining("the next message was [other]");
        assertThatThrownBy(() -> inbox.next(Duration.ofMillis(100)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("a message on " + inbox.port() + " did not arrive within 100 ms")
                .hasMessageContaining("arrived: [[other]]");
    }

    @Test
    void aMonitorThatFiresForAnotherReasonFailsTheWait() {
        PortId victim = net.node(1).newPort((ctx, m) -> { });
        DownWatch down = DownWatch.monitor(net.node(0), victim);
        Calls.reply(net.node(0), Calls.echo(net.node(1)), "after the monitor request"); // which then reached n1
        net.node(1).kill(victim);
        assertThatThrownBy(() -> down.await(KillReason.TRANSPORT_ERROR, AempNetwork.DEFAULT_TIMEOUT))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected port " + victim + " (monitored from n0) to go down with"
                        + " 'transport_error', but it went down with (normal)");
    }

    @Test
    void anUnansweredCallFailsNamingTheCall() {
        PortId silent = net.node(1).newPort((ctx, m) -> { });
        assertThatThrownBy(() -> Calls.reply(Duration.ofMillis(300), net.node(2), silent, "hello?"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the reply to cal [hello?] from n2 to " + silent + " did not arrive within 300 ms");
    }

    @Test
    void aLinkWithoutARelayCannotBeBroken() {
        assertThatThrownBy(() -> net.link(0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AempNetwork.builder().relay(0, 1)");
    }

    @Test
    void aBuilderRefusesARelayToANodeThatIsNotThere() {
        assertThatThrownBy(() -> AempNetwork.builder().nodes(2).relay(0, 2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("relay 0 <-> 2: the network has nodes 0 to 1");
    }

    @Test
    void aNetworkStartedByHandIsClosedByHand() throws Exception {
        Node n;
        try (AempNetwork own = AempNetwork.builder().ids("solo").build().start()) {
            n = own.node(0);
            assertThat(n.id()).isEqualTo("solo");
            assertThat(n.isClosed()).isFalse();
        }
        assertThat(n.isClosed()).isTrue();
        assertThat(List.of(net.node(0).id())).containsExactly("n0");
    }
}
