package org.aemp.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * Two TLS endpoints over a real loopback TCP connection (127.0.0.1, port 0). Each side runs its
 * own {@link SslHandler} with the engine the test supplies, so the TLS role is whatever that
 * engine says, independent of who accepted the TCP connection. Once its own handshake succeeds,
 * each side writes one short message; the test checks what arrived.
 */
final class TlsLoopback implements AutoCloseable {
    static final String FROM_ACCEPTOR = "hello from the side that accepted";
    static final String FROM_DIALER = "hello from the side that dialled";

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    /** One end of the link: its handshake outcome, what it received, and when it closed. */
    static final class Side extends SimpleChannelInboundHandler<ByteBuf> {
        final CompletableFuture<SSLSession> handshake = new CompletableFuture<>();
        final CompletableFuture<String> received = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final String send;
        private final int expect;
        private final ByteArrayOutputStream in = new ByteArrayOutputStream(); // confined to the channel's loop

        Side(String send, String expect) {
            this.send = send;
            this.expect = expect.getBytes(StandardCharsets.UTF_8).length;
        }

        void install(Channel ch, SSLEngine engine) {
            SslHandler ssl = new SslHandler(engine);
            ch.pipeline().addLast(ssl, this);
            ch.closeFuture().addListener(f -> closed.complete(null));
            ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    handshake.complete(engine.getSession());
                    ch.writeAndFlush(Unpooled.copiedBuffer(send, StandardCharsets.UTF_8));
                } else {
                    handshake.completeExceptionally(f.cause());
                }
            });
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) throws Exception {
            msg.readBytes(in, msg.readableBytes());
            if (in.size() >= expect) {
                received.complete(in.toString(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // the handshake future carries TLS failures; anything else also ends the link
            ctx.close();
        }
    }

    /** Both ends of one connection. */
    record Link(Side acceptor, Side dialer, Channel server) {
    }

    /**
     * Listens on 127.0.0.1:0, dials it, and starts TLS on both ends with the given engines.
     * Returns once the TCP connection is up; the handshakes run on.
     */
    Link connect(Supplier<SSLEngine> acceptorEngine, Supplier<SSLEngine> dialerEngine) throws InterruptedException {
        Side acceptor = new Side(FROM_ACCEPTOR, FROM_DIALER);
        Side dialer = new Side(FROM_DIALER, FROM_ACCEPTOR);
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        acceptor.install(ch, acceptorEngine.get());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        dialer.install(ch, dialerEngine.get());
                    }
                })
                .connect(server.localAddress()).sync();
        return new Link(acceptor, dialer, server);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
