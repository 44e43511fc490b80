package org.aemp.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.aemp.Context;
import org.aemp.Node;
import org.aemp.PortId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs the echo node and the client in one JVM for a few hundred messages; checks the output, never the speed. */
class BenchSmokeTest {

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "cbor", "json"})
    @Timeout(60)
    void clientPrintsClientPlKeysAgainstTheJavaEchoNode(String framing) throws Exception {
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (Node echo = EchoNode.start(Args.of(Map.of("nodeid", "echo-smoke", "bind", "127.0.0.1:*",
                "framing", framing)), log)) {
            String line = Client.run(Args.of(Map.of("seeds", echo.listenAddresses().get(0),
                    "target", "echo-smoke#echo", "n", "300", "window", "10", "size", "100", "warmup", "50",
                    "framing", framing)));

            assertThat(line).startsWith("{").endsWith("}").doesNotContain("\n");
            for (String key : List.of("target", "framing", "msgs", "window", "payload_bytes", "connect_s",
                    "elapsed_s", "msgs_per_s", "rtt_us", "p50", "p90", "p99", "p99.9", "max")) {
                assertThat(line).contains("\"" + key + "\":");
            }
            assertThat(line).contains("\"msgs\":300", "\"window\":10", "\"payload_bytes\":100",
                    "\"framing\":\"" + framing + "\"", "\"target\":\"echo-smoke#echo\"");
        }
    }

    @Test
    @Timeout(60)
    void echoNodeAnswersRpcAndEchoesTheWholePayload() throws Exception {
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (Node echo = EchoNode.start(Args.of(Map.of("nodeid", "echo-smoke2", "bind", "127.0.0.1:*")), log);
             Node client = Node.start(BenchNodes.config(Args.of(Map.of("nodeid", "client/%u"))).build())) {
            assertThat(client.connect(echo.listenAddresses().get(0))).succeedsWithin(Duration.ofSeconds(10))
                    .isEqualTo("echo-smoke2");
            assertThat(client.call(Duration.ofSeconds(10), PortId.parse("echo-smoke2#rpc"), "a", 1))
                    .succeedsWithin(Duration.ofSeconds(10))
                    .isEqualTo(List.of("rpc_reply", "a", 1));
        }
    }

    @Test
    @Timeout(120)
    void withObserveAnObserverLeafWatchesWithItsPageOpenDuringTheRun() throws Exception {
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (Node echo = EchoNode.start(Args.of(Map.of("nodeid", "echo-watched", "bind", "127.0.0.1:*",
                "observe", "1")), log)) {
            String line = Client.run(Args.of(Map.of("seeds", echo.listenAddresses().get(0),
                    "target", "echo-watched#echo", "n", "300", "window", "10", "warmup", "50", "observe", "1")));
            assertThat(line).contains("\"msgs\":300");
            assertThat(echo.db().keys(org.aemp.observe.StatsAgent.FAMILY).get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .singleElement().asString().startsWith("echo-watched#");
        }
    }

    @Test
    void argumentsWinOverEnvironmentOverDefaults() {
        Args a = Args.parse(List.of("n=5", "framing="), Map.of("AEMP_N", "7", "AEMP_WINDOW", "3"),
                Client.DEFAULTS);
        assertThat(a.integer("n", 0, 1)).isEqualTo(5);
        assertThat(a.integer("window", 0, 1)).isEqualTo(3);
        assertThat(a.integer("size", 0, 0)).isEqualTo(16);
        assertThat(a.get("framing")).isEmpty();
        Args filled = Args.of(Map.of("n", "", "window", "4")).withDefaults(Client.DEFAULTS);
        assertThat(filled.integer("n", 1)).isEqualTo(10000);
        assertThat(filled.integer("window", 1)).isEqualTo(4);
        assertThat(filled.require("target")).isEqualTo("echo#echo");
    }

    @Test
    @Timeout(60)
    void aReplyWithAnOutOfRangeNumericSequenceNumberFailsTheRunAtOnce() throws Exception {
        try (Node bad = Node.start(BenchNodes.config(Args.of(Map.of("nodeid", "bad-echo", "bind", "127.0.0.1:*")))
                .build())) {
            bad.receive(new PortId(bad.id(), "echo"), (ctx, msg) -> ctx.node().send(
                    PortId.parse(Context.text(msg, 0)), ((Number) msg.get(1)).longValue() + 1000, "x"));
            assertThatThrownBy(() -> Client.run(Args.of(Map.of("seeds", bad.listenAddresses().get(0),
                    "target", "bad-echo#echo", "n", "10", "warmup", "0"))))
                    .isInstanceOf(IOException.class).hasMessageContaining("unknown sequence number: 1001");
        }
    }

    @Test
    @Timeout(120)
    void numbersUseADecimalPointWhateverTheDefaultLocale() throws Exception {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            assertThat(Client.decimal("%.4f", 0.3895)).isEqualTo("0.3895");
            assertThat(MeshConvergence.run(List.of("n=2", "rounds=1")))
                    .matches("\\{\"nodes\":2,\"converge_ms\":\\[[0-9]+\\.[0-9]\\]\\}");
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void meshNeedsAtLeastTwoNodes() {
        assertThatThrownBy(() -> MeshConvergence.run(List.of("n=1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("n must be >= 2: 1");
        assertThatThrownBy(() -> MeshConvergence.run(List.of("nodes=3"))).isInstanceOf(IllegalArgumentException.class);
    }
}
