package org.aemp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts nodes for a test and closes them all afterwards. Register with
 * {@code @RegisterExtension final TestNodes nodes = new TestNodes();}. Nodes listen on nothing
 * unless the test configures binds.
 */
public final class TestNodes implements AfterEachCallback {
    private final List<Node> started = new ArrayList<>();

    /** A node with this id and no listener. */
    public Node start(String id) {
        return start(id, b -> b);
    }

    /**
     * A node with this id listening on a free loopback port, with a shared test secret and the
     * test auth method (mp-core's tests have no mp-auth).
     */
    public Node listening(String id) {
        return listening(id, b -> b);
    }

    public Node listening(String id, UnaryOperator<NodeConfig.Builder> customize) {
        return start(id, b -> customize.apply(b.binds(List.of("127.0.0.1:0")).secret("test-secret")
                .authOffer(List.of(TestAuth.NAME)).authAccept(List.of(TestAuth.NAME))));
    }

    /** A node with this id, no listener by default, and the test's changes to the configuration. */
    public synchronized Node start(String id, UnaryOperator<NodeConfig.Builder> customize) {
        NodeConfig config = customize.apply(NodeConfig.builder().nodeId(id).binds(List.of())).build();
        try {
            Node node = Node.start(config);
            started.add(node);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        for (Node n : started) {
            n.close();
        }
        started.clear();
    }
}
