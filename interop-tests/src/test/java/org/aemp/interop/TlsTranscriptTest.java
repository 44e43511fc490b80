package org.aemp.interop;

import static org.aemp.interop.TlsFixtures.SELF_SIGNED;
import static org.assertj.core.api.Assertions.assertThat;

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
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aemp.Node;
import org.aemp.NodeInternals;
import org.aemp.interop.TlsFixtures.Watch;
import org.aemp.testing.TestNodes;
import org.aemp.testing.Transcripts;
import org.aemp.testing.Transcripts.Connection;
import org.aemp.testing.Transcripts.Direction;
import org.aemp.testing.Transcripts.Handshake;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.event.Level;

/**
 * The recorded Perl 2.02 {@code tls} session, used as far as it can be without Perl's private key:
 * a Java node gets one side's recorded greeting and nonce lines (on an in-memory channel) and the
 * other side's recorded lines as input, and must take the TLS role Perl took with those nonces.
 * In the recording the acceptor's nonce sorts first, so the acceptor sent the ClientHello; as the
 * connector, the Java node must wait as TLS server, and answer Perl's recorded ClientHello (OpenSSL
 * 3, TLS 1.3) with a ServerHello.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTranscriptTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Connection RECORDED = Transcripts.load("tls").connection(1);
    private static final Handshake ACCEPTOR = RECORDED.handshake(Direction.TO_CONNECTOR);
    private static final Handshake CONNECTOR = RECORDED.handshake(Direction.TO_ACCEPTOR);

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());

    /**
     * Each test leaves its handshake unfinished: when the in-memory peer goes first, the node logs
     * that the peer left in the middle of the TLS handshake.
     */
    @BeforeEach
    void peersLeaveMidHandshake(TestLogs logs) {
        logs.allow(Level.WARN, "failed: TLS handshake failed: the connection closed before it completed");
    }

    @AfterEach
    void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @Test
    void inTheRecordingTheAcceptorWithTheSmallerNonceSentTheClientHello() {
        assertThat(RECORDED.usesTls()).isTrue();
        assertThat(Arrays.compareUnsigned(ACCEPTOR.nonceBytes(), CONNECTOR.nonceBytes())).isNegative();
        assertThat(isClientHello(ACCEPTOR.data())).as("the acceptor's first bytes after its lines").isTrue();
        assertThat(isServerHello(CONNECTOR.data())).as("the connector's first bytes after its lines").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void withTheAcceptorsLinesTheJavaNodeSendsTheClientHello(SslProvider impl) throws Exception {
        Node node = javaNode("echo", impl);
        Peer peer = connect(node, false, ACCEPTOR);
        peer.send(lines(CONNECTOR));
        byte[] out = peer.await(lines(ACCEPTOR).length + 6);
        assertThat(Arrays.copyOf(out, lines(ACCEPTOR).length)).as("the recorded lines, verbatim")
                .isEqualTo(lines(ACCEPTOR));
        assertThat(isClientHello(Arrays.copyOfRange(out, lines(ACCEPTOR).length, out.length)))
                .as("a TLS handshake record with a ClientHello").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void withTheConnectorsLinesTheJavaNodeWaitsAsServerAndAnswersPerlsClientHello(SslProvider impl)
            throws Exception {
        Node node = javaNode("client", impl);
        Peer peer = connect(node, true, CONNECTOR);
        peer.send(lines(ACCEPTOR));
        int own = lines(CONNECTOR).length;
        assertThat(peer.await(own)).isEqualTo(lines(CONNECTOR));
        assertThat(peer.nothingMoreWithin(own, Duration.ofMillis(500))).as("a TLS server waits").isTrue();

        peer.send(firstRecord(ACCEPTOR.data()));
        byte[] out = peer.await(own + 6);
        assertThat(isServerHello(Arrays.copyOfRange(out, own, out.length))).as("a ServerHello").isTrue();
    }

    /** Lines and ClientHello in one piece: the bytes after the nonce line go into the new TLS handler. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void aClientHelloInTheSameChunkAsTheNonceLineIsNotLost(SslProvider impl) throws Exception {
        Node node = javaNode("client", impl);
        Peer peer = connect(node, true, CONNECTOR);
        byte[] lines = lines(ACCEPTOR);
        byte[] hello = firstRecord(ACCEPTOR.data());
        byte[] both = Arrays.copyOf(lines, lines.length + hello.length);
        System.arraycopy(hello, 0, both, lines.length, hello.length);
        peer.send(both);
        int own = lines(CONNECTOR).length;
        byte[] out = peer.await(own + 6);
        assertThat(isServerHello(Arrays.copyOfRange(out, own, out.length))).as("a ServerHello").isTrue();
    }

    private Node javaNode(String id, SslProvider impl) {
        return nodes.start(id, c -> TlsFixtures.tlsNode(c, SELF_SIGNED, impl, new Watch()).binds(List.of())
                .framingFormat(List.of("json")));
    }

    /** The greeting and nonce lines as sent, each with its LF. */
    private static byte[] lines(Handshake h) {
        byte[] g = h.greetingBytes();
        byte[] n = h.nonceBytes();
        byte[] out = new byte[g.length + n.length + 2];
        System.arraycopy(g, 0, out, 0, g.length);
        out[g.length] = '\n';
        System.arraycopy(n, 0, out, g.length + 1, n.length);
        out[out.length - 1] = '\n';
        return out;
    }

    /** The first TLS record of a stream: 5 header bytes and the length they give. */
    private static byte[] firstRecord(byte[] tls) {
        int length = ((tls[3] & 0xff) << 8) | (tls[4] & 0xff);
        return Arrays.copyOf(tls, 5 + length);
    }

    /** A TLS handshake record (0x16 0x03 ..) whose first message is a ClientHello (type 1). */
    private static boolean isClientHello(byte[] b) {
        return b.length >= 6 && b[0] == 0x16 && b[1] == 0x03 && b[5] == 0x01;
    }

    /** A TLS handshake record whose first message is a ServerHello (type 2). */
    private static boolean isServerHello(byte[] b) {
        return b.length >= 6 && b[0] == 0x16 && b[1] == 0x03 && b[5] == 0x02;
    }

    /** An in-memory connection that {@code node} adopts, sending {@code own}'s recorded lines as its own. */
    private Peer connect(Node node, boolean outgoing, Handshake own) throws InterruptedException {
        byte[][] fixed = {own.greetingBytes(), own.nonceBytes()};
        LocalAddress address = new LocalAddress("tls-transcript-" + System.nanoTime());
        new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        NodeInternals.adopt(node, ch, outgoing, fixed);
                    }
                }).bind(address).sync();
        Peer peer = new Peer();
        peer.channel = new Bootstrap().group(group).channel(LocalChannel.class).handler(peer)
                .connect(address).sync().channel();
        return peer;
    }

    /** The test's end of the in-memory connection: sends bytes, collects what the node sends. */
    private static final class Peer extends ChannelInboundHandlerAdapter {
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        Channel channel;

        void send(byte[] bytes) throws InterruptedException {
            channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).sync();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                synchronized (this) {
                    byte[] b = new byte[buf.readableBytes()];
                    buf.readBytes(b);
                    received.writeBytes(b);
                    notifyAll();
                }
            } finally {
                buf.release();
            }
        }

        /** Waits until at least {@code n} bytes have come, and returns all of them. */
        synchronized byte[] await(int n) throws InterruptedException {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (received.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the node sent " + received.size() + " bytes within " + PATIENCE
                            + ", expected at least " + n);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return received.toByteArray();
        }

        /** True if no more than {@code n} bytes have come by the end of {@code d}. */
        synchronized boolean nothingMoreWithin(int n, Duration d) throws InterruptedException {
            long deadline = System.nanoTime() + d.toNanos();
            while (received.size() <= n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return false;
        }
    }
}
