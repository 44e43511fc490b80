package org.aemp.internal.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ByteProcessor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.aemp.spi.AuthMethod;
import org.aemp.spi.Codec;
import org.aemp.spi.HandshakeException;
import org.aemp.spi.TlsContext;
import org.aemp.spi.Transcript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AEMP handshake of one connection, as a small state machine:
 * <pre>
 *  GREETING ──line 1──► NONCE ──line 2──► [TLS: SslHandler inserted, wait for it] ──► AUTH ──auth line──► DONE
 *       any error, a line of 4096 bytes or more, or monitor_timeout without data ──► FAILED (closed)
 * </pre>
 * Both sides send their greeting and nonce lines at once and follow the same steps, so neither
 * waits for the other to speak first. Once the peer's auth line checks out, this handler installs
 * the link's {@link FrameHandler}, hands any bytes that followed the auth line to it, and removes
 * itself. Bad input closes this connection only, with a log line that names the peer and the reason.
 *
 * <p>Not sharable; one instance per connection, confined to its event loop.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);
    /** AEMP: before auth, every line must be shorter than 4096 bytes, line end included. */
    static final int MAX_LINE = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the handshake reports to the node's connection table. Called on the event loop. */
    interface Links {
        /** The peer's greeting names {@code node}; returns null to go on, or why this link is refused. */
        String claim(String node, HandshakeHandler handshake);

        /** The handshake succeeded; false if the link is not wanted after all (then it is closed). */
        boolean up(String node, HandshakeHandler handshake, Link link);

        /** The handshake failed; {@code node} is null if the greeting never arrived. */
        void failed(String node, HandshakeHandler handshake, String reason);
    }

    private enum State { GREETING, NONCE, TLS, AUTH, DONE, FAILED }

    private final HandshakeSettings settings;
    private final Links links;
    private final boolean outgoing;
    private final String expectedNode;
    private final byte[][] fixedLines;
    private final Network network;

    private State state = State.GREETING;
    private ByteBuf buffer;
    private byte[] ownGreeting;
    private byte[] ownNonce;
    private byte[] peerGreeting;
    private Greeting peer;
    private TlsContext tls;
    private SslHandler ssl;
    private Codec sendCodec;
    private ScheduledFuture<?> timeout;
    private long lastRead;
    private boolean started;
    private volatile ChannelHandlerContext context;
    private byte[] peerNonce;

    /**
     * @param outgoing true if this side dialled
     * @param expectedNode the node the dialled address should belong to, or null if unknown (seeds)
     * @param fixedLines this side's greeting and nonce lines, or null to make them (tests pass
     *     recorded lines here to replay a captured session)
     */
    HandshakeHandler(HandshakeSettings settings, Links links, Network network, boolean outgoing, String expectedNode,
            byte[][] fixedLines) {
        this.settings = settings;
        this.links = links;
        this.network = network;
        this.outgoing = outgoing;
        this.expectedNode = expectedNode;
        this.fixedLines = fixedLines;
    }

    boolean isOutgoing() {
        return outgoing;
    }

    /** The id of the node that dialled this connection: this one, or the peer {@code peerId}. */
    String dialler(String peerId) {
        return outgoing ? settings.nodeId() : peerId;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        // a small heap buffer, not a pooled direct one: a dial torn down before its handler is
        // removed (the node closing mid-connect) must not leave native memory behind
        buffer = Unpooled.buffer(256);
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        if (fixedLines != null) {
            ownGreeting = fixedLines[0];
            ownNonce = fixedLines[1];
        } else {
            ownGreeting = greeting(ctx.channel().remoteAddress()).toLine();
            byte[] nonce = new byte[66];
            RANDOM.nextBytes(nonce);
            ownNonce = Base64.getEncoder().withoutPadding().encode(nonce);
        }
        ByteBuf out = ctx.alloc().buffer(ownGreeting.length + ownNonce.length + 2);
        out.writeBytes(ownGreeting).writeByte('\n').writeBytes(ownNonce).writeByte('\n');
        ctx.writeAndFlush(out);
        lastRead = System.nanoTime();
        scheduleTimeout(ctx, settings.monitorTimeout().toNanos());
    }

    private Greeting greeting(SocketAddress peerAddress) {
        Map<String, String> ext = new LinkedHashMap<>();
        ext.put("provider", settings.provider());
        if (peerAddress instanceof InetSocketAddress a) {
            ext.put("peeraddr", Addresses.format(a));
        }
        ext.put("mproto", "1");
        ext.put("gproto", "1");
        if (settings.tls().get() != null) {
            ext.put("tls", "1.0");
        }
        return new Greeting(Greeting.PROTOCOL, "1", settings.nodeId(), settings.accept(), settings.framingNames(), ext);
    }

    private void scheduleTimeout(ChannelHandlerContext ctx, long delayNanos) {
        timeout = ctx.executor().schedule(() -> {
            if (state == State.DONE || state == State.FAILED) {
                return;
            }
            long idle = System.nanoTime() - lastRead;
            long limit = settings.monitorTimeout().toNanos();
            if (idle >= limit) {
                fail(ctx, "handshake timeout: no data for " + settings.monitorTimeout().toSeconds() + " s", true);
            } else {
                scheduleTimeout(ctx, limit - idle);
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (state == State.DONE || state == State.FAILED) {
                return;
            }
            buffer.writeBytes(in);
            lastRead = System.nanoTime();
        } finally {
            in.release();
        }
        ByteBuf refire = process(ctx);
        if (refire != null) {
            ctx.pipeline().fireChannelRead(refire); // raw bytes after the nonce line: TLS records
        }
    }

    /** Handles every complete line; returns bytes to feed into a newly inserted TLS handler, if any. */
    private ByteBuf process(ChannelHandlerContext ctx) {
        try {
            while (state == State.GREETING || state == State.NONCE || state == State.AUTH) {
                byte[] line = nextLine();
                if (line == null) {
                    return null;
                }
                switch (state) {
                    case GREETING -> onGreeting(ctx, line);
                    case NONCE -> {
                        onNonce(ctx, line);
                        if (state == State.TLS) {
                            // a copy, not a slice: the SslHandler may keep these bytes while this
                            // handler's buffer fills with what it decrypts
                            return buffer.isReadable() ? buffer.readBytes(buffer.readableBytes()) : null;
                        }
                    }
                    case AUTH -> onAuth(ctx, line);
                    default -> throw new IllegalStateException(state.name());
                }
            }
        } catch (HandshakeException e) {
            fail(ctx, e.getMessage(), !(e instanceof Refused));
        } catch (RuntimeException e) {
            fail(ctx, "handshake error: " + e, true);
        }
        return null;
    }

    /** The next line without its LF (and a CR before it), or null if none is complete yet. */
    private byte[] nextLine() {
        int lf = buffer.forEachByte(ByteProcessor.FIND_LF);
        if (lf < 0) {
            if (buffer.readableBytes() >= MAX_LINE) {
                throw new HandshakeException("line too long: over " + (MAX_LINE - 1)
                        + " bytes without a line end before authentication");
            }
            return null;
        }
        int length = lf - buffer.readerIndex();
        if (length + 1 >= MAX_LINE) {
            throw new HandshakeException("line too long: " + (length + 1) + " bytes before authentication (limit "
                    + (MAX_LINE - 1) + ")");
        }
        int textLength = length > 0 && buffer.getByte(lf - 1) == '\r' ? length - 1 : length;
        byte[] line = new byte[textLength];
        buffer.readBytes(line);
        buffer.skipBytes(length - textLength + 1);
        buffer.discardSomeReadBytes();
        return line;
    }

    private void onGreeting(ChannelHandlerContext ctx, byte[] line) {
        Greeting g = Greeting.parse(line);
        peerGreeting = line;
        peer = g;
        if (g.nodeId().equals(settings.nodeId())) {
            throw new Refused("I refuse to talk to myself");
        }
        if (expectedNode != null && !expectedNode.equals(g.nodeId())) {
            throw new HandshakeException("dialled " + ctx.channel().remoteAddress() + " for node " + expectedNode
                    + ", but node " + g.nodeId() + " answered");
        }
        String refusal = links.claim(g.nodeId(), this);
        if (refusal != null) {
            throw new Refused(refusal);
        }
        state = State.NONCE;
    }

    private void onNonce(ChannelHandlerContext ctx, byte[] nonce) {
        if (Arrays.equals(peerGreeting, ownGreeting) && Arrays.equals(nonce, ownNonce)) {
            throw new HandshakeException("authentication error, echo attack?");
        }
        peerNonce = nonce;
        tls = peer.offersTls() ? settings.tls().get() : null;
        if (tls == null && acceptsOnlyTls()) {
            throw new HandshakeException((peer.offersTls() ? "this node has no certificate"
                    : "node " + peer.nodeId() + " offers no TLS (no tls=1.0 in its greeting: it has no certificate)")
                    + ", but this node accepts only " + String.join(",", settings.accept()));
        }
        if (tls != null) {
            // PROTOCOL.md 6: the side with the smaller nonce (unsigned bytes) is the TLS client
            boolean client = Arrays.compareUnsigned(ownNonce, peerNonce) < 0;
            ssl = new SslHandler(tls.newEngine(client));
            ssl.setHandshakeTimeoutMillis(settings.monitorTimeout().toMillis());
            state = State.TLS;
            ctx.pipeline().addBefore(ctx.name(), "tls", ssl);
            log.debug("{}: TLS as {} ({})", ctx.channel(), client ? "client" : "server", tls.implementation());
        } else {
            sendAuth(ctx);
            state = State.AUTH;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && state == State.TLS) {
            if (done.isSuccess()) {
                try {
                    sendAuth(ctx);
                    state = State.AUTH;
                } catch (HandshakeException e) {
                    fail(ctx, e.getMessage(), true);
                    return;
                }
                process(ctx);
            } else if (done.cause() instanceof ClosedChannelException) {
                // no alert came; Perl (AnyEvent::Handle) closes without one when it refuses a certificate
                fail(ctx, "TLS handshake failed: the connection closed before it completed (did the peer refuse"
                        + " this node's certificate?)", true);
            } else {
                fail(ctx, "TLS handshake failed: " + describe(done.cause()), true);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** True if every method this node accepts needs TLS ({@code auth_accept} limited to {@code tls_*}). */
    private boolean acceptsOnlyTls() {
        if (settings.accept().isEmpty()) {
            return false;
        }
        for (String name : settings.accept()) {
            AuthMethod m = settings.methods().get(name);
            if (m == null || !m.requiresTls()) {
                return false;
            }
        }
        return true;
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

    private Transcript transcript() {
        return Transcript.of(ownGreeting, ownNonce, peerGreeting, peerNonce);
    }

    private void sendAuth(ChannelHandlerContext ctx) {
        AuthMethod method = chooseMethod();
        Codec codec = null;
        for (String f : peer.framings()) {
            codec = settings.codec(f);
            if (codec != null) {
                break;
            }
        }
        if (codec == null) {
            throw new HandshakeException(String.join(",", peer.framings()) + ": no common framing method supported");
        }
        sendCodec = codec;
        String token = method.token(transcript(), settings.secret());
        byte[] line = (method.name() + ";" + token + ";" + codec.name() + "\n").getBytes(StandardCharsets.UTF_8);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(line));
    }

    /** The first method of the peer's list that we may send on this link (PROTOCOL.md 5.1). */
    private AuthMethod chooseMethod() {
        boolean sawSecretMethod = false;
        for (String name : peer.auths()) {
            AuthMethod m = settings.methods().get(name);
            if (m == null || !settings.offer().contains(name)) {
                continue;
            }
            if (tls != null ? !m.requiresTls() : m.requiresTls()) {
                continue; // on a TLS link only tls_* methods may be sent; without TLS none of them
            }
            if (m.requiresSecret() && settings.secret() == null) {
                sawSecretMethod = true;
                continue;
            }
            return m;
        }
        if (sawSecretMethod) {
            throw new HandshakeException("unable to handshake TLS and no shared secret configured");
        }
        String why = "";
        if (tls == null && !peer.auths().isEmpty() && peer.auths().stream().allMatch(a -> a.startsWith("tls_"))) {
            why = " (the peer accepts only TLS, and "
                    + (settings.tls().get() == null ? "this node has no certificate)" : "sent no tls=1.0)");
        }
        throw new HandshakeException(String.join(",", peer.auths()) + ": no common auth type supported" + why);
    }

    private void onAuth(ChannelHandlerContext ctx, byte[] line) {
        String[] f = new String(line, StandardCharsets.UTF_8).split(";", -1);
        if (f.length < 3) {
            throw new HandshakeException("unparsable auth line: expected <method>;<token>;<framing>");
        }
        String name = f[0];
        AuthMethod method = settings.accept().contains(name) ? settings.methods().get(name) : null;
        if (method == null) {
            throw new HandshakeException(name + ": fatal, selected unsupported rcv auth method");
        }
        if (method.requiresTls() && tls == null) {
            throw new HandshakeException(name + ": fatal, auth method needs TLS, which this link does not use");
        }
        if (method.requiresSecret() && settings.secret() == null) {
            throw new HandshakeException(name + ": cannot check the token: no shared secret configured");
        }
        if (!method.verify(transcript(), settings.secret(), f[1])) {
            throw new HandshakeException("authentication failure/shared secret mismatch");
        }
        Codec receive = settings.codec(f[2]);
        if (receive == null) {
            throw new HandshakeException(f[2] + ": unusable remote framing");
        }
        finish(ctx, receive, name);
    }

    private void finish(ChannelHandlerContext ctx, Codec receive, String authMethod) {
        timeout.cancel(false);
        Link link = new Link(ctx.channel(), peer.nodeId(), sendCodec, network);
        if (!links.up(peer.nodeId(), this, link)) {
            state = State.FAILED; // not wanted after all: nothing that followed the auth line is delivered
            ctx.close();
            return;
        }
        state = State.DONE;
        ctx.pipeline().addAfter(ctx.name(), "frames",
                new FrameHandler(link, receive.name(), receive.newDecoder(settings.maxFrameLength()), network));
        if (log.isDebugEnabled()) {
            log.debug("{}: link to {} up (peer auth {}, sending {}, receiving {}{})", ctx.channel(), peer.nodeId(),
                    authMethod, sendCodec.name(), receive.name(), ssl == null ? ""
                            : ", " + ssl.engine().getSession().getProtocol() + " " + ssl.engine().getSession()
                                    .getCipherSuite() + " (" + tls.implementation() + ")");
        }
        ctx.pipeline().remove(this); // hands the bytes after the auth line to the frame handler
    }

    /** Stops this handshake from any thread (a simultaneous connection won). */
    void abort(String reason) {
        ChannelHandlerContext ctx = context;
        if (ctx != null) {
            ctx.executor().execute(() -> fail(ctx, reason, false));
        }
    }

    private void fail(ChannelHandlerContext ctx, String reason, boolean peerFault) {
        if (state == State.DONE || state == State.FAILED) {
            return;
        }
        state = State.FAILED;
        if (timeout != null) {
            timeout.cancel(false);
        }
        String who = peer != null ? "node " + peer.nodeId() + " at " + ctx.channel().remoteAddress()
                : String.valueOf(ctx.channel().remoteAddress());
        if (peerFault) {
            log.warn("handshake with {} failed: {}", PeerText.printable(who), PeerText.printable(reason));
        } else {
            log.debug("handshake with {} ended: {}", PeerText.printable(who), PeerText.printable(reason));
        }
        links.failed(peer != null ? peer.nodeId() : null, this, reason);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, "connection closed during the handshake: Unexpected end-of-file", false);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (state == State.TLS || ssl != null && causedBy(cause, SSLException.class)) {
            // in TLS 1.3 the client's TLS handshake is done before the server checks its certificate,
            // so a refusal (an alert) may come while waiting for the auth line
            fail(ctx, "TLS handshake failed: " + describe(cause), true);
        } else {
            fail(ctx, "connection error during the handshake: " + describe(cause), false);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (state == State.DONE && buffer.isReadable()) {
            ctx.fireChannelRead(buffer);
        } else {
            buffer.release();
        }
        buffer = Unpooled.EMPTY_BUFFER;
    }

    /** A refusal that is no fault of the peer: logged quietly. */
    private static final class Refused extends HandshakeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }
}
