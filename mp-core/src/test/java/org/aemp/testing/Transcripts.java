package org.aemp.testing;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.aemp.spi.Transcript;

/**
 * The Perl AnyEvent::MP 2.02 sessions recorded in {@code org/aemp/testing/transcripts/} (see the
 * README there), read from their raw relay logs {@code NAME.relay.jsonl}. Each scenario holds one
 * or more TCP connections; each connection two byte streams, {@code >} from the connector to the
 * acceptor and {@code <} back, and {@link Connection#handshake} splits a stream into its phases:
 *
 * <pre>{@code
 * aemp;1;echo;tls_sha3_512,hmac_sha3_512,…;cbor,json,storable;…\n   greeting (line 1)
 * B6Vlb6W5eeXATLmB+ug/Bfl6s+OnpOsgt6Xqa/oSsNtx…\n                      nonce (line 2)
 * hmac_sha3_512;ee9bea94…;json\n                                       auth line (absent under TLS)
 * ["dAvZp3xPTb","ping",1]…                                             data: everything after
 * }</pre>
 *
 * <p>The class lives in mp-core's test jar so that every module's tests can replay real Perl
 * traffic. It parses with Jackson, which is only a test dependency of mp-core and therefore not
 * inherited through the test jar: a module that uses this class adds
 * {@code com.fasterxml.jackson.core:jackson-databind} in test scope itself. Thread-safe: loaded
 * sessions are immutable.
 */
public final class Transcripts {

    /** The class-path folder holding the recordings. */
    public static final String RESOURCE_FOLDER = "/org/aemp/testing/transcripts/";

    /** The shared secret both nodes used, except the connector in the {@code auth-failure-*} scenarios. */
    public static final String SECRET = "interop-secret";

    /** The connector's secret in the {@code auth-failure-*} scenarios, chosen to fail. */
    public static final String WRONG_SECRET = "wrong-secret";

    /** Every recorded scenario, in the order of the README's table. */
    private static final List<String> SCENARIOS = List.of(
            "json-pingpong", "json-cal", "json-spawn", "json-monkil", "json-global", "json-nodeport",
            "json-full-session", "json-two-globals", "cbor-default", "storable", "tls",
            "raw-python-hmac", "raw-python-cleartext", "auth-failure-raw", "auth-failure-perl");

    private static final ObjectMapper JSON = new ObjectMapper();

    private Transcripts() {
    }

    /** The names of all recorded scenarios, e.g. {@code json-pingpong}. */
    public static List<String> scenarios() {
        return SCENARIOS;
    }

    /**
     * Reads one scenario's relay log.
     *
     * @throws IllegalArgumentException if no such scenario was recorded
     * @throws IllegalStateException if the log is malformed; the message names the line
     */
    public static Session load(String scenario) {
        if (!SCENARIOS.contains(requireNonNull(scenario, "scenario"))) {
            throw new IllegalArgumentException("no recorded scenario '" + scenario + "'; available: " + SCENARIOS);
        }
        String resource = RESOURCE_FOLDER + scenario + ".relay.jsonl";
        try (InputStream in = Transcripts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path; add mp-core's test-jar");
            }
            return parse(scenario, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static Session parse(String scenario, BufferedReader reader) throws IOException {
        Map<Integer, ConnectionBuilder> connections = new TreeMap<>();
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            String where = scenario + ".relay.jsonl line " + number;
            JsonNode record = JSON.readTree(line);
            int conn = required(record, "conn", where).asInt();
            double time = required(record, "t", where).asDouble();
            ConnectionBuilder builder = connections.computeIfAbsent(conn, ConnectionBuilder::new);
            String event = record.path("ev").asText("");
            switch (event) {
                case "open" -> builder.peer = record.path("peer").asText("");
                case "close" -> builder.closedAt.put(Direction.of(required(record, "dir", where).asText(), where), time);
                case "" -> builder.chunks.add(new Chunk(Direction.of(required(record, "dir", where).asText(), where),
                        time, parseHex(required(record, "hex", where).asText(), where)));
                default -> throw new IllegalStateException(where + ": unknown event '" + event + "'");
            }
        }
        List<Connection> built = new ArrayList<>();
        connections.values().forEach(b -> built.add(b.build()));
        return new Session(scenario, built);
    }

    private static JsonNode required(JsonNode record, String key, String where) {
        JsonNode value = record.get(key);
        if (value == null || value.isNull()) {
            throw new IllegalStateException(where + ": missing key '" + key + "' in " + record);
        }
        return value;
    }

    private static byte[] parseHex(String hex, String where) {
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + ": invalid hex payload", e);
        }
    }

    /** A direction of a connection, written as in the recordings. */
    public enum Direction {
        /** {@code >}: connector (the dialling node) to acceptor. */
        TO_ACCEPTOR(">"),
        /** {@code <}: acceptor to connector. */
        TO_CONNECTOR("<");

        private final String symbol;

        Direction(String symbol) {
            this.symbol = symbol;
        }

        /** {@code >} or {@code <}. */
        public String symbol() {
            return symbol;
        }

        /** The other direction. */
        public Direction reverse() {
            return this == TO_ACCEPTOR ? TO_CONNECTOR : TO_ACCEPTOR;
        }

        static Direction of(String symbol, String where) {
            for (Direction d : values()) {
                if (d.symbol.equals(symbol)) {
                    return d;
                }
            }
            throw new IllegalStateException(where + ": invalid direction '" + symbol + "': expected > or <");
        }
    }

    /** One recorded scenario: its connections in the order they were opened. */
    public record Session(String scenario, List<Connection> connections) {
        public Session {
            requireNonNull(scenario, "scenario");
            connections = List.copyOf(connections);
        }

        /** The connection with this relay id (1 is the first). @throws IllegalArgumentException if none */
        public Connection connection(int id) {
            return connections.stream().filter(c -> c.id() == id).findFirst().orElseThrow(
                    () -> new IllegalArgumentException(scenario + " has no connection " + id + "; it has "
                            + connections.stream().map(Connection::id).toList()));
        }
    }

    /** One TCP read as the relay saw it: the chunk boundaries of the real session. */
    public static final class Chunk {
        private final Direction direction;
        private final double time;
        private final byte[] bytes;

        Chunk(Direction direction, double time, byte[] bytes) {
            this.direction = direction;
            this.time = time;
            this.bytes = bytes;
        }

        public Direction direction() {
            return direction;
        }

        /** When the relay read it, in Unix seconds. */
        public double time() {
            return time;
        }

        /** A copy of the bytes read. */
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public String toString() {
            return "Chunk[" + direction.symbol() + " " + bytes.length + " bytes at " + time + "]";
        }
    }

    /** One recorded TCP connection. Immutable. */
    public static final class Connection {
        private final int id;
        private final String peer;
        private final List<Chunk> chunks;
        private final Map<Direction, byte[]> streams;
        private final Map<Direction, Double> closedAt;

        private Connection(int id, String peer, List<Chunk> chunks, Map<Direction, Double> closedAt) {
            this.id = id;
            this.peer = peer;
            this.chunks = List.copyOf(chunks);
            this.closedAt = Map.copyOf(closedAt);
            Map<Direction, ByteArrayOutputStream> out = new EnumMap<>(Direction.class);
            for (Direction d : Direction.values()) {
                out.put(d, new ByteArrayOutputStream());
            }
            chunks.forEach(c -> out.get(c.direction).writeBytes(c.bytes));
            this.streams = new EnumMap<>(Direction.class);
            out.forEach((d, bytes) -> streams.put(d, bytes.toByteArray()));
        }

        /** The relay's connection number, from 1. */
        public int id() {
            return id;
        }

        /** The connector's address as the relay saw it (empty if not logged). */
        public String peer() {
            return peer;
        }

        /** Every chunk of both directions, in the order the relay read them. */
        public List<Chunk> chunks() {
            return chunks;
        }

        /** A copy of everything sent in one direction, chunks joined. */
        public byte[] stream(Direction direction) {
            return streams.get(requireNonNull(direction, "direction")).clone();
        }

        /** When the relay saw this direction end, if it logged that. */
        public OptionalDouble closedAt(Direction direction) {
            Double t = closedAt.get(requireNonNull(direction, "direction"));
            return t == null ? OptionalDouble.empty() : OptionalDouble.of(t);
        }

        /**
         * True if both greetings announce {@code tls=1.0}: then TLS starts right after the nonce
         * lines, and the auth lines are inside it.
         */
        public boolean usesTls() {
            return announcesTls(Handshake.split(streams.get(Direction.TO_ACCEPTOR), true).greeting())
                    && announcesTls(Handshake.split(streams.get(Direction.TO_CONNECTOR), true).greeting());
        }

        /** One direction's stream split into greeting, nonce, auth line (unless under TLS) and data. */
        public Handshake handshake(Direction direction) {
            return Handshake.split(stream(direction), usesTls());
        }

        /**
         * The four greeting lines as the sender of {@code own} sees them, its own first: the input of
         * the auth token it sent.
         */
        public Transcript transcript(Direction own) {
            Handshake mine = handshake(own);
            Handshake theirs = handshake(own.reverse());
            return Transcript.of(mine.greetingBytes(), mine.nonceBytes(), theirs.greetingBytes(), theirs.nonceBytes());
        }

        @Override
        public String toString() {
            return "Connection[" + id + ", > " + streams.get(Direction.TO_ACCEPTOR).length + " bytes, < "
                    + streams.get(Direction.TO_CONNECTOR).length + " bytes]";
        }

        private static boolean announcesTls(String greeting) {
            // key=value items start at field 6; only "tls" with integer value 1 turns TLS on (PROTOCOL.md 5.1)
            String[] fields = greeting.split(";", -1);
            for (int i = 5; i < fields.length; i++) {
                if (fields[i].startsWith("tls=")) {
                    String value = fields[i].substring(4);
                    return value.equals("1") || value.startsWith("1.");
                }
            }
            return false;
        }
    }

    /**
     * One direction of a connection split into its phases. Lines end at LF, and a CR just before
     * the LF is dropped. The line text maps each byte to one char (ISO-8859-1), so no byte is lost;
     * every recorded greeting is ASCII. Immutable.
     */
    public static final class Handshake {
        private final String greeting;
        private final String nonce;
        private final String authLine;
        private final byte[] data;

        private Handshake(String greeting, String nonce, String authLine, byte[] data) {
            this.greeting = greeting;
            this.nonce = nonce;
            this.authLine = authLine;
            this.data = data;
        }

        /**
         * Splits a stream. With {@code tls}, everything after the nonce line is TLS records, so
         * there is no visible auth line and all of it is {@link #data()}. Without TLS, a stream that
         * ends before a third LF has no auth line, and its tail is the data.
         *
         * @throws IllegalArgumentException if the stream holds fewer than two complete lines
         */
        public static Handshake split(byte[] stream, boolean tls) {
            int end1 = indexOf(stream, 0);
            int end2 = end1 < 0 ? -1 : indexOf(stream, end1 + 1);
            if (end2 < 0) {
                throw new IllegalArgumentException("stream of " + stream.length
                        + " bytes holds fewer than two LF-terminated lines (greeting and nonce)");
            }
            String greeting = line(stream, 0, end1);
            String nonce = line(stream, end1 + 1, end2);
            int end3 = tls ? -1 : indexOf(stream, end2 + 1);
            if (end3 < 0) {
                return new Handshake(greeting, nonce, null, Arrays.copyOfRange(stream, end2 + 1, stream.length));
            }
            return new Handshake(greeting, nonce, line(stream, end2 + 1, end3),
                    Arrays.copyOfRange(stream, end3 + 1, stream.length));
        }

        /** Greeting line 1, without its line end. */
        public String greeting() {
            return greeting;
        }

        /** Line 2, the base64 nonce, without its line end. */
        public String nonce() {
            return nonce;
        }

        /** The greeting line's bytes, as hashed into the auth token. */
        public byte[] greetingBytes() {
            return greeting.getBytes(StandardCharsets.ISO_8859_1);
        }

        /** The nonce line's bytes, as hashed into the auth token. */
        public byte[] nonceBytes() {
            return nonce.getBytes(StandardCharsets.ISO_8859_1);
        }

        /** The third line, {@code method;token;framing}, without its line end; empty under TLS. */
        public Optional<String> authLine() {
            return Optional.ofNullable(authLine);
        }

        /** The auth line split into its fields; empty under TLS. */
        public Optional<AuthLine> auth() {
            return authLine().map(AuthLine::parse);
        }

        /** A copy of the bytes after the auth line (after the nonce line under TLS). */
        public byte[] data() {
            return data.clone();
        }

        @Override
        public String toString() {
            return "Handshake[" + greeting + ", auth " + (authLine == null ? "none" : "present") + ", "
                    + data.length + " data bytes]";
        }

        private static int indexOf(byte[] stream, int from) {
            for (int i = from; i < stream.length; i++) {
                if (stream[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private static String line(byte[] stream, int from, int lf) {
            int end = lf > from && stream[lf - 1] == '\r' ? lf - 1 : lf;
            return new String(stream, from, end - from, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * An auth line's fields, {@code <method>;<token>;<framing>}; fields after the third are ignored,
     * as Perl does.
     */
    public record AuthLine(String method, String token, String framing) {
        public AuthLine {
            requireNonNull(method, "method");
            requireNonNull(token, "token");
            requireNonNull(framing, "framing");
        }

        /** @throws IllegalArgumentException if the line has fewer than three fields */
        public static AuthLine parse(String line) {
            String[] fields = line.split(";", -1);
            if (fields.length < 3) {
                throw new IllegalArgumentException("invalid auth line '" + line + "': expected <method>;<token>;<framing>");
            }
            return new AuthLine(fields[0], fields[1], fields[2]);
        }
    }

    /** Collects one connection's records while the log is read. */
    private static final class ConnectionBuilder {
        final int id;
        String peer = "";
        final List<Chunk> chunks = new ArrayList<>();
        final Map<Direction, Double> closedAt = new EnumMap<>(Direction.class);

        ConnectionBuilder(int id) {
            this.id = id;
        }

        Connection build() {
            return new Connection(id, peer, chunks, closedAt);
        }
    }
}
