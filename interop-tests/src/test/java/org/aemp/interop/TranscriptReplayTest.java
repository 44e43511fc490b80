package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.examples.JavaEchoNode;
import org.aemp.testing.Transcripts;
import org.aemp.testing.Transcripts.Connection;
import org.aemp.testing.Transcripts.Direction;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.event.Level;

/**
 * Transcript conformance: the connector's side of each recorded Perl 2.02 session is replayed
 * into a Java node playing the Perl echo node, with the echo node's recorded greeting and nonce
 * lines. The Java node must send exactly the auth line Perl sent (so its HMAC is the one Perl
 * computes and a Perl peer accepts it), accept the connector's token, decode Perl's frames, and
 * answer every request as the Perl node did.
 *
 * <p>The Java node is a global node, as the recorded Perl echo node was, so the {@code g_*}
 * answers of the distributed database are compared too. Masked in the comparison: time values,
 * eval results (a Java node runs no Perl code) and listen addresses. The storable session is not
 * replayed (Java never offers storable, so Perl never sends it); cbor and tls are replayed where
 * their codecs are tested.
 */
@Timeout(120)
class TranscriptReplayTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** Chunk sizes the connector's bytes are fed in: fixed, and random with fixed seeds. */
    static List<int[]> chunkings() {
        Random r = new Random(42);
        int[] random = r.ints(64, 1, 200).toArray();
        int[] tiny = r.ints(64, 1, 5).toArray();
        return List.of(new int[] {1}, new int[] {7}, new int[] {4096}, random, tiny);
    }

    static Stream<Arguments> sessions() {
        List<String> names = List.of("json-pingpong", "json-cal", "json-spawn", "json-monkil", "json-nodeport",
                "json-global", "json-full-session", "cbor-default", "json-two-globals", "raw-python-hmac",
                "raw-python-cleartext");
        return names.stream().flatMap(n -> chunkings().stream().map(c -> Arguments.of(n, c)));
    }

    private static Node echoNode(Connection c) throws IOException {
        Node node = Node.start(JavaEchoNode.functions(NodeConfig.builder())
                .nodeId("echo").binds(List.of()).secret(Transcripts.SECRET)
                .framingFormat(List.of("cbor", "json")).global(true)
                .reproducibleIds(Replay.runiq(c), Replay.localPrefix(c, "echo"))
                .build());
        JavaEchoNode.serve(node);
        return node;
    }

    @ParameterizedTest(name = "{0}, chunks {1}")
    @MethodSource("sessions")
    void theJavaNodeAnswersAsThePerlNodeDid(String scenario, int[] chunks, TestLogs logs) throws Exception {
        Connection c = Transcripts.load(scenario).connection(1);
        try (Node node = echoNode(c); Replay replay = new Replay(c, node)) {
            replay.connect(scenario);
            replay.feed(chunks, PATIENCE);
            replay.awaitAnswers(replay.expected().size(), PATIENCE);
            if (killsAnUnmonitoredPort(c)) {
                // the node reports an unmonitored port that died abnormally as an ERROR, as Perl does
                logs.await(PATIENCE, Level.ERROR, "^echo#\\S+ died unmonitored: \\[should_not_be_seen\\]$");
            }

            String perlAuth = c.handshake(Direction.TO_CONNECTOR).authLine().orElseThrow();
            assertThat(replay.authLine()).as("the auth line, byte for byte").isEqualTo(perlAuth);
            assertThat(replay.answers()).as("answers").containsExactlyInAnyOrderElementsOf(replay.expected());
            assertThat(replay.expected()).as("the session has answers to compare").isNotEmpty();
        }
    }

    /**
     * Some sessions end with Perl's side monitoring an echo port, unmonitoring it, and killing it
     * with the reason {@code should_not_be_seen} ({@code mon1}, {@code mon0}, {@code kil1}).
     */
    private static boolean killsAnUnmonitoredPort(Connection c) {
        return new String(c.stream(Direction.TO_ACCEPTOR), StandardCharsets.ISO_8859_1).contains("should_not_be_seen");
    }

    static Stream<Arguments> failedSessions() {
        return Stream.of(Arguments.of("auth-failure-raw", 1), Arguments.of("auth-failure-perl", 1),
                Arguments.of("auth-failure-perl", 2), Arguments.of("auth-failure-perl", 3));
    }

    @ParameterizedTest(name = "{0} connection {1}")
    @MethodSource("failedSessions")
    void aWrongTokenClosesTheLinkAfterTheAuthLineWithoutAWord(String scenario, int connection, TestLogs logs)
            throws Exception {
        Connection c = Transcripts.load(scenario).connection(connection);
        try (Node node = echoNode(c); Replay replay = new Replay(c, node)) {
            replay.connect(scenario);
            replay.feed(new int[] {4096}, PATIENCE);
            assertThat(replay.closedByNode(PATIENCE)).as("closed by the node").isTrue();
            logs.await(PATIENCE, Level.WARN, "^handshake with node \\S+ at \\S+ failed: "
                    + "authentication failure/shared secret mismatch$");
            String perlAuth = c.handshake(Direction.TO_CONNECTOR).authLine().orElseThrow();
            assertThat(replay.authLine()).isEqualTo(perlAuth);
            assertThat(new String(replay.rawAfterGreeting(), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .as("nothing after the auth line").isEqualTo(perlAuth + "\n");
        }
    }
}
