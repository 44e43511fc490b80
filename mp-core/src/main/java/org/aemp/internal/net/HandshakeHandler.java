package org.aemp.internal.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.aemp.spi.TlsContext;

/**
 * The Netty side of one connection's {@link Handshake}: feeds it the bytes, the timer and the TLS
 * outcome, and carries out what it asks (write, insert TLS, report). Once the peer has
 * authenticated, the node decides what becomes of the connection ({@link Links#authenticated});
 * until it does, this handler reads nothing more. If the node takes it, the link's
 * {@link FrameHandler} replaces this handler and gets the bytes that followed the auth line. A data
 * connection ({@link #dataConnId()}) is not a link: it is {@linkplain #handOver handed over} raw.
 *
 * <p>Not sharable; one instance per connection, confined to its event loop except for
 * {@link #accept}, {@link #refuse} and {@link #abort}, which any thread may call.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {

    /** What the handshake reports to the node. Called on the connection's event loop. */
    interface Links {
        /**
         * The peer's greeting claims {@code claimedNode} (not authenticated). Completes with null to
         * go on, or with why this connection is refused. It must not change anything else.
         */
        CompletionStage<String> check(String claimedNode, HandshakeHandler handshake);

        /**
         * The peer authenticated as {@code peer.nodeId()}. The node must answer, now or later, with
         * {@link #accept} or {@link #refuse}.
         */
        void authenticated(HandshakeHandler handshake, Handshake.Peer peer);

        /**
         * Our auth line is about to go out on a connection the peer dialled, whose greeting claimed
         * {@code claimedNode}: from then on the peer may take the connection. Called before the
         * write, so that anything which follows from the line being seen finds the answer. Followed
         * by {@link #authenticated} or {@link #ended}, on the same event loop.
         */
        default void answered(String claimedNode, HandshakeHandler handshake) {
        }

        /**
         * The handshake ended without a link.
         *
         * @param claimedNode the node id the greeting named (not authenticated), or null
         */
        void ended(HandshakeHandler handshake, String claimedNode, String reason, Handshake.Fault fault);
    }

    private final Handshake machine;
    private final Links links;
    private final Admission.Ticket ticket;
    private final byte[][] fixedLines;
    /** For dials: completes with the node id once a link to it is up, or fails. */
    final CompletableFuture<String> dialed;
    private ChannelHandlerContext context;
    private SslHandler ssl;
    private boolean started;
    private boolean connected;
    private Handshake.Peer peer;
    private final List<ByteBuf> held = new ArrayList<>(1); // bytes after the auth line, until accepted
    /** Whether this side's auth line went out: {@link #OPEN}, {@link #SENT} or {@link #ABORTED}. */
    private final AtomicInteger authLine = new AtomicInteger(OPEN);
    private static final int OPEN = 0;
    private static final int SENT = 1;
    private static final int ABORTED = 2;

    /**
     * @param ticket the admission of an accepted connection, or null for a dial
     * @param fixedLines this side's greeting and nonce lines, or null to make them
     */
    HandshakeHandler(Handshake machine, Links links, Admission.Ticket ticket, byte[][] fixedLines) {
        this.machine = machine;
        this.links = links;
        this.ticket = ticket;
        this.fixedLines = fixedLines;
        this.dialed = machine.isOutgoing() ? new CompletableFuture<>() : null;
    }

    boolean isOutgoing() {
        return machine.isOutgoing();
    }

    /** True once the TCP connection exists and the greeting went out (the peer knows of this handshake). */
    boolean isConnected() {
        return connected;
    }

    /** The authenticated peer, or null before. */
    Handshake.Peer authenticatedPeer() {
        return peer;
    }

    /** The node a dial is meant for, or null (an accepted connection, or a dial to a seed's address). */
    String expectedNode() {
        return machine.expectedNode();
    }

    /** For a started dial: the rank it will have once authenticated; otherwise null. */
    Handshake.Rank ownRank() {
        return machine.ownRank();
    }

    io.netty.channel.Channel channel() {
        return context.channel();
    }

    SocketAddress remoteAddress() {
        ChannelHandlerContext ctx = context;
        return ctx == null ? null : ctx.channel().remoteAddress();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        if (ctx.channel().isActive()) {
            begin(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        begin(ctx);
        ctx.fireChannelActive();
    }

    private void begin(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        long delay = ticket == null ? 0 : ticket.delayNanos();
        if (delay > 0) {
            // this address failed to authenticate lately: read nothing and say nothing for a while
            ctx.channel().config().setAutoRead(false);
            ctx.executor().schedule(() -> {
                ctx.channel().config().setAutoRead(true);
                start(ctx);
            }, delay, TimeUnit.NANOSECONDS);
        } else {
            start(ctx);
        }
    }

    private void start(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        connected = true;
        run(ctx, machine.start(ctx.channel().remoteAddress(), fixedLines));
        long wait = machine.deadline() - System.nanoTime();
        ctx.executor().schedule(() -> run(ctx, machine.tick()), Math.max(0, wait), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (peer != null) {
            held.add(in); // authenticated, waiting for the node's decision
            return;
        }
        try {
            if (machine.isOver()) {
                return;
            }
            byte[] bytes = new byte[in.readableBytes()];
            in.readBytes(bytes);
            run(ctx, machine.receive(bytes, 0, bytes.length));
        } finally {
            in.release();
        }
    }

    private void run(ChannelHandlerContext ctx, List<Handshake.Action> actions) {
        for (Handshake.Action a : actions) {
            if (a instanceof Handshake.Send s) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(s.bytes()));
            } else if (a instanceof Handshake.SendAuth s) {
                if (!authLine.compareAndSet(OPEN, SENT)) {
                    run(ctx, machine.abort("dropped before its auth line: connected by another connection",
                            Handshake.Fault.REFUSED));
                    return;
                }
                if (!isOutgoing()) { // before the write: once the line is out, a dial decided must see it
                    links.answered(machine.claimedNode(), this);
                }
                ctx.writeAndFlush(Unpooled.wrappedBuffer(s.bytes()));
            } else if (a instanceof Handshake.Claim c) {
                CompletableFuture<String> verdict = links.check(c.nodeId(), this).toCompletableFuture();
                if (verdict.isDone()) {
                    run(ctx, machine.claimDecided(verdict.getNow(null))); // the usual case: decided at once
                } else {
                    ctx.channel().config().setAutoRead(false);
                    verdict.whenComplete((refusal, err) -> ctx.executor().execute(() -> {
                        ctx.channel().config().setAutoRead(true);
                        run(ctx, machine.claimDecided(err != null ? "cannot decide: " + err : refusal));
                    }));
                }
            } else if (a instanceof Handshake.StartTls t) {
                startTls(ctx, t);
            } else if (a instanceof Handshake.Authenticated done) {
                peer = done.peer();
                ctx.channel().config().setAutoRead(false);
                if (done.rest().length > 0) {
                    held.add(Unpooled.wrappedBuffer(done.rest()));
                }
                if (ticket != null) {
                    ticket.done(false, true);
                }
                links.authenticated(this, peer);
            } else if (a instanceof Handshake.Failed f) {
                if (ticket != null) {
                    ticket.done(f.fault() == Handshake.Fault.AUTH, false);
                }
                links.ended(this, machine.claimedNode(), f.reason(), f.fault());
                ctx.close();
            }
        }
    }

    private void startTls(ChannelHandlerContext ctx, Handshake.StartTls t) {
        TlsContext tls = t.tls();
        ssl = new SslHandler(tls.newEngine(t.client()));
        ssl.setHandshakeTimeoutMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(machine.deadline() - System.nanoTime())));
        ctx.pipeline().addBefore(ctx.name(), "tls", ssl);
        if (t.rest().length > 0) {
            // the first TLS records; this may run outside a read (after the claim was decided), and
            // the TLS handler flushes what it answers on read-complete
            ctx.pipeline().fireChannelRead(Unpooled.wrappedBuffer(t.rest()));
            ctx.pipeline().fireChannelReadComplete();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && machine.state() == Handshake.State.TLS) {
            if (done.isSuccess()) {
                run(ctx, machine.tlsEstablished());
            } else if (done.cause() instanceof ClosedChannelException) {
                // no alert came; Perl (AnyEvent::Handle) closes without one when it refuses a certificate
                run(ctx, machine.tlsFailed("TLS handshake failed: the connection closed before it completed (did"
                        + " the peer refuse this node's certificate?)"));
            } else {
                run(ctx, machine.tlsFailed("TLS handshake failed: " + describe(done.cause())));
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * Takes the link: installs its frame handler after this one, hands it the bytes that followed
     * the auth line, and removes this handler. Any thread.
     */
    void accept(Link link, FrameHandler frames) {
        ChannelHandlerContext ctx = context;
        ctx.executor().execute(() -> {
            if (!ctx.channel().isActive() || ctx.isRemoved()) {
                release();
                return;
            }
            ctx.pipeline().addAfter(ctx.name(), "frames", frames);
            link.startLiveness();
            for (ByteBuf b : held) {
                ctx.fireChannelRead(b); // the frames that followed the auth line, to the frame handler
            }
            held.clear();
            ctx.pipeline().remove(this);
            ctx.channel().config().setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator());
            frames.startReading();
        });
    }

    /** Closes this authenticated connection unused. Any thread. */
    void refuse() {
        ChannelHandlerContext ctx = context;
        ctx.executor().execute(() -> {
            release();
            ctx.close();
        });
    }

    /** True once this side's auth line went out, so that the peer may authenticate this connection. */
    boolean authLineSent() {
        return authLine.get() == SENT;
    }

    /**
     * Gives up on this handshake if its auth line has not gone out yet (then the peer cannot
     * authenticate it, so both ends agree it never was); false if it has. Any thread.
     */
    boolean abortBeforeAuthLine(String reason) {
        if (!authLine.compareAndSet(OPEN, ABORTED)) {
            return authLine.get() == ABORTED;
        }
        abort(reason);
        return true;
    }

    /** Stops a handshake under way (a preferred connection won, or the node closes). Any thread. */
    void abort(String reason) {
        ChannelHandlerContext ctx = context;
        if (ctx == null) {
            return;
        }
        ctx.executor().execute(() -> run(ctx, machine.abort(reason, Handshake.Fault.REFUSED)));
    }

    private void release() {
        for (ByteBuf b : held) {
            b.release();
        }
        held.clear();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        run(ctx, machine.abort("connection closed during the handshake: Unexpected end-of-file",
                Handshake.Fault.CLOSED));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (machine.state() == Handshake.State.TLS || ssl != null && causedBy(cause, SSLException.class)) {
            // in TLS 1.3 the client's TLS handshake is done before the server checks its certificate,
            // so a refusal (an alert) may come while waiting for the auth line
            run(ctx, machine.tlsFailed("TLS handshake failed: " + describe(cause)));
        } else {
            run(ctx, machine.abort("connection error during the handshake: " + describe(cause),
                    Handshake.Fault.CLOSED));
        }
        if (peer != null) {
            ctx.close(); // authenticated and waiting for the node: the connection is unusable now
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    /**
     * A failure for the log: its message and, if different, its root cause's. TLS errors need the
     * cause: BoringSSL's own message is just {@code General OpenSslEngine problem}, and the reason
     * (an unknown CA, an expired or missing certificate) is further down the chain.
     */
    static String describe(Throwable failure) {
        while (failure.getCause() != null && failure.getCause() != failure
                && String.valueOf(failure.getMessage()).equals(failure.getCause().toString())) {
            failure = failure.getCause(); // a bare wrapper, such as Netty's DecoderException
        }
        Throwable root = failure;
        for (int i = 0; i < 20 && root.getCause() != null && root.getCause() != root; i++) {
            root = root.getCause();
        }
        String top = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        if (root == failure) {
            return top;
        }
        String cause = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return top.contains(cause) ? top : top + "; cause: " + cause;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        ChannelHandlerContext ctx = context;
        return (machine.isOutgoing() ? "dial" : "accepted connection") + (ctx == null ? "" : " " + ctx.channel());
    }

    // ---- data connections (AEMP aemp-dataconn) ----

    /** The id of the data connection this handshake is for, or null for a link (see {@link Handshake#dataConnId()}). */
    String dataConnId() {
        return machine.dataConnId();
    }

    /**
     * Hands this authenticated data connection to {@code taker}, on the event loop: removes this
     * handler, so that the pipeline keeps only TLS (if used), leaves reading off (autoRead false),
     * and parks the bytes that followed the auth line in a {@link HeldBytes} handler until the first
     * read. If the connection closed meanwhile, closes it and tells {@code lost} instead. Any thread.
     */
    void handOver(java.util.function.Consumer<io.netty.channel.Channel> taker,
            java.util.function.Consumer<String> lost) {
        ChannelHandlerContext ctx = context;
        ctx.executor().execute(() -> {
            if (!ctx.channel().isActive() || ctx.isRemoved()) {
                release();
                ctx.close();
                lost.accept("the connection closed right after authentication");
                return;
            }
            ctx.channel().config().setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator());
            if (!held.isEmpty()) {
                ctx.pipeline().addAfter(ctx.name(), HeldBytes.NAME, new HeldBytes(held));
                held.clear();
            }
            ctx.pipeline().remove(this);
            taker.accept(ctx.channel());
        });
    }
}
