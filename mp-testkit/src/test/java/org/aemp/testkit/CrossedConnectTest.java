package org.aemp.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node that dials a node which is already connecting to it. Node b dials a; a answers b's
 * greeting (so b may take that connection as soon as a's auth line reaches it) and only then
 * wants to send to b itself. Both nodes have a call under way.
 *
 * <p>Before the fix, a dialled b anyway; its dial outranked b's (a has the smaller id), so a held
 * b's connection back while b, having authenticated it, sent its call on it; then a's dial
 * replaced it at b and the call was lost (b's monitor fired with "replaced by a newer
 * connection"). Now a waits for the connection under way, and nothing is lost.
 */
@Timeout(60)
class CrossedConnectTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void aNodeDoesNotDialANodeWhoseConnectionItHasAnswered() throws Exception {
        Node a = node("a");
        Node b = node("b");
        TcpRelay bToA = relay(a); // the connection b dials
        TcpRelay aToB = relay(b); // the one a would dial
        b.addAddresses("a", List.of(bToA.address()));
        a.addAddresses("b", List.of(aToB.address()));
        PortId echoA = Calls.echo(a);
        PortId echoB = Calls.echo(b);

        bToA.stall(TcpRelay.Direction.TO_CLIENT); // b's greeting reaches a, a's answer waits
        aToB.stall(TcpRelay.Direction.TO_TARGET); // a's greeting and auth line would wait
        CompletableFuture<List<Object>> fromB = b.call(echoA, "from b");
        awaitLines(bToA, 3); // a's greeting, nonce and auth line: a has answered b
        CompletableFuture<List<Object>> fromA = a.call(echoB, "from a");
        Thread.sleep(150); // a dial of a's would have sent its auth line by now (a waits 0.5 s at most)
        bToA.resume(); // b's connection completes: b takes it and sends its call on it
        Thread.sleep(300);
        aToB.resume(); // a's dial, if there was one, reaches b

        assertThat(fromB.get(10, TimeUnit.SECONDS)).containsExactly("from b");
        assertThat(fromA.get(10, TimeUnit.SECONDS)).containsExactly("from a");
        assertThat(aToB.connections()).as("dials of a to b").isZero();
        assertThat(a.upNodes()).contains("b");
        assertThat(b.upNodes()).contains("a");
    }

    /**
     * The way it happened in a network of 200 nodes: a starts connecting to b first, looking b's
     * address up at its seed, and b's connection arrives and is answered while that lookup is under
     * way; the dial that follows the lookup must wait for b's connection too.
     */
    @Test
    void aDialDecidedAfterALookupWaitsForTheConnectionAnsweredMeanwhile() throws Exception {
        Node seed = start(NodeConfig.builder().nodeId("g").global(true));
        TcpRelay slowSeed = relay(seed); // a's lookups take two of its delays
        Node b = start(NodeConfig.builder().nodeId("b").seeds(seed.listenAddresses()));
        Node a = start(NodeConfig.builder().nodeId("a").seeds(slowSeed.address()));
        try (NodeWatch seenByA = NodeWatch.of(a)) {
            seenByA.awaitUp("g", AempNetwork.DEFAULT_TIMEOUT);
        }
        TcpRelay bToA = relay(a);
        b.addAddresses("a", List.of(bToA.address()));
        PortId echoA = Calls.echo(a);
        PortId echoB = Calls.echo(b);
        awaitAddressKnown(seed, a, "b");
        slowSeed.delay(Duration.ofMillis(600));
        NodeWatch seenByB = NodeWatch.of(b);
        open.add(seenByB);

        bToA.stall(TcpRelay.Direction.TO_CLIENT); // b's greeting reaches a, a's answer waits
        long t0 = System.nanoTime();
        CompletableFuture<List<Object>> fromA = a.call(echoB, "from a"); // a looks b up: 1.2 s
        sleepUntil(t0, 900);
        CompletableFuture<List<Object>> fromB = b.call(echoA, "from b");
        awaitLines(bToA, 3); // a has answered b's connection
        bToA.stall(TcpRelay.Direction.TO_TARGET);
        bToA.resume(TcpRelay.Direction.TO_CLIENT); // b authenticates the connection and sends its call on it
        sleepUntil(t0, 1300); // a's lookup is done: a dial of a's would be under way
        bToA.resume(TcpRelay.Direction.TO_TARGET);

        assertThat(fromB.get(10, TimeUnit.SECONDS)).containsExactly("from b");
        assertThat(fromA.get(10, TimeUnit.SECONDS)).containsExactly("from a");
        assertThat(seenByB.events()).as("what b saw").noneMatch(e -> !e.up()); // no link of b's replaced
    }

    /**
     * The way it happened in the scale benchmark's cold start: b is slow to take the connection a
     * answered, so a's wait runs out and a dials; b's connection authenticates at a only after
     * a's dial sent its auth line, so a holds it back for that dial. b, up on its connection and
     * sending its call on it, asks it for a sign of life when a's dial arrives. Before the fix a
     * never answered (it did not read a connection it held back): b dropped the connection and
     * its call with it (or, with the default connect_interval, a gave up first and b kept a link
     * that a never read, until the liveness timeout). Now a takes b's connection after
     * {@code Connections.PENDING_HOLD}, answers, b refuses a's dial, and both calls arrive.
     */
    @Test
    void aConnectionHeldBackForOurDialIsTakenInTimeToAnswerTheNode() throws Exception {
        Node a = node("a");
        Node b = node("b");
        TcpRelay bToA = relay(a);
        TcpRelay aToB = relay(b);
        b.addAddresses("a", List.of(bToA.address()));
        a.addAddresses("b", List.of(aToB.address()));
        PortId echoA = Calls.echo(a);
        PortId echoB = Calls.echo(b);
        NodeWatch seenByA = NodeWatch.of(a);
        open.add(seenByA);
        NodeWatch seenByB = NodeWatch.of(b);
        open.add(seenByB);

        bToA.stall(TcpRelay.Direction.TO_CLIENT); // a's answer waits: b is slow to take it
        aToB.stall(TcpRelay.Direction.TO_TARGET); // a's dial reaches b only later
        CompletableFuture<List<Object>> fromB = b.call(echoA, "from b");
        awaitLines(bToA, TcpRelay.Direction.TO_CLIENT, 3); // a has answered b
        CompletableFuture<List<Object>> fromA = a.call(echoB, "from a"); // a dials after its wait
        awaitLines(aToB, TcpRelay.Direction.TO_TARGET, 3); // a's dial sent its auth line
        bToA.resume(TcpRelay.Direction.TO_CLIENT); // b takes its connection, sends its call; a holds it back
        Thread.sleep(100);
        aToB.resume(TcpRelay.Direction.TO_TARGET); // a's dial reaches b, which asks its link for a sign of life

        assertThat(fromB.get(10, TimeUnit.SECONDS)).containsExactly("from b");
        assertThat(fromA.get(10, TimeUnit.SECONDS)).containsExactly("from a");
        assertThat(seenByB.events()).as("what b saw").noneMatch(e -> !e.up());
        assertThat(seenByA.events()).as("what a saw").noneMatch(e -> !e.up());
        assertThat(a.call(echoB, "again").get(10, TimeUnit.SECONDS)).containsExactly("again");
        assertThat(b.call(echoA, "again").get(10, TimeUnit.SECONDS)).containsExactly("again");
    }

    @Test
    void aConnectionThatNeverCompletesDelaysTheDialOnlyBriefly() throws Exception {
        Node a = node("a");
        Node b = node("b");
        TcpRelay bToA = relay(a);
        b.addAddresses("a", List.of(bToA.address()));
        a.addAddresses("b", b.listenAddresses());
        PortId echoB = Calls.echo(b);

        bToA.stall(TcpRelay.Direction.TO_CLIENT); // b's handshake through the relay never completes
        Calls.echo(a);
        b.send(new PortId("a", "nobody"), "connect");
        awaitConnections(bToA, 1);
        Thread.sleep(200);
        long t0 = System.nanoTime();
        assertThat(a.call(echoB, "direct").get(10, TimeUnit.SECONDS)).containsExactly("direct");
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(waited).as("ms until a's own dial answered").isLessThan(3_000);
    }

    private Node node(String id) throws IOException {
        return start(NodeConfig.builder().nodeId(id));
    }

    private Node start(NodeConfig.Builder config) throws IOException {
        Node n = Node.start(config.binds("127.0.0.1:0").secret("crossed-connect-test")
                .connectInterval(Duration.ofSeconds(8)).build());
        open.add(n::close);
        return n;
    }

    /** Waits until {@code asker}'s seed can answer where {@code node} is (the seed knows it once it joined). */
    private static void awaitAddressKnown(Node seed, Node asker, String node) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!seed.upNodes().contains(node)) {
            assertThat(System.nanoTime()).as(node + " joined the seed").isLessThan(end);
            Thread.sleep(10);
        }
        assertThat(asker.upNodes()).doesNotContain(node);
    }

    private TcpRelay relay(Node target) throws IOException {
        TcpRelay r = TcpRelay.to(target.listenAddresses().get(0));
        open.add(r);
        return r;
    }

    private static void sleepUntil(long t0, long millis) throws InterruptedException {
        long left = t0 + TimeUnit.MILLISECONDS.toNanos(millis) - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** Waits until {@code n} lines from the target (a) have reached the relay. */
    private static void awaitLines(TcpRelay relay, int n) throws InterruptedException {
        awaitLines(relay, TcpRelay.Direction.TO_CLIENT, n);
    }

    /** Waits until {@code n} lines going {@code direction} have reached the relay. */
    private static void awaitLines(TcpRelay relay, TcpRelay.Direction direction, int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (relay.lines(direction) < n) {
            assertThat(System.nanoTime()).as("lines " + direction).isLessThan(end);
            Thread.sleep(5);
        }
    }

    private static void awaitConnections(TcpRelay relay, int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (relay.connections() < n) {
            assertThat(System.nanoTime()).as("connections through the relay").isLessThan(end);
            Thread.sleep(10);
        }
    }
}
