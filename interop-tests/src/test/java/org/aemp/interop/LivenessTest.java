package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.aemp.Guard;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testkit.AempNetwork;
import org.aemp.testkit.ChildProcess;
import org.aemp.testkit.PerlPeer;
import org.aemp.testkit.TcpRelay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Links whose peer is gone without a word, as a relay ({@link TcpRelay}, or mp-testkit's
 * {@link AempNetwork} with a relayed link) or a signal makes it: a
 * connection reset on one side only, a black hole, a stalled direction, a stopped process. A link
 * that hears nothing for {@code liveness_timeout} is reported down with {@code transport_error}
 * for its monitors; a node that reconnects is not locked out by the stale link its peer still
 * holds; and a slow but live path is not mistaken for a dead one.
 *
 * <p>Old behaviour (issue "Links that a stranger cannot hijack, stall or wedge"): after a reset of
 * only the dialling side, the other side kept the dead link and answered every reconnect "already
 * connected"; a peer stopped with SIGSTOP while the link was idle was not noticed in 72 s.
 */
class LivenessTest {
    private static final Logger log = LoggerFactory.getLogger(LivenessTest.class);
    private static final String SECRET = JavaToJavaTest.SECRET;
    /** The liveness timeout of the nodes under test where only its bound matters. */
    private static final Duration LIVENESS = Duration.ofSeconds(3);
    /**
     * How late a silent link may be reported after the liveness timeout: the check runs every
     * third of it, plus room for a loaded machine.
     */
    private static final Duration LATE = LIVENESS.dividedBy(3).plusMillis(1500);
    /** How early: the last byte may have arrived a little before the fault was made. */
    private static final Duration EARLY = Duration.ofMillis(500);

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private Node node(String id, UnaryOperator<NodeConfig.Builder> more) {
        return nodes.start(id, b -> more.apply(b.binds(List.of("127.0.0.1:0")).secret(SECRET)
                .framingFormat(List.of("json"))));
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** Asserts that a silent link was reported {@code nanos} after it fell silent: within the bound, not before. */
    private static void withinTheBound(long nanos, Duration liveness, String what) {
        assertThat(millis(nanos)).as("ms until " + what + " (liveness_timeout " + liveness.toMillis() + " ms)")
                .isBetween(liveness.minus(EARLY).toMillis(), liveness.plus(LATE).toMillis());
    }

    private static void assertTransportError(KillReason reason, String node) {
        assertThat(reason.values()).as("monitor reason").startsWith(KillReason.TRANSPORT_ERROR, node);
    }

    /**
     * A relay resets b's side of b's link to a and leaves a's side open and silent, as a crash of
     * b's host or a NAT that forgot the connection would. b notices at once and reconnects
     * (through the relay, with a message under a fresh monitor each time) while a still holds the
     * dead link: a asks that link for a sign of life, gets none, and replaces it, firing its
     * monitors of b's ports with {@code transport_error}, within two connect attempts of b (5 s),
     * long before the liveness timeout (10 s here) would have. Then messages flow again, and none
     * went missing unnoticed: every message that a did not get had its sender's monitor fire.
     */
    @Test
    @Timeout(90)
    void aNodeThatReconnectsReplacesTheDeadLinkItsPeerStillHolds() throws Exception {
        Duration liveness = Duration.ofSeconds(10);
        Node a = node("a", c -> c.livenessTimeout(liveness));
        Node b = node("b", c -> c.livenessTimeout(liveness));
        JavaToJavaTest.echo(a);
        JavaToJavaTest.echo(b);
        List<Long> received = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Probe<Object>> outcome = new AtomicReference<>(new Probe<>());
        PortId in = a.receive(new PortId("a", "in"), (ctx, m) -> {
            long k = ((Number) m.get(0)).longValue();
            received.add(k);
            outcome.get().put(k);
        });
        PortId onB = b.newPort((ctx, m) -> { });
        Probe<KillReason> aLost = new Probe<>();
        try (TcpRelay relay = new TcpRelay(SocketSwarm.address(a.listenAddresses().get(0)))) {
            b.addAddresses("a", List.of(relay.address()));
            Probe<KillReason> bLost = new Probe<>();
            b.monitor(in, bLost::put);
            for (long k = 1; k <= 10; k++) {
                b.send(in, k);
            }
            while (received.size() < 10) {
                outcome.get().next();
            }
            a.monitor(onB, aLost::put);
            JavaToJavaTest.ping(a, b); // the monitor request has reached b

            relay.resetClientSide();
            long cut = System.nanoTime();
            assertTransportError(bLost.next(), "a");

            // b reconnects: each attempt sends one message, watched by a monitor of its own
            TreeSet<Long> reportedLost = new TreeSet<>();
            long k = 11;
            long recovered = 0;
            while (recovered == 0) {
                assertThat(millis(System.nanoTime() - cut)).as("ms trying to reconnect")
                        .isLessThan(liveness.plusSeconds(5).toMillis());
                Probe<Object> attempt = new Probe<>();
                outcome.set(attempt);
                long sent = k++;
                Guard watch = b.monitor(in, attempt::put);
                b.send(in, sent);
                for (Object o = attempt.next(Duration.ofSeconds(15)); ; o = attempt.next(Duration.ofSeconds(15))) {
                    if (o instanceof KillReason r) {
                        assertTransportError(r, "a");
                        reportedLost.add(sent);
                        log.info("attempt with message {} failed after {} ms: {}", sent, millis(System.nanoTime() - cut),
                                r.values());
                        break;
                    }
                    if (o.equals(sent)) {
                        watch.close();
                        recovered = System.nanoTime();
                        break;
                    }
                }
            }
            log.info("b's messages reach a again {} ms after the reset", millis(recovered - cut));
            // a's proof of life takes as long as b's connect interval, so b's first attempt may time
            // out; the stale link is known silent by then and the next attempt goes through
            long bound = b.config().connectInterval().multipliedBy(2).plusSeconds(1).toMillis();
            assertThat(millis(recovered - cut)).as("ms until b's messages reach a again: within two connect"
                    + " attempts, long before a's liveness timeout").isLessThan(bound);
            KillReason aReason = aLost.next(Duration.ofSeconds(1));
            log.info("a's monitor of a port on b fired: {}", aReason.values());
            assertTransportError(aReason, "b");

            long last = k + 9;
            outcome.set(new Probe<>());
            for (; k <= last; k++) {
                b.send(in, k);
            }
            while (!received.contains(last)) {
                outcome.get().next();
            }
            JavaToJavaTest.ping(a, b);
            JavaToJavaTest.ping(b, a);

            List<Long> got;
            synchronized (received) {
                got = List.copyOf(received);
            }
            for (int i = 1; i < got.size(); i++) {
                assertThat(got.get(i)).as("arrival order " + got).isGreaterThan(got.get(i - 1));
            }
            for (long j = 1; j <= last; j++) {
                if (!got.contains(j)) {
                    assertThat(reportedLost).as("message " + j + " did not arrive: its monitor must have fired"
                            + " (arrived: " + got + ")").contains(j);
                }
            }
        }
    }

    /**
     * A network for one test (mp-testkit): a seed {@code s} and the nodes {@code a} and {@code b},
     * whose link runs through relays, all with {@link #LIVENESS}.
     */
    private static AempNetwork relayedPair() throws java.io.IOException {
        return AempNetwork.builder().ids("s", "a", "b").codec("json").relay(1, 2)
                .configure(c -> c.livenessTimeout(LIVENESS)).build().start();
    }

    /**
     * The relays stop forwarding both ways and keep both connections open, as when a host
     * vanishes: both nodes report each other down within the liveness timeout, their monitors
     * fire with {@code transport_error}, and they link again once the relays forward again.
     */
    @Test
    @Timeout(60)
    void aBlackHoledLinkIsReportedDownOnBothSides() throws Exception {
        try (AempNetwork net = relayedPair()) {
            Node a = net.node(1);
            Node b = net.node(2);
            JavaToJavaTest.echo(a);
            JavaToJavaTest.echo(b);
            PortId onA = a.newPort((ctx, m) -> { });
            PortId onB = b.newPort((ctx, m) -> { });
            JavaToJavaTest.ping(b, a);
            Probe<String> lost = new Probe<>();
            AtomicReference<Long> start = new AtomicReference<>();
            a.monitor(onB, r -> lost.put("a " + (System.nanoTime() - start.get()) + " " + r.values()));
            b.monitor(onA, r -> lost.put("b " + (System.nanoTime() - start.get()) + " " + r.values()));
            JavaToJavaTest.ping(a, b);
            JavaToJavaTest.ping(b, a);

            start.set(System.nanoTime());
            net.link(1, 2).blackHole();
            List<String> reports = List.of(lost.next(LIVENESS.plus(LATE).plusSeconds(5)),
                    lost.next(LIVENESS.plus(LATE).plusSeconds(5)));
            log.info("black hole: {}", reports);
            for (String r : reports) {
                String[] f = r.split(" ", 3);
                withinTheBound(Long.parseLong(f[1]), LIVENESS, "node " + f[0] + " reports the other down");
                assertThat(f[2]).startsWith("[transport_error, " + (f[0].equals("a") ? "b" : "a") + ", no data from node");
            }

            net.link(1, 2).heal();
            JavaToJavaTest.ping(b, a);
            JavaToJavaTest.ping(a, b);
        }
    }

    /**
     * The relays hold everything a sends to b (one direction stalls; b's requests still reach a):
     * b hears nothing and reports a down within the liveness timeout; its closing the link is
     * what a then sees.
     */
    @Test
    @Timeout(60)
    void aStalledDirectionIsNoticedByTheSideThatHearsNothing() throws Exception {
        try (AempNetwork net = relayedPair()) {
            Node a = net.node(1);
            Node b = net.node(2);
            JavaToJavaTest.echo(a);
            JavaToJavaTest.echo(b);
            JavaToJavaTest.ping(b, a);
            Probe<String> lost = new Probe<>();
            AtomicReference<Long> start = new AtomicReference<>();
            a.monitorNodes((n, up, r) -> {
                if (!up) {
                    lost.put("a " + (System.nanoTime() - start.get()) + " " + r.values());
                }
            });
            b.monitorNodes((n, up, r) -> {
                if (!up) {
                    lost.put("b " + (System.nanoTime() - start.get()) + " " + r.values());
                }
            });
            JavaToJavaTest.ping(a, b);

            start.set(System.nanoTime());
            net.link(1, 2).stall(a);
            List<String> reports = new ArrayList<>(List.of(lost.next(LIVENESS.plus(LATE).plusSeconds(5)),
                    lost.next(Duration.ofSeconds(5))));
            log.info("stalled a -> b: {}", reports);
            Collections.sort(reports); // a's report, then b's (the order they are told in is not defined)
            String atB = reports.get(1);
            assertThat(atB).startsWith("b ").contains("[transport_error, a, no data from node a");
            withinTheBound(Long.parseLong(atB.split(" ")[1]), LIVENESS, "b reports a down");
            assertThat(reports.get(0)).startsWith("a ").contains("[transport_error, b, ");
            assertThat(millis(Long.parseLong(reports.get(0).split(" ")[1]))).as("ms until a reports b down")
                    .isLessThanOrEqualTo(LIVENESS.plus(LATE).toMillis());
        }
    }

    /**
     * The relays delay everything by 250 ms each way: the link stays up through twice the
     * liveness timeout of silence (the probes are answered in time), and a ping still works.
     */
    @Test
    @Timeout(60)
    void aSlowPathIsNotMistakenForADeadOne() throws Exception {
        try (AempNetwork net = relayedPair()) {
            Node a = net.node(1);
            Node b = net.node(2);
            JavaToJavaTest.echo(a);
            JavaToJavaTest.ping(b, a);
            Probe<String> events = new Probe<>();
            a.monitorNodes((n, up, r) -> events.put("a: " + n + (up ? " up" : " down " + r.values())));
            b.monitorNodes((n, up, r) -> events.put("b: " + n + (up ? " up" : " down " + r.values())));
            net.link(1, 2).delay(Duration.ofMillis(250));
            events.nothingWithin(LIVENESS.multipliedBy(2));
            long start = System.nanoTime();
            JavaToJavaTest.ping(b, a);
            assertThat(millis(System.nanoTime() - start)).as("ms for a ping over the slow path").isGreaterThanOrEqualTo(500);
            assertThat(a.upNodes()).containsExactlyInAnyOrder("s", "b");
        }
    }

    /**
     * A Java peer in a process of its own is stopped (SIGSTOP) while its link is idle: the node
     * reports it down within the liveness timeout, with {@code transport_error}. Before, the idle
     * link stays up for twice the timeout: the peer answers the liveness probes.
     */
    @Test
    @Timeout(90)
    void aStoppedJavaPeerIsReportedDown() throws Exception {
        try (ChildProcess peer = ChildProcess.startJava("liveness-java-peer", JavaEchoNode.class, "nodeid=stopped",
                "bind=127.0.0.1:0", "secret=" + SECRET, "global=0")) {
            String ready = peer.await(Duration.ofSeconds(60), l -> l.startsWith("ready "), "'ready'");
            String address = ready.split(" ")[2].split(",")[0];
            reportedDownWhenStopped(peer, address, "stopped");
        }
    }

    /** The same with a Perl AnyEvent::MP 2.02 peer, which answers the probe ({@code time}) as Perl does. */
    @Test
    @Timeout(90)
    void aStoppedPerlPeerIsReportedDown() throws Exception {
        try (PerlPeer peer = PerlPeer.start("liveness-perl-peer", "nodeid=stoppedperl", "secret=" + SECRET)) {
            reportedDownWhenStopped(peer.process(), peer.binds().get(0), "stoppedperl");
        }
    }

    private void reportedDownWhenStopped(ChildProcess process, String address, String peerId) throws Exception {
        Node t = node("t", c -> c.livenessTimeout(LIVENESS));
        assertThat(t.connect(address).get(30, TimeUnit.SECONDS)).isEqualTo(peerId);
        Probe<String> events = new Probe<>();
        t.monitorNodes((n, up, r) -> events.put(n + (up ? " up" : " down " + r.values())));
        Probe<KillReason> lost = new Probe<>();
        t.monitor(new PortId(peerId, "echo"), lost::put);
        ping(t, peerId);
        events.nothingWithin(LIVENESS.multipliedBy(2)); // idle, and alive
        ping(t, peerId);

        process.signal("STOP");
        long stopped = System.nanoTime();
        try {
            KillReason reason = lost.next(LIVENESS.plus(LATE).plusSeconds(5));
            long took = System.nanoTime() - stopped;
            log.info("stopped peer {} reported down after {} ms: {}", peerId, millis(took), reason.values());
            assertTransportError(reason, peerId);
            withinTheBound(took, LIVENESS, "the stopped peer is reported down");
        } finally {
            process.signal("CONT");
        }
    }

    /** A ping to {@code peer}'s {@code #echo} port (which sends the rest of a message to its first element). */
    private static void ping(Node from, String peer) {
        Probe<List<Object>> got = new Probe<>();
        PortId reply = from.newPort((ctx, m) -> {
            got.put(m);
            ctx.kill();
        });
        from.send(new PortId(peer, "echo"), reply.toString(), "pong");
        assertThat(got.next(Duration.ofSeconds(15))).containsExactly("pong");
    }
}
