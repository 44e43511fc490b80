package org.aemp.observe;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page's HTTP server: serves the page, its script and style from the jar, one JSON snapshot, and
 * the stream {@code /events} of server-sent events (one {@code snapshot} event per change). Only
 * {@code GET} and {@code HEAD}, requests of at most 8 KiB of headers and no body to speak of, a
 * request within {@link #REQUEST_TIMEOUT_SECONDS}, {@link #MAX_CONNECTIONS} connections and
 * {@code maxClients} streams at once; anything else gets a 4xx (or 503) and the connection is
 * closed. The node is never affected: the server has its own event loop thread. Thread-safe.
 *
 * <pre>{@code
 * socket -> HttpServerCodec -> ReadTimeoutHandler (until a stream starts) -> HttpObjectAggregator(4 KiB) -> Handler
 * }</pre>
 */
final class PageServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PageServer.class);
    static final int MAX_CONNECTIONS = 64;
    static final int REQUEST_TIMEOUT_SECONDS = 10;
    private static final int MAX_BODY = 4096;
    private static final Map<String, String> TYPES = Map.of(
            "/", "text/html; charset=utf-8",
            "/observe.js", "text/javascript; charset=utf-8",
            "/observe.css", "text/css; charset=utf-8");
    private static final Map<String, String> FILES = Map.of(
            "/", "web/index.html", "/observe.js", "web/observe.js", "/observe.css", "web/observe.css");
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final boolean loopbackOnly;
    private final Optional<byte[]> token;
    private final int maxClients;
    private final Supplier<String> snapshot;
    private final Map<String, byte[]> files;
    private final EventLoopGroup group;
    private final ChannelGroup streams;
    private final AtomicInteger connections = new AtomicInteger();
    private final Channel server;
    private final int port;

    /**
     * Binds {@code host:port} and serves.
     *
     * @param loopbackOnly answer only requests whose Host header names loopback
     * @param token the token every request must carry ({@code ?token=}), or empty for none
     * @param snapshot the current snapshot as JSON
     * @throws IOException if the address cannot be bound or the page is missing from the jar
     */
    PageServer(String host, int port, boolean loopbackOnly, Optional<String> token, int maxClients,
            Supplier<String> snapshot) throws IOException {
        this.loopbackOnly = loopbackOnly;
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.maxClients = maxClients;
        this.snapshot = snapshot;
        this.files = Map.of("/", resource(FILES.get("/")), "/observe.js", resource(FILES.get("/observe.js")),
                "/observe.css", resource(FILES.get("/observe.css")));
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("aemp-observe-http", true),
                NioIoHandler.newFactory());
        this.streams = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        Handler handler = new Handler();
        io.netty.channel.ChannelFuture bound = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (connections.incrementAndGet() > MAX_CONNECTIONS) {
                                connections.decrementAndGet();
                                ch.close();
                                return;
                            }
                            ch.closeFuture().addListener(f -> connections.decrementAndGet());
                            ch.pipeline().addLast("http", new HttpServerCodec(4096, 8192, 8192))
                                    .addLast("timeout", new ReadTimeoutHandler(REQUEST_TIMEOUT_SECONDS))
                                    .addLast("aggregate", new HttpObjectAggregator(MAX_BODY) {
                                        @Override
                                        protected void handleOversizedMessage(ChannelHandlerContext ctx,
                                                HttpMessage oversized) {
                                            // Netty's own answer keeps the connection for a body it will ignore
                                            refuse(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                                                    "request body over " + MAX_BODY + " bytes");
                                        }
                                    })
                                    .addLast("page", handler);
                        }
                    })
                    .bind(host, port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("cannot serve the page on " + host + ":" + port + ": " + bound.cause().getMessage(),
                    bound.cause());
        }
        this.server = bound.channel();
        this.port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The port bound (the one picked by the OS if 0 was asked). */
    int port() {
        return port;
    }

    /** Streams connected now. */
    int streams() {
        return streams.size();
    }

    /** Sends {@code json} as a {@code snapshot} event to every stream that can take it now. */
    void publish(String json) {
        if (streams.isEmpty()) {
            return;
        }
        ByteBuf event = Unpooled.copiedBuffer("event: snapshot\ndata: " + json + "\n\n", StandardCharsets.UTF_8);
        try {
            for (Channel ch : streams) {
                if (ch.isWritable()) { // a slow reader misses snapshots; the next one is whole again
                    ch.writeAndFlush(new DefaultHttpContent(event.retainedDuplicate()));
                }
            }
        } finally {
            event.release();
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = PageServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("the page's file " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        }
    }

    @Sharable
    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (!req.decoderResult().isSuccess()) {
                refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad request");
                return;
            }
            boolean head = req.method().equals(HttpMethod.HEAD);
            if (!head && !req.method().equals(HttpMethod.GET)) {
                refuse(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET and HEAD");
                return;
            }
            String host = req.headers().get(HttpHeaderNames.HOST, "");
            if (loopbackOnly && !RequestTarget.isLoopbackHost(host, port)) {
                refuse(ctx, HttpResponseStatus.FORBIDDEN, "use http://127.0.0.1:" + port + "/");
                return;
            }
            RequestTarget target;
            try {
                target = RequestTarget.parse(req.uri());
            } catch (RequestTarget.Refused e) {
                refuse(ctx, HttpResponseStatus.valueOf(e.status()), e.getMessage());
                return;
            }
            if (token.isPresent() && !MessageDigest.isEqual(token.get(),
                    target.token().orElse("").getBytes(StandardCharsets.UTF_8))) {
                refuse(ctx, HttpResponseStatus.FORBIDDEN, "missing or wrong token");
                return;
            }
            switch (target.path()) {
                case "/events" -> stream(ctx, head);
                case "/snapshot.json" -> send(ctx, HttpResponseStatus.OK, "application/json",
                        snapshot.get().getBytes(StandardCharsets.UTF_8), head);
                default -> send(ctx, HttpResponseStatus.OK, TYPES.get(target.path()), files.get(target.path()), head);
            }
        }

        private void stream(ChannelHandlerContext ctx, boolean head) {
            if (streams.size() >= maxClients) {
                refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "too many pages open (" + maxClients + ")");
                return;
            }
            HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            secure(res.headers()).set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                    .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            if (head) {
                res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.pipeline().remove("timeout"); // a stream is quiet on the reading side
            ctx.write(res);
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("retry: 1000\nevent: snapshot\ndata: "
                    + snapshot.get() + "\n\n", StandardCharsets.UTF_8)));
            streams.add(ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("page connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    private static void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String reason) {
        send(ctx, status, "text/plain; charset=utf-8", (status.code() + " " + reason + "\n")
                .getBytes(StandardCharsets.UTF_8), false);
    }

    private static void send(ChannelHandlerContext ctx, HttpResponseStatus status, String type, byte[] body,
            boolean head) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        secure(res.headers()).set(HttpHeaderNames.CONTENT_TYPE, type)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    private static HttpHeaders secure(HttpHeaders h) {
        return h.set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("Content-Security-Policy", CSP)
                .set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "no-referrer");
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        streams.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
