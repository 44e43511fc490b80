package org.aemp.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aemp.Node;
import org.aemp.NodeInternals;
import org.aemp.codec.cbor.CborCodec;
import org.aemp.codec.json.JsonCodec;
import org.aemp.spi.Codec;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameDecoder;
import org.aemp.testing.Transcripts;
import org.aemp.testing.Transcripts.Chunk;
import org.aemp.testing.Transcripts.Connection;
import org.aemp.testing.Transcripts.Direction;

/**
 * Replays the connector's side of a recorded Perl session into a Java node that plays the
 * acceptor (the Perl echo node), with the acceptor's recorded greeting and nonce lines, and
 * collects what the Java node answers.
 *
 * <p>The connector's bytes are fed in pieces of any size, but a piece is only sent once the Java
 * node has produced as many answers as the Perl node had sent before the connector sent those
 * bytes: the recording's interleaving of the two directions is its causal order (a client sends
 * {@code mon1} for a port only after learning its name).
 */
final class Replay implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final Pattern DIE_AT = Pattern.compile("(?s)(.*) at \\S+ line \\d+\\.$");

    private final Connection recorded;
    private final Node node;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    private final Set<String> timeReplies = new HashSet<>();
    private final Set<String> evalReplies = new HashSet<>();
    private final List<String> expected = new ArrayList<>();
    private final byte[] clientStream;
    private final int[] requiredBefore; // per byte of the client stream: answers needed before sending it
    private final Collector collector = new Collector();
    private Channel client;
    private Channel server;

    Replay(Connection recorded, Node node) {
        this.recorded = recorded;
        this.node = node;
        this.clientStream = recorded.stream(Direction.TO_ACCEPTOR);
        findReplyPorts();
        this.requiredBefore = new int[clientStream.length];
        planOrder();
    }

    /** Recorded lines of the acceptor: greeting and nonce, to be sent by the Java node verbatim. */
    static byte[][] acceptorLines(Connection c) {
        var h = c.handshake(Direction.TO_CONNECTOR);
        return new byte[][] {h.greetingBytes(), h.nonceBytes()};
    }

    /** The 9-character local port prefix the Perl acceptor used, found in what it sent. */
    static String localPrefix(Connection c, String acceptor) {
        Pattern p = Pattern.compile(Pattern.quote(acceptor) + "#([0-9A-Za-z]{9})[a-z]+");
        for (String text : strings(c)) {
            Matcher m = p.matcher(text);
            if (m.matches()) {
                return m.group(1);
            }
        }
        return "PrefixXyz";
    }

    /** The RUNIQ the Perl acceptor used for spawn names, found in the spawn requests it sent. */
    static String runiq(Connection c) {
        List<List<Object>> sent = new ArrayList<>();
        decoderOf(c, Direction.TO_CONNECTOR).decode(ByteBuffer.wrap(c.handshake(Direction.TO_CONNECTOR).data()),
                (m, n) -> sent.add(m));
        for (List<Object> m : sent) {
            if (m.size() > 2 && "".equals(m.get(0)) && "AnyEvent::MP::_spawn".equals(m.get(1))) {
                Matcher r = Pattern.compile("([0-9A-Za-z]{9}[0-9A-Z])[a-z]+").matcher(String.valueOf(m.get(2)));
                if (r.matches()) {
                    return r.group(1);
                }
            }
        }
        return "RuniqXyzwQ";
    }

    /** Every string the acceptor sent, at any depth. */
    private static List<String> strings(Connection c) {
        List<List<Object>> sent = new ArrayList<>();
        decoderOf(c, Direction.TO_CONNECTOR).decode(ByteBuffer.wrap(c.handshake(Direction.TO_CONNECTOR).data()),
                (m, n) -> sent.add(m));
        List<String> out = new ArrayList<>();
        collect(sent, out);
        return out;
    }

    private static void collect(Object v, List<String> out) {
        if (v instanceof String s) {
            out.add(s);
        } else if (v instanceof List<?> l) {
            l.forEach(o -> collect(o, out));
        } else if (v instanceof Map<?, ?> m) {
            m.forEach((k, o) -> {
                collect(k, out);
                collect(o, out);
            });
        }
    }

    private static FrameDecoder decoderOf(Connection c, Direction d) {
        String framing = c.handshake(d).auth().orElseThrow().framing();
        return codec(framing).newDecoder(DecodeLimits.of(1 << 24));
    }

    /** The codec of a recorded direction, named in the auth line its sender sent. */
    private FrameDecoder decoder(Direction d) {
        return decoderOf(recorded, d);
    }

    static Codec codec(String framing) {
        return switch (framing) {
            case "json" -> new JsonCodec();
            case "cbor" -> new CborCodec();
            default -> throw new IllegalArgumentException("no codec for framing '" + framing + "' in the replay");
        };
    }

    private void findReplyPorts() {
        List<List<Object>> sent = new ArrayList<>();
        decoder(Direction.TO_ACCEPTOR).decode(ByteBuffer.wrap(recorded.handshake(Direction.TO_ACCEPTOR).data()),
                (m, n) -> sent.add(m));
        for (List<Object> m : sent) {
            if (m.size() >= 3 && "".equals(m.get(0)) && m.get(2) instanceof String reply) {
                if ("time".equals(m.get(1))) {
                    timeReplies.add(portName(reply));
                }
            }
            if (m.size() >= 4 && "".equals(m.get(0)) && "eval".equals(m.get(1)) && m.get(3) instanceof String reply) {
                evalReplies.add(portName(reply));
            }
        }
    }

    private static String portName(String portId) {
        int hash = portId.indexOf('#');
        return hash < 0 ? "" : portId.substring(hash + 1);
    }

    /** Walks the recording in order: what the acceptor had sent before each client byte. */
    private void planOrder() {
        int echoSkip = handshakeLength(recorded.stream(Direction.TO_CONNECTOR));
        FrameDecoder echoDecoder = decoder(Direction.TO_CONNECTOR);
        int echoSeen = 0;
        int clientOffset = 0;
        for (Chunk chunk : recorded.chunks()) {
            byte[] bytes = chunk.bytes();
            if (chunk.direction() == Direction.TO_CONNECTOR) {
                int from = Math.max(0, Math.min(bytes.length, echoSkip - echoSeen));
                echoSeen += bytes.length;
                if (from < bytes.length) {
                    echoDecoder.decode(ByteBuffer.wrap(bytes, from, bytes.length - from), (m, size) -> {
                        String n = normalize(m);
                        if (n != null) {
                            expected.add(n);
                        }
                    });
                }
            } else {
                for (int i = 0; i < bytes.length; i++) {
                    requiredBefore[clientOffset + i] = expected.size();
                }
                clientOffset += bytes.length;
            }
        }
    }

    private static int handshakeLength(byte[] stream) {
        int lines = 0;
        for (int i = 0; i < stream.length; i++) {
            if (stream[i] == '\n' && ++lines == 3) {
                return i + 1;
            }
        }
        return stream.length;
    }

    /**
     * The comparable form of a message: time values, eval results (a Java node runs no Perl) and
     * listen addresses are masked, Perl's "at FILE line N." after a die message is cut, and
     * booleans are written as Perl writes them ("1" and "").
     */
    String normalize(List<Object> message) {
        List<Object> m = new ArrayList<>();
        for (Object o : message) {
            m.add(normalizeValue(o));
        }
        if (m.size() == 4 && "".equals(m.get(0)) && "g_found".equals(m.get(1))) {
            m.set(3, "<addresses>"); // where the node listens differs between the recording and the replay
        }
        if (m.size() >= 3 && "".equals(m.get(0)) && "g_set".equals(m.get(1)) && m.get(2) instanceof Map<?, ?> db) {
            m.set(2, maskOwnAddresses(db, "'l"));
        }
        String port = String.valueOf(m.get(0));
        if (timeReplies.contains(port) && m.size() >= 2) {
            m.set(m.size() - 1, m.get(m.size() - 1) instanceof Number ? "<time>" : m.get(m.size() - 1));
        }
        if (evalReplies.contains(port)) {
            m = List.of(port, "<eval>");
        }
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Masks the acceptor's own entry in the address family {@code 'l} of a database. */
    private static Map<Object, Object> maskOwnAddresses(Map<?, ?> db, String family) {
        Map<Object, Object> out = new java.util.TreeMap<>(db);
        if (out.get(family) instanceof Map<?, ?> addresses && addresses.containsKey("echo")) {
            Map<Object, Object> masked = new java.util.TreeMap<>(addresses);
            masked.put("echo", "<addresses>");
            out.put(family, masked);
        }
        return out;
    }

    private static Object normalizeValue(Object o) {
        if (o instanceof Boolean b) {
            return b ? "1" : "";
        }
        if (o instanceof String s) {
            Matcher d = DIE_AT.matcher(s);
            return d.matches() ? d.group(1) : s;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(Replay::normalizeValue).toList();
        }
        if (o instanceof Map<?, ?> map) {
            java.util.Map<Object, Object> out = new java.util.TreeMap<>();
            map.forEach((k, v) -> out.put(k, normalizeValue(v)));
            return out;
        }
        return o;
    }

    /** What the Perl acceptor answered, normalised, in recorded order. */
    List<String> expected() {
        return expected;
    }

    /** Connects a client channel to a fresh channel adopted by the node with the recorded lines. */
    void connect(String name) throws InterruptedException {
        LocalAddress address = new LocalAddress("replay-" + name + "-" + System.nanoTime());
        byte[][] lines = acceptorLines(recorded);
        server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        NodeInternals.adopt(node, ch, false, lines);
                    }
                }).bind(address).sync().channel();
        client = new Bootstrap().group(group).channel(LocalChannel.class).handler(collector)
                .connect(address).sync().channel();
    }

    /** Sends the connector's bytes in pieces of the given sizes (cycled), in causal order. */
    void feed(int[] pieceSizes, Duration patience) throws InterruptedException {
        int offset = 0;
        int k = 0;
        while (offset < clientStream.length) {
            int size = Math.min(pieceSizes[k++ % pieceSizes.length], clientStream.length - offset);
            for (int j = 1; j < size; j++) {
                if (requiredBefore[offset + j] != requiredBefore[offset]) {
                    size = j; // a piece never crosses a point where the recorded client waited for an answer
                    break;
                }
            }
            collector.awaitAnswers(requiredBefore[offset], patience);
            client.writeAndFlush(Unpooled.wrappedBuffer(clientStream, offset, size)).sync();
            offset += size;
        }
    }

    /** Waits until the node has answered at least {@code n} comparable messages. */
    void awaitAnswers(int n, Duration patience) throws InterruptedException {
        collector.awaitAnswers(n, patience);
    }

    /** The Java node's auth line, once sent. */
    String authLine() {
        return collector.authLine();
    }

    /** What the Java node answered so far, normalised. */
    List<String> answers() {
        return collector.answers();
    }

    /** True once the node has closed the connection. */
    boolean closedByNode(Duration patience) throws InterruptedException {
        return client.closeFuture().await(patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Everything the node sent after its greeting lines, raw. */
    byte[] rawAfterGreeting() {
        return collector.rawAfterGreeting();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close().awaitUninterruptibly();
        }
        if (server != null) {
            server.close().awaitUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Collects the Java node's bytes: handshake lines, then JSON messages. */
    private final class Collector extends ChannelInboundHandlerAdapter {
        private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
        private final List<String> answers = new ArrayList<>();
        private FrameDecoder decoder; // made when the node's auth line names its framing
        private int lines;
        private String authLine;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                byte[] bytes = new byte[buf.readableBytes()];
                buf.readBytes(bytes);
                int i = 0;
                while (lines < 3 && i < bytes.length) {
                    byte b = bytes[i++];
                    if (lines >= 2) {
                        raw.write(b);
                    }
                    if (b == '\n') {
                        lines++;
                        if (lines == 3) {
                            authLine = line.toString(StandardCharsets.ISO_8859_1);
                            String[] fields = authLine.split(";", -1);
                            decoder = codec(fields.length > 2 ? fields[2] : "json")
                                    .newDecoder(DecodeLimits.of(1 << 24));
                        }
                        line.reset();
                    } else {
                        line.write(b);
                    }
                }
                if (i < bytes.length) {
                    raw.write(bytes, i, bytes.length - i);
                    decoder.decode(ByteBuffer.wrap(bytes, i, bytes.length - i), (m, size) -> {
                        String n = normalize(m);
                        if (n != null) {
                            answers.add(n);
                        }
                    });
                }
                notifyAll();
            } finally {
                buf.release();
            }
        }

        synchronized void awaitAnswers(int n, Duration patience) throws InterruptedException {
            long deadline = System.nanoTime() + patience.toNanos();
            while (answers.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the Java node answered " + answers.size() + " of the " + n
                            + " expected messages within " + patience + "; so far: " + answers
                            + "; expected: " + expected);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        synchronized String authLine() {
            return authLine;
        }

        synchronized List<String> answers() {
            return new ArrayList<>(answers);
        }

        synchronized byte[] rawAfterGreeting() {
            return raw.toByteArray();
        }
    }

}
