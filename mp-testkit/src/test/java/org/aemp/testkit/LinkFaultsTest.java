package org.aemp.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.PortId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults injected on a link in the middle of a stream of messages, as a user's test injects them:
 * the monitors on the far side fire with {@code transport_error}, the nodes see each other go down,
 * and messages flow again once the link is whole.
 */
@Timeout(90)
class LinkFaultsTest {
    private static final Duration LIVENESS = Duration.ofSeconds(2);
    /** The liveness timeout, the check's period (a third of it) and room for a busy machine. */
    private static final Duration NOTICED = LIVENESS.multipliedBy(3);

    @RegisterExtension
    final AempNetwork net = AempNetwork.builder().nodes(3).codec("json").relay(1, 2)
            .configure(c -> c.livenessTimeout(LIVENESS)).build();

    @Test
    void aBlackHoledLinkFiresTheMonitorsOfBothSidesWithTransportError() {
        Node a = net.node(1);
        Node b = net.node(2);
        Inbox inB = Inbox.open(b);
        Inbox inA = Inbox.open(a);
        for (int i = 0; i < 100; i++) {
            a.send(inB.port(), "before", i);
        }
        inB.await(m -> m.equals(List.of("before", 99)), "the last message before the fault", AempNetwork.DEFAULT_TIMEOUT);
        DownWatch aWatchesB = DownWatch.monitor(a, inB.port());
        DownWatch bWatchesA = DownWatch.monitor(b, inA.port());
        NodeWatch seenByA = NodeWatch.of(a);
        Calls.reply(a, Calls.echo(b), "the monitors are set"); // the monitor requests crossed before this reply

        net.link(1, 2).blackHole();
        for (int i = 0; i < 10; i++) {
            a.send(inB.port(), "lost", i); // into the black hole, mid-stream
        }

        KillReason reason = aWatchesB.await(KillReason.TRANSPORT_ERROR, NOTICED);
        assertThat(reason.values()).startsWith(KillReason.TRANSPORT_ERROR, "n2");
        assertThat(bWatchesA.await(KillReason.TRANSPORT_ERROR, NOTICED).values()).startsWith(KillReason.TRANSPORT_ERROR,
                "n1");
        assertThat(seenByA.awaitDown("n2", NOTICED).type()).isEqualTo(KillReason.TRANSPORT_ERROR);
        assertThat(inB.received()).noneMatch(m -> m.get(0).equals("lost"));
        // the seed's links were not touched
        assertThat(net.seed().upNodes()).contains("n1", "n2");
    }

    @Test
    void aCutLinkIsReportedAtOnceAndMadeAgain() {
        Node a = net.node(1);
        Node b = net.node(2);
        PortId echo = Calls.echo(b);
        assertThat(Calls.reply(a, echo, "first")).containsExactly("first");
        DownWatch down = DownWatch.monitor(a, echo);

        net.link(1, 2).cut();
        assertThat(down.await(KillReason.TRANSPORT_ERROR, AempNetwork.DEFAULT_TIMEOUT).values())
                .startsWith(KillReason.TRANSPORT_ERROR, "n2");

        // the port itself lives on; the next call makes the link again, through the relay
        assertThat(Calls.reply(a, echo, "again")).containsExactly("again");
        assertThat(net.link(1, 2).connections()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aStalledDirectionHoldsMessagesUntilResumed() {
        Node a = net.node(1);
        Node b = net.node(2);
        Inbox inB = Inbox.open(b);
        a.send(inB.port(), "through");
        inB.expect("through");

        net.link(1, 2).stall(a);
        a.send(inB.port(), "held");
        inB.expectNothing(Duration.ofMillis(500));
        net.link(1, 2).resume();
        inB.expect("held");
    }

    @Test
    void aDelayedLinkIsSlowButUp() {
        Node a = net.node(1);
        Node b = net.node(2);
        PortId echo = Calls.echo(b);
        Calls.reply(a, echo, "warm up");
        net.link(1, 2).delay(Duration.ofMillis(200));
        long start = System.nanoTime();
        assertThat(Calls.reply(a, echo, "slow")).containsExactly("slow");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(a.upNodes()).contains("n2");
    }

    @Test
    void aHealedLinkCarriesMessagesAgain() {
        Node a = net.node(1);
        Node b = net.node(2);
        PortId echo = Calls.echo(b);
        Calls.reply(a, echo, "before");
        NodeWatch seen = NodeWatch.of(a);
        net.link(1, 2).blackHole();
        seen.awaitDown("n2", NOTICED);
        net.link(1, 2).heal();
        assertThat(Calls.reply(a, echo, "after")).containsExactly("after");
    }
}
