package org.aemp.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.aemp.Guard;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;

/**
 * Java nodes on 127.0.0.1 port 0 for the CLI tests, and the rc file text that points aemp's node
 * at them. The seed {@code seed} is global and has the ports {@code seed#echo} (records what it
 * gets, with the sending node) and {@code seed#rpc} (answers {@code "rpc_reply", args...} to the
 * reply port that {@code cal} appends), like the Perl interop node. Not thread-safe; one per test.
 */
final class TestNetwork implements AutoCloseable {
    static final String SECRET = "cli-test-secret";

    /** One message that arrived at {@code seed#echo}. */
    record Received(String from, List<Object> message) {
    }

    final BlockingQueue<Received> echoed = new LinkedBlockingQueue<>();
    private final List<Node> nodes = new ArrayList<>();
    final Node seed;

    TestNetwork() {
        seed = start("seed", b -> b.global(true));
        seed.receive(new PortId("seed", "echo"), (ctx, m) -> echoed.add(new Received(ctx.sourceNode(), m)));
        seed.receive(new PortId("seed", "rpc"), (ctx, m) -> {
            List<Object> answer = new ArrayList<>();
            answer.add("rpc_reply");
            answer.addAll(m.subList(0, m.size() - 1));
            ctx.node().send(PortId.parse((String) m.get(m.size() - 1)), answer);
        });
    }

    /** A node with this id on 127.0.0.1 port 0 and the test secret, closed with the network. */
    Node start(String id, UnaryOperator<NodeConfig.Builder> customize) {
        NodeConfig.Builder b = NodeConfig.builder().nodeId(id).binds(List.of("127.0.0.1:0")).secret(SECRET);
        try {
            Node n = Node.start(customize.apply(b).build());
            nodes.add(n);
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A node that uses the seed, once the seed knows it. */
    Node leaf(String id) {
        return registeredLeaf(id, b -> b);
    }

    List<String> seedAddresses() {
        return seed.listenAddresses();
    }

    /** An rc file whose {@code aemp} profile puts aemp's node on loopback with the seed and the secret. */
    String rc() {
        return rc("");
    }

    /** {@link #rc()} with more keys in the {@code aemp} profile, e.g. {@code "nodeid":"cli",}. */
    String rc(String moreAempKeys) {
        return "{\"version\":1,\"secret\":\"" + SECRET + "\",\"profile\":{\"aemp\":{" + moreAempKeys
                + "\"binds\":[\"127.0.0.1:*\"],\"seeds\":" + JsonText.compact(seedAddresses()) + "}}}";
    }

    /**
     * Waits until the seed knows where {@code node} listens (family {@code 'l} of its database), so
     * that others can find it; its link to the seed is up by then.
     */
    void awaitRegistered(String node) {
        CompletableFuture<Void> known = new CompletableFuture<>();
        try (Guard g = seed.db().monitor("'l", (family, added, changed, deleted) -> {
            if (family.containsKey(node)) {
                known.complete(null);
            }
        })) {
            known.orTimeout(20, TimeUnit.SECONDS).join();
        }
    }

    /** A node that uses the seed, once the seed knows it. */
    Node registeredLeaf(String id, UnaryOperator<NodeConfig.Builder> customize) {
        Node n = start(id, b -> customize.apply(b.seeds(seedAddresses())));
        awaitRegistered(id);
        return n;
    }

    /** Waits until {@code node} has a link to {@code peer}. */
    static void awaitLink(Node node, String peer) {
        CompletableFuture<Void> up = new CompletableFuture<>();
        try (Guard g = node.monitorNodes((n, isUp, reason) -> {
            if (isUp && n.equals(peer)) {
                up.complete(null);
            }
        })) {
            if (node.upNodes().contains(peer)) {
                up.complete(null);
            }
            up.orTimeout(20, TimeUnit.SECONDS).join();
        }
    }

    @Override
    public void close() {
        List<Node> all = new ArrayList<>(nodes);
        Collections.reverse(all);
        all.forEach(Node::close);
    }
}
