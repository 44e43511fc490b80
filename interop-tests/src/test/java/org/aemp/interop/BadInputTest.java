package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testing.logging.LogEvent;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.event.Level;

/**
 * Hostile and broken peers, written by hand on a plain socket ({@link RawPeer}): each bad input
 * closes that connection (or fails that link) with a log line naming the reason, and the node
 * goes on serving its other, established link to node {@code b}, which is pinged afterwards.
 */
@Timeout(30)
class BadInputTest {
    private static final String SECRET = JavaToJavaTest.SECRET;
    private static final Duration PATIENCE = RawPeer.PATIENCE;
    /** What the JSON decoder says of a message over a limit of 1024 bytes, or of a string in it. */
    private static final String LIMIT_EXCEEDED = "exceeds the (frame limit of |maximum allowed \\()1024";

    @RegisterExtension
    final TestNodes nodes = new TestNodes();
    private TestLogs logs;

    private Node a;
    private Node b;
    private final Probe<List<Object>> delivered = new Probe<>();
    private final Probe<String> nodeEvents = new Probe<>();

    @BeforeEach
    void logs(TestLogs logs) {
        this.logs = logs;
    }

    /** Waits for the WARN that names the bad input: a line holding {@code parts} in this order. */
    private LogEvent awaitWarn(String... parts) {
        return logs.await(PATIENCE, Level.WARN, LogPatterns.inOrder(parts));
    }

    /** Starts {@code a} (the node under attack, with port {@code a#in}) and {@code b}, linked to it. */
    private void start(UnaryOperator<NodeConfig.Builder> more) {
        a = nodes.start("a", c -> more.apply(c.binds(List.of("127.0.0.1:0")).secret(SECRET)
                .framingFormat(List.of("json"))));
        b = nodes.start("b", c -> c.binds(List.of("127.0.0.1:0")).secret(SECRET).framingFormat(List.of("json")));
        b.addAddresses("a", a.listenAddresses());
        a.receive(new PortId("a", "in"), (ctx, m) -> delivered.put(m));
        JavaToJavaTest.echo(a);
        a.monitorNodes((node, up, reason) -> nodeEvents.put(node + (up ? " up" : " down " + reason.values())));
        JavaToJavaTest.ping(b, a);
        assertThat(nodeEvents.next()).isEqualTo("b up");
    }

    private void start() {
        start(c -> c);
    }

    /** The established link to {@code b} is still up and still answers a ping. */
    private void stillServing() {
        JavaToJavaTest.ping(b, a);
        assertThat(a.upNodes()).contains("b");
    }

    private RawPeer raw(String nodeId) throws IOException {
        return RawPeer.connect(a.listenAddresses().get(0), nodeId);
    }

    /** A raw peer {@code raw} past the handshake, with the link up on a's side too. */
    private RawPeer linkedRaw() throws IOException {
        RawPeer raw = raw("raw").handshake(SECRET);
        assertThat(nodeEvents.next()).isEqualTo("raw up");
        return raw;
    }

    // ---- before authentication ----

    @Test
    void aGarbageGreetingClosesTheConnection() throws IOException {
        start();
        try (RawPeer raw = raw("raw")) {
            raw.write("HELO world\n");
            assertThat(raw.awaitClosed(PATIENCE)).as("connection closed").isTrue();
        }
        awaitWarn("handshake with /127.0.0.1:", "unparsable greeting, expected 'aemp', got 'HELO world'");
        stillServing();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aLineOf5KiBBeforeAuthClosesTheConnection(boolean afterAValidGreeting) throws IOException {
        start();
        try (RawPeer raw = raw("raw")) {
            if (afterAValidGreeting) {
                raw.write(raw.greeting() + "\n");
            }
            raw.write("x".repeat(5 * 1024) + "\n");
            assertThat(raw.awaitClosed(PATIENCE)).as("connection closed").isTrue();
        }
        awaitWarn("handshake with ", "line too long", "before authentication");
        stillServing();
    }

    @Test
    void aWrongSecretFailsTheHandshake() throws Exception {
        start();
        try (RawPeer raw = raw("raw")) {
            raw.sendGreeting(raw.greeting()).readGreeting();
            raw.write("hmac_sha3_512;" + raw.token("not-the-secret") + ";json\n");
            assertThat(raw.awaitClosed(PATIENCE)).as("connection closed").isTrue();
        }
        awaitWarn("handshake with node raw at /127.0.0.1:",
                "authentication failure/shared secret mismatch");

        Node c = nodes.start("c", x -> x.binds(List.of()).secret("not-the-secret").framingFormat(List.of("json")));
        assertThatThrownBy(() -> c.connect(a.listenAddresses().get(0)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("authentication failure/shared secret mismatch");
        awaitWarn("handshake with node c at ", "failed: authentication failure/shared secret mismatch");
        awaitWarn("handshake with node a at ", "failed: authentication failure/shared secret mismatch");
        assertThat(a.upNodes()).containsExactly("b");
        stillServing();
    }

    @Test
    void aGreetingOfVersion2IsRefused() throws IOException {
        start();
        try (RawPeer raw = raw("raw")) {
            raw.sendGreeting("aemp;2;raw;hmac_sha3_512;json");
            assertThat(raw.awaitClosed(PATIENCE)).as("connection closed").isTrue();
        }
        awaitWarn("handshake with /127.0.0.1:", "version mismatch (we: 1, they: 2)");
        stillServing();
    }

    @ParameterizedTest
    @ValueSource(strings = {"aemp-upgrade;1;raw;hmac_sha3_512;json", "http;1;raw;hmac_sha3_512;json"})
    void aProtocolOtherThanAempIsRefused(String greeting) throws IOException { // aemp-dataconn: see DataConnTest
        start();
        try (RawPeer raw = raw("raw")) {
            raw.sendGreeting(greeting);
            assertThat(raw.awaitClosed(PATIENCE)).as("connection closed").isTrue();
        }
        String protocol = greeting.substring(0, greeting.indexOf(';'));
        awaitWarn("unparsable greeting, expected 'aemp', got '" + protocol + "'");
        stillServing();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tls_anon;;json                  | tls_anon",
        "hmac_md6_64_256;00ff;json       | hmac_md6_64_256",
        "cleartext;6a6176612d746f2d6a6176612d736563726574;json | cleartext"})
    void anAuthLineForAMethodWeDoNotAcceptIsRefused(String authLine, String method) throws IOException {
        start(c -> c.authAccept(List.of("hmac_sha3_512")));
        try (RawPeer raw = raw("raw")) {
            raw.sendGreeting(raw.greeting()).readGreeting();
            assertThat(raw.peerGreeting()).contains(";hmac_sha3_512;");
            raw.write(authLine + "\n");
            assertThat(raw.awaitClosed(PATIENCE)).as("connection closed").isTrue();
        }
        awaitWarn("handshake with node raw", method + ": fatal, selected unsupported rcv auth method");
        stillServing();
    }

    @Test
    void aSilentPeerIsDroppedAfterTheMonitorTimeout() throws IOException {
        start(c -> c.monitorTimeout(Duration.ofSeconds(1)));
        try (RawPeer raw = raw("raw")) {
            raw.sendGreeting(raw.greeting()).readGreeting(); // and then nothing
            assertThat(raw.awaitClosed(PATIENCE)).as("connection closed").isTrue();
        }
        awaitWarn("handshake with node raw", "handshake timeout: not done within 1000 ms");
        stillServing();
    }

    @Test
    void aNodeIdWithAHashIsRefused() throws IOException {
        start();
        try (RawPeer raw = raw("evil#x")) {
            raw.sendGreeting(raw.greeting());
            assertThat(raw.awaitClosed(PATIENCE)).as("connection closed").isTrue();
        }
        awaitWarn("unparsable greeting: invalid node id 'evil#x'");
        assertThat(a.upNodes()).containsExactly("b");
        stillServing();
    }

    @Test
    void theNodesOwnGreetingSentBackIsRefused() throws IOException {
        start();
        try (RawPeer raw = raw("raw")) {
            byte[] greeting = raw.readLine();
            byte[] nonce = raw.readLine();
            raw.write(new String(greeting, java.nio.charset.StandardCharsets.UTF_8) + "\n"
                    + new String(nonce, java.nio.charset.StandardCharsets.UTF_8) + "\n");
            assertThat(raw.awaitClosed(PATIENCE)).as("connection closed").isTrue();
        }
        assertThat(a.upNodes()).containsExactly("b");
        stillServing();
    }

    // ---- after authentication ----

    @Test
    void aTruncatedFrameFailsTheLinkAndDeliversNothing() throws IOException {
        start();
        Probe<KillReason> down = new Probe<>();
        try (RawPeer raw = linkedRaw()) {
            a.monitor(PortId.parse("raw#p1"), down::put);
            a.monitor(PortId.parse("raw#p2"), down::put);
            a.monitor(PortId.parse("raw"), down::put);
            assertThat(raw.readMessage()).containsExactly("", "mon1", "p1");
            assertThat(raw.readMessage()).containsExactly("", "mon1", "p2");
            raw.write("[\"in\",\"complete\"][\"in\",\"half of a mess");
        }
        assertThat(delivered.next()).containsExactly("complete");
        for (int i = 0; i < 3; i++) {
            assertThat(down.next().values()).containsExactly("transport_error", "raw", "Unexpected end-of-file");
        }
        assertThat(nodeEvents.next()).isEqualTo("raw down [transport_error, raw, Unexpected end-of-file]");
        stillServing();
        assertThat(delivered.isEmpty()).as("nothing of the truncated frame was delivered").isTrue();
        down.nothingWithin(Duration.ofMillis(200));
    }

    @Test
    void invalidJsonAfterAuthFailsTheLink() throws IOException {
        start();
        Probe<KillReason> down = new Probe<>();
        try (RawPeer raw = linkedRaw()) {
            a.monitor(PortId.parse("raw#p1"), down::put);
            assertThat(raw.readMessage()).containsExactly("", "mon1", "p1");
            raw.write("[\"in\",\"before\"][\"in\",}");
            assertThat(raw.awaitClosed(PATIENCE)).as("connection closed").isTrue();
        }
        assertThat(delivered.next()).containsExactly("before");
        KillReason r = down.next();
        assertThat(r.values().subList(0, 2)).containsExactly("transport_error", "raw");
        assertThat((String) r.values().get(2)).startsWith("json: invalid input");
        awaitWarn("raw", "json: invalid input");
        stillServing();
        assertThat(delivered.isEmpty()).isTrue();
    }

    @Test
    void unknownNodePortRequestsAreLoggedAndNotAnswered() throws IOException {
        start();
        try (RawPeer raw = linkedRaw()) {
            raw.write("[\"\",\"No::Such::function\",1][\"\",\"unknown_tag\"][][\"\",\"\"][\"\",\"devnull\",1]");
            raw.write("[\"\",\"time\",\"raw#r1\",\"after\"]");
            List<Object> first = raw.readMessage();
            assertThat(first.subList(0, 2)).as("the first thing a sends back").containsExactly("r1", "after");
            awaitWarn("unknown node-port request 'No::Such::function' from raw");
            awaitWarn("unknown node-port request 'unknown_tag' from raw");
            assertThat(a.upNodes()).contains("raw", "b");
            raw.write("[\"in\",\"still\",\"here\"]");
            assertThat(delivered.next()).containsExactly("still", "here");
        }
        stillServing();
    }

    /**
     * The frame arrives in one read (Netty's first reads are up to 2 KiB): one long string, or
     * 1.5 KiB of short elements.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aFrameOverTheConfiguredLimitFailsTheLink(boolean oneLongString) throws IOException {
        start(c -> c.maxFrameLength(1024));
        Probe<KillReason> down = new Probe<>();
        try (RawPeer raw = linkedRaw()) {
            a.monitor(PortId.parse("raw#p1"), down::put);
            assertThat(raw.readMessage()).containsExactly("", "mon1", "p1");
            String big = oneLongString ? "\"" + "x".repeat(4000) + "\"" : "\"xx\",".repeat(300) + "1";
            raw.write("[\"in\",\"small\"][\"in\"," + big + "]");
            assertThat(raw.awaitClosed(PATIENCE)).as("connection closed").isTrue();
        }
        assertThat(delivered.next()).containsExactly("small");
        KillReason r = down.next();
        assertThat((String) r.values().get(2)).startsWith("json: ").containsPattern(LIMIT_EXCEEDED);
        awaitWarn("raw", "1024");
        stillServing();
        assertThat(delivered.isEmpty()).as("the oversized frame was not delivered").isTrue();
    }

    @Test
    void aFrameOverTheLimitArrivingInPiecesFailsTheLinkToo() throws IOException {
        start(c -> c.maxFrameLength(1024));
        try (RawPeer raw = linkedRaw()) {
            raw.write("[\"in\"");
            try {
                for (int i = 0; i < 20; i++) {
                    raw.write(",\"xx\"".repeat(20)); // the message never ends
                }
            } catch (SocketException e) {
                // the node closed the link once the limit was passed, before the last pieces
            }
            assertThat(raw.awaitClosed(PATIENCE)).as("connection closed").isTrue();
        }
        awaitWarn("raw", "exceeds the frame limit of 1024 bytes");
        assertThat(nodeEvents.next()).startsWith("raw down [transport_error, raw, json: message of at least");
        stillServing();
        assertThat(delivered.isEmpty()).isTrue();
    }
}
