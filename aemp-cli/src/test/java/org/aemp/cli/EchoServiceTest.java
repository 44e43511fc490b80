package org.aemp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;
import org.aemp.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EchoServiceTest {
    @Test
    void serviceLoaderFindsItByName() {
        assertThat(ServiceLoader.load(Service.class).stream().map(p -> p.get().name()))
                .contains(EchoService.NAME);
    }

    @Test
    void itPrintsWhatItGetsAndAnswersAReplyPortOfTheSender() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        EchoService echo = new EchoService(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try (Node node = Node.start(NodeConfig.builder().nodeId("e").binds(List.of()).build())) {
            echo.start(node, List.of("mirror"));

            List<Object> reply = node.call(Duration.ofSeconds(10), new PortId("e", "mirror"), "hello", 1)
                    .get();

            assertThat(reply).containsExactly("hello", 1);
            assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("e#mirror got [\"hello\",1,\"e#")
                    .endsWith("] from e" + System.lineSeparator());
        }
    }
}
