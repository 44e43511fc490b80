package org.aemp.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.event.Level;

/** The example programs between Java nodes on loopback: a seed and nodes that find it. */
@Timeout(60)
class ExamplesTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private final List<Node> nodes = new ArrayList<>();

    @BeforeAll
    static void teardownNoise(TestLogs logs) {
        // a node that closes while a peer is going away may find a message it could not hand over
        logs.allow(Level.WARN, "node .* stopped: \\d+ messages were not sent");
    }

    @AfterEach
    void closeNodes() {
        // the last started first: clients before the seed they talk through
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
    }

    private Node start(String id, List<String> seeds) throws Exception {
        Node node = Node.start(NodeConfig.builder().nodeId(id).secret("examples-secret").binds("127.0.0.1:0")
                .seeds(seeds).build());
        nodes.add(node);
        return node;
    }

    private Node seed() throws Exception {
        Node seed = Node.start(NodeConfig.builder().nodeId("seed").secret("examples-secret").binds("127.0.0.1:0")
                .global(true).build());
        nodes.add(seed);
        return seed;
    }

    private static String next(BlockingQueue<String> lines) throws InterruptedException {
        String line = lines.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(line).as("a line within %s", PATIENCE).isNotNull();
        return line;
    }

    /** Reads lines until one equals {@code expected}, and returns those before it. */
    private static List<String> until(BlockingQueue<String> lines, String expected) throws InterruptedException {
        List<String> before = new ArrayList<>();
        for (String line = next(lines); !line.equals(expected); line = next(lines)) {
            before.add(line);
        }
        return before;
    }

    /** Waits until a client knows its server: its join may be relayed before it has noted the server. */
    static void awaitConnected(BooleanSupplier connected) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!connected.getAsBoolean()) {
            assertThat(System.nanoTime()).as("a client connected within %s", PATIENCE).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void theSimpleExampleGetsItsOwnMessage() throws Exception {
        Node node = start("alone", List.of());
        assertThat(SimpleExample.roundTrip(node, 123)).succeedsWithin(PATIENCE).isEqualTo(123);
    }

    @Test
    void theSenderReachesEveryReceiverInTheFamily() throws Exception {
        Node seed = seed();
        BlockingQueue<String> first = new LinkedBlockingQueue<>();
        BlockingQueue<String> second = new LinkedBlockingQueue<>();
        SimpleReceiver.listen(start("r1", seed.listenAddresses()), first::add);
        SimpleReceiver.listen(start("r2", seed.listenAddresses()), second::add);
        try (SimpleSender sender = SimpleSender.start(start("sender", seed.listenAddresses()), Duration.ofMillis(200))) {
            long before = System.currentTimeMillis() / 1000;
            assertThat(Long.parseLong(next(first))).isBetween(before - 1, before + 60);
            assertThat(Long.parseLong(next(second))).isBetween(before - 1, before + 60);
        }
    }

    @Test
    void chatClientsSeeJoinsMessagesAndQuits() throws Exception {
        Node seed = seed();
        BlockingQueue<String> relayed = new LinkedBlockingQueue<>();
        ChatServer.start(seed, relayed::add);
        BlockingQueue<String> alice = new LinkedBlockingQueue<>();
        BlockingQueue<String> bob = new LinkedBlockingQueue<>();
        ChatClient a = ChatClient.start(start("alice", seed.listenAddresses()), "alice", alice::add);
        until(alice, "alice (joins)");
        Node bobNode = start("bob", seed.listenAddresses());
        ChatClient.start(bobNode, "bob", bob::add);
        until(alice, "bob (joins)");
        until(bob, "bob (joins)");

        awaitConnected(a::isConnected);
        a.say("hello bob");

        until(bob, "alice: hello bob");
        assertThat(until(relayed, "relaying: alice: hello bob")).contains("relaying: bob (joins)");
        bobNode.close();
        String line = next(alice);
        while (!line.startsWith("bob (quits")) {
            line = next(alice);
        }
        assertThat(line).matches("bob \\(quits, .*\\)");
    }

    @Test
    void bridgeHeadChatClientsTalkThroughTheirSpawnedPorts() throws Exception {
        Node seed = seed();
        BridgeHeadChatServer.start(seed, line -> { });
        BlockingQueue<String> alice = new LinkedBlockingQueue<>();
        BlockingQueue<String> bob = new LinkedBlockingQueue<>();
        BridgeHeadChatClient.start(start("alice", seed.listenAddresses()), "alice", alice::add);
        until(alice, "alice (joins)");
        Node bobNode = start("bob", seed.listenAddresses());
        BridgeHeadChatClient b = BridgeHeadChatClient.start(bobNode, "bob", bob::add);
        until(alice, "bob (joins)");
        until(bob, "bob (joins)");

        awaitConnected(b::isConnected);
        b.say("hi alice");

        until(alice, "bob: hi alice");
        bobNode.close();
        String line = next(alice);
        while (!line.startsWith("bob (quits")) {
            line = next(alice);
        }
        assertThat(line).matches("bob \\(quits, .*\\)");
    }
}
