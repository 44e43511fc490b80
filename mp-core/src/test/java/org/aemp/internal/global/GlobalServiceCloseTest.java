package org.aemp.internal.global;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.aemp.internal.kernel.Workers;
import org.aemp.internal.net.NodeLinks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A closing node's global service sends nothing more. Before, a request that reached a closing
 * global node (another global node's {@code g_set}, say) was still answered, after the close had
 * drained the links: the answer sat on a link that was about to close, and the node reported it
 * as "queued on links, not taken within 5000 ms" (the mesh benchmark's intermittent WARN).
 */
class GlobalServiceCloseTest {
    private final Workers workers = new Workers("a", 1);
    private final BlockingQueue<List<Object>> sent = new LinkedBlockingQueue<>();
    private final GlobalService a = new GlobalService("a", (node, request) -> sent.add(List.of(node, request)),
            new UpLinks(), workers, Duration.ofSeconds(30));

    @AfterEach
    void stop() {
        workers.stop(Duration.ofSeconds(1));
    }

    @Test
    void aClosedGlobalNodeAnswersNoRequest() throws Exception {
        a.becomeGlobal();
        a.handle("b", "g_find", List.of("c"));
        List<Object> answer = sent.poll(5, TimeUnit.SECONDS);
        assertThat(answer).as("the open node answers").isNotNull();
        assertThat(answer.get(0)).isEqualTo("b");
        assertThat(answer.get(1)).asList().startsWith("g_found", "c");

        a.close();
        a.handle("b", "g_find", List.of("c"));
        a.handle("b", "g_set", List.of(Map.of("'l", Map.of("b", List.of("127.0.0.1:1")))));
        a.find("c").get(5, TimeUnit.SECONDS); // runs on the service's executor after both requests
        assertThat(sent).as("sent after close").isEmpty();
    }

    /** Every node counts as linked; nothing is dialled. */
    private static final class UpLinks implements NodeLinks {
        @Override
        public boolean isUp(String node) {
            return true;
        }

        @Override
        public CompletableFuture<String> dial(String address) {
            return new CompletableFuture<>();
        }

        @Override
        public void connect(String node) {
        }
    }
}
