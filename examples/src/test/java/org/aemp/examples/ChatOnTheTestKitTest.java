package org.aemp.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.aemp.testkit.AempNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chat example tested as a user of mp-testkit would test it, through the public API only: a
 * server on the seed and two clients, the link of one client's node running through a relay that
 * the test black-holes in the middle of the conversation. The server's monitor on that client
 * fires with {@code transport_error}, and the other client is told that it quit.
 */
@Timeout(60)
class ChatOnTheTestKitTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @RegisterExtension
    final AempNetwork net = AempNetwork.builder().nodes(3).relay(0, 2)
            .configure(c -> c.livenessTimeout(Duration.ofSeconds(3))).build();

    @Test
    void aClientWhoseLinkGoesDarkMidConversationQuitsForTheOthers() throws Exception {
        ChatServer.start(net.node(0), line -> { });
        BlockingQueue<String> alice = new LinkedBlockingQueue<>();
        BlockingQueue<String> bob = new LinkedBlockingQueue<>();
        ChatClient.start(net.node(1), "alice", alice::add);
        // each client finds the server on its own schedule; bob starts once alice is in, or she
        // could join after him and never hear of his joining (as the server tells only those in)
        await(alice, "alice (joins)");
        ChatClient bobClient = ChatClient.start(net.node(2), "bob", bob::add);
        await(alice, "bob (joins)");

        bobClient.say("hello");
        await(alice, "bob: hello");
        await(bob, "bob: hello");

        net.link(0, 2).blackHole(); // bob's node can no longer reach the server's node, nor hear it
        String quit = await(alice, "bob (quits, transport_error");
        assertThat(quit).as("the server's monitor on bob fired with the link's loss").contains(net.node(2).id());
    }

    /** The next line starting with {@code prefix}, skipping others; fails after {@link #PATIENCE}. */
    private static String await(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        StringBuilder seen = new StringBuilder();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("no line starting with '" + prefix + "' within " + PATIENCE + "; seen: " + seen);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.append('[').append(line).append("] ");
        }
    }
}
