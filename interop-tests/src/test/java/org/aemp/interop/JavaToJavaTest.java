package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.aemp.Context;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.NodeInternals;
import org.aemp.PortDownException;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testing.logging.TestLogs;
import org.aemp.testkit.TcpRelay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

/**
 * Two Java nodes in one JVM over real loopback sockets, with the real JSON codec and the real
 * {@code hmac_sha3_512} auth method from mp-auth: everything AEMP promises about one link.
 */
@Timeout(60)
class JavaToJavaTest {
    static final String SECRET = "java-to-java-secret";
    private static final Duration SHORT = Duration.ofMillis(300);

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private Node node(String id) {
        return node(id, b -> b);
    }

    /** A node on 127.0.0.1, port 0, with the shared secret and JSON framing. */
    private Node node(String id, UnaryOperator<NodeConfig.Builder> more) {
        return nodes.start(id, b -> more.apply(b.binds(List.of("127.0.0.1:0")).secret(SECRET)
                .framingFormat(List.of("json"))));
    }

    /** Two nodes that know each other's addresses. */
    private Node[] pair(String a, String b) {
        Node na = node(a);
        Node nb = node(b);
        na.addAddresses(b, nb.listenAddresses());
        nb.addAddresses(a, na.listenAddresses());
        return new Node[] {na, nb};
    }

    /** An {@code #echo} port: {@code (reply, payload...)} sends {@code payload...} to reply. */
    static PortId echo(Node n) {
        return n.receive(new PortId(n.id(), "echo"), (ctx, m) ->
                ctx.send(PortId.parse(Context.text(m, 0)), m.subList(1, m.size()).toArray()));
    }

    /** Sends a ping from {@code from} to {@code to}'s echo port and waits for the pong. */
    static void ping(Node from, Node to) {
        Probe<List<Object>> got = new Probe<>();
        PortId reply = from.newPort((ctx, m) -> {
            got.put(m);
            ctx.kill();
        });
        from.send(new PortId(to.id(), "echo"), reply.toString(), "pong", from.id());
        assertThat(got.next()).containsExactly("pong", from.id());
    }

    @Test
    void pingPongOverHmacSha3AndJson() throws IOException {
        Node[] n = pair("a", "b");
        echo(n[0]);
        ping(n[1], n[0]);
        assertThat(n[1].upNodes()).containsExactly("a");
        try (RawPeer raw = RawPeer.connect(n[0].listenAddresses().get(0), "observer")) {
            raw.sendGreeting(raw.greeting()).readGreeting();
            assertThat(raw.peerGreeting()).startsWith("aemp;1;a;").contains(";json;").contains("hmac_sha3_512");
        }
    }

    @Test
    void messagesGoBothWaysOnOneLink() {
        Node[] n = pair("a", "b");
        Probe<String> events = new Probe<>();
        n[0].monitorNodes((node, up, reason) -> events.put("a sees " + node + (up ? " up" : " down")));
        n[1].monitorNodes((node, up, reason) -> events.put("b sees " + node + (up ? " up" : " down")));
        echo(n[0]);
        echo(n[1]);
        ping(n[1], n[0]);
        ping(n[0], n[1]);
        for (int i = 0; i < 5; i++) {
            ping(n[0], n[1]);
            ping(n[1], n[0]);
        }
        assertThat(List.of(events.next(), events.next())).containsExactlyInAnyOrder("a sees b up", "b sees a up");
        events.nothingWithin(SHORT); // one link, never replaced
        assertThat(n[0].upNodes()).containsExactly("b");
        assertThat(n[1].upNodes()).containsExactly("a");
    }

    @Test
    void remoteSpawnWorksBothWays() {
        Probe<String> got = new Probe<>();
        Node a = node("a", b -> b.function("Pong::init", (ctx, args) -> {
            got.put("init on " + ctx.node().id() + " " + args);
            ctx.receive((c, m) -> c.send(PortId.parse(Context.text(m, 0)), "pong from", c.self().toString()));
        }));
        Node b = node("b", c -> c.function("Pong::init", (ctx, args) -> {
            got.put("init on " + ctx.node().id() + " " + args);
            ctx.receive((c2, m) -> c2.send(PortId.parse(Context.text(m, 0)), "pong from", c2.self().toString()));
        }));
        a.addAddresses("b", b.listenAddresses());
        b.addAddresses("a", a.listenAddresses());
        Probe<List<Object>> replies = new Probe<>();
        PortId onA = b.spawn("a", "Pong::init", "from b", 1);
        PortId onB = a.spawn("b", "Pong::init", "from a", 2);
        assertThat(onA.node()).isEqualTo("a");
        assertThat(onB.node()).isEqualTo("b");
        b.send(onA, b.newPort((ctx, m) -> replies.put(m)).toString());
        a.send(onB, a.newPort((ctx, m) -> replies.put(m)).toString());
        assertThat(List.of(got.next(), got.next()))
                .containsExactlyInAnyOrder("init on a [from b, 1]", "init on b [from a, 2]");
        assertThat(List.of(replies.next(), replies.next())).containsExactlyInAnyOrder(
                List.of("pong from", onA.toString()), List.of("pong from", onB.toString()));
    }

    @Test
    void aSpawnOfAnUnknownFunctionFiresTheSpawnersMonitor(TestLogs logs) {
        Node[] n = pair("a", "b");
        Probe<KillReason> down = new Probe<>();
        PortId p = n[1].spawn("a", "No::such", "x");
        n[1].monitor(p, down::put);
        assertThat(down.next().type()).isIn("no_such_port", "die");
        logs.await(Duration.ofSeconds(10), Level.WARN, "^spawn request from b for port \\S+ refused: "
                + "unable to resolve function 'No::such'");
    }

    @Test
    void remoteMonitorsSeeTheKillReasonAndMissingPorts() {
        Node[] n = pair("a", "b");
        Node a = n[0];
        Node b = n[1];
        PortId target = a.newPort((ctx, m) -> ctx.kill("my_error", m.get(0)));
        Probe<KillReason> down = new Probe<>();
        b.monitor(target, down::put);
        b.monitor(target, down::put);
        b.monitor(new PortId("a", "nosuch"), down::put);
        assertThat(down.next().values()).containsExactly("no_such_port", "cannot monitor nonexistent port", "a#nosuch");
        b.send(target, "testing");
        assertThat(down.next().values()).containsExactly("my_error", "testing");
        assertThat(down.next().values()).containsExactly("my_error", "testing");
        down.nothingWithin(SHORT);
    }

    @Test
    void aNormalRemoteExitGivesAnEmptyReason() {
        Node[] n = pair("a", "b");
        PortId target = n[0].newPort((ctx, m) -> ctx.kill());
        Probe<KillReason> down = new Probe<>();
        n[1].monitor(target, down::put);
        n[1].send(target, "exit");
        assertThat(down.next().isNormal()).isTrue();
    }

    @Test
    void remoteKillUsesKil1AndMonitorsOnBothSidesSeeTheReason() {
        Node[] n = pair("a", "b");
        PortId target = n[0].newPort((ctx, m) -> { });
        Probe<String> down = new Probe<>();
        n[0].monitor(target, r -> down.put("local " + r.values()));
        n[1].monitor(target, r -> down.put("remote " + r.values()));
        ping(n[1], pair2echo(n[0])); // the link and the remote monitor are in place
        n[1].kill(target, "killed_by", "b");
        assertThat(List.of(down.next(), down.next()))
                .containsExactlyInAnyOrder("local [killed_by, b]", "remote [killed_by, b]");
        n[1].kill(new PortId("a", "nosuch"), "ignored"); // killing a port that does not exist does nothing
        ping(n[1], n[0]);
    }

    private static Node pair2echo(Node n) {
        echo(n);
        return n;
    }

    @Test
    void everyMonitorOfEveryPortOfALostNodeFiresOnceWithTransportError() {
        Node[] n = pair("a", "b");
        Node a = n[0];
        Node b = n[1];
        PortId p1 = a.newPort((ctx, m) -> { });
        PortId p2 = a.newPort((ctx, m) -> { });
        Probe<String> down = new Probe<>();
        PortId sink = b.newPort((ctx, m) -> down.put("send " + m.subList(0, 3)));
        PortId victim = b.newPort((ctx, m) -> { });
        b.monitor(victim, r -> down.put("victim " + r.values().get(0)));
        for (PortId p : List.of(p1, p2)) {
            b.monitor(p, r -> down.put(p.name() + " " + r.values().subList(0, 2)));
            b.monitor(p, r -> down.put(p.name() + " " + r.values().subList(0, 2)));
        }
        b.monitor(a.nodePort(), r -> down.put("node " + r.values().subList(0, 2)));
        b.monitorSend(p1, sink, "p1 died");
        b.monitorKill(p2, victim);
        ping(b, pair2echo(a)); // mon1s are out, the link is up

        NodeInternals.crash(a); // a's sockets drop as if it crashed: none of its ports is killed

        List<String> fired = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            fired.add(down.next());
        }
        String te = "[transport_error, a]";
        assertThat(fired).containsExactlyInAnyOrder(p1.name() + " " + te, p1.name() + " " + te,
                p2.name() + " " + te, p2.name() + " " + te, "node " + te, "victim transport_error",
                "send [p1 died, transport_error, a]");
        down.nothingWithin(SHORT);
        assertThat(b.upNodes()).isEmpty();
    }

    @Test
    void callWithATimeoutGetsTheReplyOrTimesOut() throws Exception {
        Node[] n = pair("a", "b");
        PortId rpc = n[0].receive(new PortId("a", "rpc"), (ctx, m) ->
                ctx.send(PortId.parse(Context.text(m, m.size() - 1)), "rpc_reply", m.get(0)));
        PortId silent = n[0].receive(new PortId("a", "silent"), (ctx, m) -> { });
        assertThat(n[1].call(Duration.ofSeconds(5), rpc, "x").get(10, TimeUnit.SECONDS)).containsExactly("rpc_reply", "x");
        CompletableFuture<List<Object>> never = n[1].call(Duration.ofMillis(200), silent, "y");
        assertThatThrownBy(() -> never.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class)
                .hasMessageContaining("no reply from a#silent");
    }

    @Test
    void callWithoutATimeoutMonitorsTheTarget() throws Exception {
        Node[] n = pair("a", "b");
        PortId rpc = n[0].receive(new PortId("a", "rpc"), (ctx, m) ->
                ctx.send(PortId.parse(Context.text(m, m.size() - 1)), "rpc_reply", m.get(0)));
        PortId dying = n[0].newPort((ctx, m) -> ctx.kill("refused", m.get(0)));
        assertThat(n[1].call(rpc, "x").get(10, TimeUnit.SECONDS)).containsExactly("rpc_reply", "x");
        CompletableFuture<List<Object>> refused = n[1].call(dying, "y");
        assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(PortDownException.class)
                .hasMessageContaining("refused");
        CompletableFuture<List<Object>> missing = n[1].call(new PortId("a", "nosuch"), "z");
        assertThatThrownBy(() -> missing.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(PortDownException.class).hasMessageContaining("no_such_port");
    }

    @Test
    void nodePortRequestsAreAnswered() {
        Node[] n = pair("a", "b");
        Node a = n[0];
        Node b = n[1];
        echo(a);
        Probe<List<Object>> got = new Probe<>();
        Probe<String> events = new Probe<>();
        b.monitorNodes((node, up, reason) -> events.put(node + (up ? " up" : " down")));
        PortId reply = b.receive(new PortId("b", "replies"), (ctx, m) -> got.put(m));

        b.send(a.nodePort(), "time", reply.toString(), "t");
        List<Object> time = got.next();
        assertThat(time.get(0)).isEqualTo("t");
        assertThat(((Number) time.get(1)).doubleValue()).isCloseTo(System.currentTimeMillis() / 1000.0,
                org.assertj.core.data.Offset.offset(60.0));

        b.send(a.nodePort(), "can", "time", reply.toString(), "can time");
        assertThat(got.next()).containsExactly("can time", true);
        b.send(a.nodePort(), "can", "No::such", reply.toString(), "can No::such");
        assertThat(got.next()).containsExactly("can No::such", false);

        b.send(a.nodePort(), "snd", reply.toString(), "relayed", 1);
        assertThat(got.next()).containsExactly("relayed", 1);

        b.send(a.nodePort(), "devnull", "anything", 2);
        b.send(a.nodePort()); // ["" ]: the keepalive
        b.send(a.nodePort(), ""); // ["", ""]
        b.send(a.nodePort(), "time", reply.toString(), "after");
        assertThat(got.next().get(0)).as("nothing came back for devnull and the keepalives").isEqualTo("after");
        ping(b, a);
        assertThat(events.next()).isEqualTo("a up");
        events.nothingWithin(SHORT);
    }

    @Test
    @Timeout(120)
    void aHundredThousandMessagesArriveInOrderWithNoLoss() throws Exception {
        Node[] n = pair("a", "b");
        int count = 100_000;
        CompletableFuture<Integer> done = new CompletableFuture<>();
        int[] expected = {0};
        PortId seq = n[0].receive(new PortId("a", "seq"), (ctx, m) -> {
            int i = ((Number) m.get(0)).intValue();
            if (i != expected[0]) {
                done.completeExceptionally(new AssertionError("expected message " + expected[0] + ", got " + i));
            }
            expected[0] = i + 1;
            if (i == count - 1) {
                done.complete(expected[0]);
            }
        });
        for (int i = 0; i < count; i++) {
            n[1].send(seq, i, "payload");
        }
        assertThat(done.get(100, TimeUnit.SECONDS)).isEqualTo(count);
    }

    @Test
    void monNodesAndUpNodesFollowTheLink() {
        Node[] n = pair("a", "b");
        Node a = n[0];
        Node b = n[1];
        Probe<String> events = new Probe<>();
        a.monitorNodes((node, up, reason) -> events.put(node + (up ? " up " : " down ") + reason.values()));
        assertThat(a.upNodes()).isEmpty();
        assertThat(a.nodeIsUp("b")).contains(false); // known by address, not connected
        echo(a);
        ping(b, a);
        assertThat(events.next()).isEqualTo("b up []");
        assertThat(a.upNodes()).containsExactly("b");
        assertThat(a.nodeIsUp("b")).contains(true);
        b.close();
        assertThat(events.next()).isEqualTo("b down [transport_error, b, Unexpected end-of-file]");
        assertThat(a.upNodes()).isEmpty();
        assertThat(a.nodeIsUp("b")).contains(false);
    }

    @Test
    void aSecondLinkBetweenTheSameNodesIsRefused() throws Exception {
        Node[] n = pair("a", "b");
        echo(n[0]);
        ping(n[1], n[0]);
        // dialling a node that is already linked opens no second link: it reports the node as there
        CompletableFuture<String> second = n[1].connect(n[0].listenAddresses().get(0));
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("a");
        assertThat(n[1].upNodes()).containsExactly("a");
        try (RawPeer impostor = RawPeer.connect(n[0].listenAddresses().get(0), "b")) {
            impostor.sendGreeting(impostor.greeting());
            assertThat(impostor.awaitClosed(RawPeer.PATIENCE)).as("a closes the impostor's connection").isTrue();
        }
        ping(n[1], n[0]);
        assertThat(n[0].upNodes()).containsExactly("b");
    }

    @Test
    void aNodeRefusesALinkToItself() throws Exception {
        Node a = node("a");
        assertThatThrownBy(() -> a.connect(a.listenAddresses().get(0)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("I refuse to talk to myself");
        try (RawPeer mirror = RawPeer.connect(a.listenAddresses().get(0), "a")) {
            mirror.sendGreeting(mirror.greeting());
            assertThat(mirror.awaitClosed(RawPeer.PATIENCE)).isTrue();
        }
        assertThat(a.upNodes()).isEmpty();
    }

    /**
     * AEMP's promise: once a monitor is set, every later message to the port arrives, or the
     * monitor fires; nothing goes missing in the middle of the stream unnoticed. The link is cut
     * in the middle of a stream of sends by a relay that resets both sides, and the sender goes on
     * sending until its monitor fires; the receiver checks, for every
     * gap in the numbering it sees, that the sender's monitor has fired once more than before.
     * A node that kept sending after a lost link without firing its monitors (or that resent or
     * reordered messages) fails here.
     */
    @Test
    void afterALostLinkNothingMoreArrivesUntilTheMonitorsHaveFired() throws Exception {
        Node a = node("a");
        Node b = node("b");
        InetSocketAddress target = new InetSocketAddress("127.0.0.1",
                Integer.parseInt(a.listenAddresses().get(0).replaceAll(".*:", "")));
        try (TcpRelay relay = new TcpRelay(target, 40_000)) {
            b.addAddresses("a", List.of(relay.address()));
            AtomicInteger firings = new AtomicInteger();
            AtomicInteger gaps = new AtomicInteger();
            AtomicLong last = new AtomicLong(-1);
            AtomicLong awaited = new AtomicLong(-1);
            List<String> violations = Collections.synchronizedList(new ArrayList<>());
            Probe<String> progress = new Probe<>();
            PortId in = a.receive(new PortId("a", "in"), (ctx, m) -> {
                long j = ((Number) m.get(0)).longValue();
                long prev = last.getAndSet(j);
                if (j <= prev) {
                    violations.add("message " + j + " arrived after " + prev);
                } else if (j != prev + 1 && gaps.incrementAndGet() > firings.get()) {
                    violations.add("message " + j + " arrived after a gap (the one before was " + prev
                            + ") but the sender's monitor had fired " + firings.get() + " time(s) for "
                            + gaps.get() + " gap(s)");
                }
                if (j == awaited.get()) {
                    progress.put("got " + j);
                }
            });
            Probe<String> aEvents = new Probe<>();
            a.monitorNodes((node, up, reason) -> aEvents.put(up ? "up" : "down"));

            b.monitor(in, r -> {
                firings.incrementAndGet();
                progress.put("fired " + r.values());
            });
            // keep sending until the monitor fires, so that sends also happen while the loss is
            // being detected and reported, and perhaps while a new link is being made; stay at
            // most 20,000 messages ahead of the receiver
            long next = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (firings.get() == 0 && System.nanoTime() < deadline) {
                if (next - last.get() < 20_000) {
                    b.send(in, next++, "some padding to fill the link");
                } else {
                    Thread.onSpinWait();
                }
            }
            assertThat(progress.next()).startsWith("fired [transport_error, a, ");
            assertThat(aEvents.next()).isEqualTo("up");
            assertThat(aEvents.next()).isEqualTo("down");

            // a new link: a fresh monitor, then batches until one gets through whole
            for (int round = 0; ; round++) {
                assertThat(round).as("rounds needed to get a batch through a new link").isLessThan(10);
                b.monitor(in, r -> {
                    firings.incrementAndGet();
                    progress.put("fired " + r.values());
                });
                awaited.set(next + 99);
                for (int i = 0; i < 100; i++) {
                    b.send(in, next++, "after the cut");
                }
                if (progress.next().equals("got " + (next - 1))) {
                    break;
                }
            }
            assertThat(violations).isEmpty();
            assertThat(gaps.get()).as("the cut lost messages (else this test proves nothing)").isPositive();
            assertThat(relay.connections()).isGreaterThanOrEqualTo(2);
        }
    }
}
