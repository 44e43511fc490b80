package org.aemp.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.aemp.testing.Transcripts.AuthLine;
import org.aemp.testing.Transcripts.Connection;
import org.aemp.testing.Transcripts.Direction;
import org.aemp.testing.Transcripts.Handshake;
import org.aemp.testing.Transcripts.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TranscriptsTest {

    static List<String> scenarios() {
        return Transcripts.scenarios();
    }

    @Test
    void scenarioListMatchesTheRelayLogsOnTheClassPath() throws URISyntaxException, IOException {
        Path folder = Path.of(TranscriptsTest.class.getResource(Transcripts.RESOURCE_FOLDER).toURI());
        try (Stream<Path> files = Files.list(folder)) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".relay.jsonl"))
                    .map(n -> n.substring(0, n.length() - ".relay.jsonl".length()))
                    .toList();
            assertThat(names).containsExactlyInAnyOrderElementsOf(Transcripts.scenarios());
        }
    }

    /**
     * Checks the parser against the independent rendering made by the capture tools: for every
     * connection and direction, the total length, both greeting lines and the auth line.
     */
    @ParameterizedTest
    @MethodSource("scenarios")
    void splitAgreesWithTheDecodedRendering(String scenario) throws IOException {
        Session session = Transcripts.load(scenario);
        List<Rendered> rendered = Rendered.read(scenario);

        assertThat(rendered).hasSize(2 * session.connections().size());
        for (Rendered r : rendered) {
            Connection c = session.connection(r.connection);
            Handshake h = c.handshake(r.direction);
            assertThat(c.stream(r.direction)).as("%s %s", scenario, r).hasSize(r.totalBytes);
            assertThat(h.greeting() + "\n").isEqualTo(r.greeting);
            assertThat(h.nonce() + "\n").isEqualTo(r.nonce);
            if (r.auth == null) {
                assertThat(c.usesTls()).isTrue();
                assertThat(h.authLine()).isEmpty();
            } else {
                assertThat(h.authLine()).contains(r.auth.substring(0, r.auth.length() - 1));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void phasesAndChunksAddUpToTheStream(String scenario) {
        for (Connection c : Transcripts.load(scenario).connections()) {
            for (Direction d : Direction.values()) {
                Handshake h = c.handshake(d);
                int lines = h.greeting().length() + h.nonce().length() + 2
                        + h.authLine().map(a -> a.length() + 1).orElse(0);
                assertThat(lines + h.data().length).isEqualTo(c.stream(d).length);
                assertThat(h.greeting()).startsWith("aemp;1;");
                assertThat(h.nonce()).hasSize(88).matches("[A-Za-z0-9+/]+");

                ByteArrayOutputStream joined = new ByteArrayOutputStream();
                c.chunks().stream().filter(k -> k.direction() == d).forEach(k -> joined.writeBytes(k.bytes()));
                assertThat(joined.toByteArray()).isEqualTo(c.stream(d));
            }
        }
    }

    @Test
    void pingpongDataStartsRightAfterTheAuthLines() {
        Connection c = Transcripts.load("json-pingpong").connection(1);
        Handshake toAcceptor = c.handshake(Direction.TO_ACCEPTOR);

        assertThat(c.usesTls()).isFalse();
        assertThat(toAcceptor.auth()).get().extracting(AuthLine::method, AuthLine::framing)
                .containsExactly("hmac_sha3_512", "json");
        assertThat(toAcceptor.auth().orElseThrow().token()).hasSize(128).matches("[0-9a-f]+");
        assertThat(new String(toAcceptor.data(), UTF_8)).startsWith("[\"echo\",\"client#");
        assertThat(new String(c.handshake(Direction.TO_CONNECTOR).data(), UTF_8)).startsWith("[");
        assertThat(c.transcript(Direction.TO_ACCEPTOR).reversed()).isEqualTo(c.transcript(Direction.TO_CONNECTOR));
    }

    @Test
    void perlAuthFailureHasThreeConnectionsEachClosedBothWays() {
        Session s = Transcripts.load("auth-failure-perl");

        assertThat(s.connections()).extracting(Connection::id).containsExactly(1, 2, 3);
        for (Connection c : s.connections()) {
            assertThat(c.closedAt(Direction.TO_ACCEPTOR)).isPresent();
            assertThat(c.closedAt(Direction.TO_CONNECTOR)).isPresent();
            assertThat(c.handshake(Direction.TO_ACCEPTOR).data()).isEmpty();
        }
        assertThatThrownBy(() -> s.connection(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1, 2, 3]");
    }

    @Test
    void tlsStreamsHaveNoVisibleAuthLine() {
        Connection c = Transcripts.load("tls").connection(1);

        assertThat(c.usesTls()).isTrue();
        for (Direction d : Direction.values()) {
            Handshake h = c.handshake(d);
            assertThat(h.authLine()).isEmpty();
            assertThat(h.data()[0]).as("TLS handshake record type").isEqualTo((byte) 0x16);
        }
    }

    @Test
    void splitDropsCarriageReturnsBeforeLineFeeds() {
        Handshake h = Handshake.split("aemp;1;n;hmac_sha3_512;json\r\nNONCE\r\ncleartext;6162;json\r\n[1]\r\n"
                .getBytes(ISO_8859_1), false);

        assertThat(h.greeting()).isEqualTo("aemp;1;n;hmac_sha3_512;json");
        assertThat(h.nonce()).isEqualTo("NONCE");
        assertThat(h.authLine()).contains("cleartext;6162;json");
        assertThat(h.data()).isEqualTo("[1]\r\n".getBytes(ISO_8859_1));
    }

    @Test
    void splitWithoutAuthLineKeepsTheTailAsData() {
        Handshake h = Handshake.split("g\nn\npartial".getBytes(ISO_8859_1), false);

        assertThat(h.authLine()).isEmpty();
        assertThat(h.data()).isEqualTo("partial".getBytes(ISO_8859_1));
    }

    @Test
    void splitNeedsGreetingAndNonce() {
        assertThatThrownBy(() -> Handshake.split("aemp;1;x\nno-lf".getBytes(ISO_8859_1), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fewer than two LF-terminated lines");
    }

    @Test
    void authLineIgnoresExtraFieldsAndRejectsShortLines() {
        assertThat(AuthLine.parse("hmac_sha3_512;ab;json;x=1")).isEqualTo(new AuthLine("hmac_sha3_512", "ab", "json"));
        assertThat(AuthLine.parse("tls_anon;;json").token()).isEmpty();
        assertThatThrownBy(() -> AuthLine.parse("cleartext;ab")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<method>;<token>;<framing>");
    }

    @Test
    void unknownScenarioListsTheKnownOnes() {
        assertThatThrownBy(() -> Transcripts.load("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nope'").hasMessageContaining("json-pingpong");
    }

    /** One "== connection N direction D" block of {@code NAME.decoded.txt}, its escapes undone. */
    private record Rendered(int connection, Direction direction, int totalBytes, String greeting, String nonce,
            String auth) {
        private static final Pattern HEADER = Pattern.compile("== connection (\\d+) direction ([<>]) \\((\\d+) bytes total\\)");
        private static final Pattern FIELD = Pattern.compile("(greeting1|greeting2|auth): \"(.*)\"");

        static List<Rendered> read(String scenario) throws IOException {
            String text;
            try (InputStream in = TranscriptsTest.class.getResourceAsStream(
                    Transcripts.RESOURCE_FOLDER + scenario + ".decoded.txt")) {
                text = new String(in.readAllBytes(), UTF_8);
            }
            List<Rendered> out = new ArrayList<>();
            String[] lines = text.split("\n");
            for (int i = 0; i < lines.length; i++) {
                Matcher m = HEADER.matcher(lines[i]);
                if (!m.matches()) {
                    continue;
                }
                String[] fields = new String[3];
                for (int j = i + 1; j < lines.length && !lines[j].startsWith("=="); j++) {
                    Matcher f = FIELD.matcher(lines[j]);
                    if (f.matches()) {
                        int k = switch (f.group(1)) {
                            case "greeting1" -> 0;
                            case "greeting2" -> 1;
                            default -> 2;
                        };
                        fields[k] = unescape(f.group(2));
                    }
                }
                out.add(new Rendered(Integer.parseInt(m.group(1)), Direction.of(m.group(2), scenario),
                        Integer.parseInt(m.group(3)), fields[0], fields[1], fields[2]));
            }
            return out;
        }

        private static String unescape(String s) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(++i);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'x' -> {
                        b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    default -> b.append(e);
                }
            }
            return b.toString();
        }
    }
}
