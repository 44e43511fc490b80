package org.aemp.internal.net;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.aemp.internal.SafeText;
import org.aemp.spi.AuthMethod;
import org.aemp.spi.Codec;
import org.aemp.spi.HandshakeException;
import org.aemp.spi.TlsContext;
import org.aemp.spi.Transcript;

/**
 * The AEMP handshake of one connection as a plain state machine: bytes, timer ticks and the
 * outcome of TLS go in; {@link Action actions} come out (send these bytes, start TLS, the peer
 * is authenticated, the handshake failed). It does no I/O, reads the time only from its injected
 * clock and draws its nonce from its injected random source, so every branch can be driven
 * without sockets; {@link HandshakeHandler} carries its actions out on a Netty channel.
 * <pre>
 *  NEW ─start─► GREETING ─line 1─► CLAIMED ─claimDecided─► NONCE ─line 2─┬───────────────────────► AUTH ─auth line─► DONE
 *                                                                           └─► TLS ─tlsEstablished─┘
 *  any state but DONE ── bad line, a line of 4096 bytes or more, refusal, failed TLS, or the deadline ──► FAILED
 * </pre>
 * Both sides send their greeting and nonce at once and follow the same steps, so neither waits for
 * the other to speak first. The deadline is absolute: it counts from {@link #start} and is not
 * pushed back by bytes that trickle in. Before {@code DONE} the machine holds at most one line
 * (under 4096 bytes) and never acts on what the peer claims: the node id of the greeting is only
 * handed to the node as a {@link Claim}, which may get this connection refused but changes nothing else.
 *
 * <p>Data connections (AEMP {@code AnyEvent::MP::DataConn}) run the same machine: a dial made
 * with a {@linkplain #dataConnId() data connection id} greets with {@code aemp-dataconn} and
 * {@code dataconn_id=<id>}, and a listener takes such a greeting as well as {@code aemp}. Nonces,
 * TLS and auth are unchanged; what becomes of the authenticated connection is the node's business.
 *
 * <p>Not thread-safe; confined to its connection's event loop.
 */
final class Handshake {
    /** AEMP: before auth, every line must be shorter than 4096 bytes, line end included. */
    static final int MAX_LINE = 4096;
    /**
     * Bytes held while the node decides on the claim or TLS completes: the rest of the greeting
     * lines, an auth line, and what the peer sent straight after it.
     */
    static final int MAX_HELD = 64 * 1024;
    private static final int NONCE_BYTES = 66;

    enum State { NEW, GREETING, CLAIMED, NONCE, TLS, AUTH, DONE, FAILED }

    /** Why a handshake failed, for logging and for slowing down a source that keeps failing auth. */
    enum Fault {
        /** The peer broke the protocol (garbage, a bad greeting, an over-long line, failed TLS). */
        PROTOCOL,
        /** The peer's auth token did not check out (wrong secret, or an attack). */
        AUTH,
        /** The deadline passed. */
        TIMEOUT,
        /** The connection closed or failed underneath. */
        CLOSED,
        /** This node refused, no fault of the peer (talking to itself, a duplicate dial, closing). */
        REFUSED
    }

    /** What the machine asks its adapter to do, in order. */
    sealed interface Action permits Send, Claim, SendAuth, StartTls, Authenticated, Failed {
    }

    /** Write these bytes. */
    record Send(byte[] bytes) implements Action {
    }

    /**
     * The peer's greeting names {@code nodeId} (a claim, not authenticated): ask the node whether to
     * go on, and answer with {@link #claimDecided}. Bytes that arrive meanwhile are held.
     */
    record Claim(String nodeId) implements Action {
    }

    /**
     * Write this side's auth line, unless the node has given up on this connection meanwhile (then
     * {@link #abort}): once it is out, the peer can authenticate the connection.
     */
    record SendAuth(byte[] bytes) implements Action {
    }

    /**
     * Insert TLS now, with this context, as the client or the server; {@code rest} are the bytes
     * that followed the nonce line, the start of the TLS stream, for the TLS layer.
     */
    record StartTls(TlsContext tls, boolean client, byte[] rest) implements Action {
    }

    /**
     * The peer's auth line checked out; {@code rest} are the bytes after it, the first frames.
     */
    record Authenticated(Peer peer, byte[] rest) implements Action {
    }

    /** The handshake is over without a link; close the connection. */
    record Failed(String reason, Fault fault) implements Action {
    }

    /**
     * The authenticated peer and what was agreed with it.
     *
     * @param nodeId the peer's node id
     * @param greeting the peer's greeting
     * @param send the framing this side sends
     * @param receive the framing the peer sends
     * @param authMethod the auth method the peer used
     * @param tls true if the link runs inside TLS
     * @param rank the link's place in the one-link-per-pair order
     * @param chunkSize above 0 if both greetings announced the {@linkplain ChunkFraming chunked
     *     framing}: both directions use it, and this side sends messages larger than this in chunks
     */
    record Peer(String nodeId, Greeting greeting, Codec send, Codec receive, String authMethod, boolean tls,
            Rank rank, int chunkSize) {
    }

    /**
     * Orders the connections between two nodes the same way on both ends, whatever order they
     * complete in: the one dialled by the node with the smaller id comes first, and of two dialled
     * by the same node, the one with the larger dialler's nonce (unsigned bytes). Both ends know
     * both facts of every connection between them, so both keep the same one.
     */
    record Rank(String dialler, byte[] diallerNonce) {
        boolean before(Rank other) {
            int byDialler = dialler.compareTo(other.dialler);
            if (byDialler != 0) {
                return byDialler < 0;
            }
            return Arrays.compareUnsigned(diallerNonce, other.diallerNonce) > 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Rank r && dialler.equals(r.dialler) && Arrays.equals(diallerNonce, r.diallerNonce);
        }

        @Override
        public int hashCode() {
            return dialler.hashCode() * 31 + Arrays.hashCode(diallerNonce);
        }

        @Override
        public String toString() {
            return "dialled by " + SafeText.escape(dialler);
        }
    }

    private final HandshakeSettings settings;
    private final boolean outgoing;
    private final String expectedNode;
    private final LongSupplier clock;
    private final RandomGenerator random;
    private final long timeoutNanos;
    private String dataConnId; // the data connection this is, or null for a link

    private State state = State.NEW;
    private long deadline;
    private byte[] line = new byte[256];
    private int lineLength;
    private byte[] held; // bytes that arrived while waiting for the claim's decision or for TLS
    private int heldLength;
    private byte[] ownGreeting;
    private boolean ownChunks; // our greeting announced the chunked framing
    private byte[] ownNonce;
    private byte[] peerGreeting;
    private byte[] peerNonce;
    private Greeting peer;
    private TlsContext tls;
    private Codec sendCodec;

    /**
     * @param outgoing true if this side dialled
     * @param expectedNode the node the dialled address should belong to, or null if unknown (seeds)
     * @param clock nanoseconds, as {@link System#nanoTime()}
     */
    Handshake(HandshakeSettings settings, boolean outgoing, String expectedNode, LongSupplier clock,
            RandomGenerator random) {
        this(settings, outgoing, expectedNode, clock, random, null);
    }

    /**
     * @param dataConnId for a dial of a data connection: its id, sent as {@code dataconn_id};
     *     otherwise null
     */
    Handshake(HandshakeSettings settings, boolean outgoing, String expectedNode, LongSupplier clock,
            RandomGenerator random, String dataConnId) {
        if (dataConnId != null && (!outgoing || dataConnId.isEmpty())) {
            throw new IllegalArgumentException("a data connection id is for dials and must not be empty: '"
                    + dataConnId + "'");
        }
        this.dataConnId = dataConnId;
        this.settings = settings;
        this.outgoing = outgoing;
        this.expectedNode = expectedNode;
        this.clock = clock;
        this.random = random;
        this.timeoutNanos = settings.handshakeTimeout().toNanos();
    }

    State state() {
        return state;
    }

    boolean isOutgoing() {
        return outgoing;
    }

    /** The node id the peer's greeting named, or null before it arrived (not authenticated before DONE). */
    String claimedNode() {
        return peer == null ? null : peer.nodeId();
    }

    String expectedNode() {
        return expectedNode;
    }

    /**
     * The id of the data connection this is ({@code aemp-dataconn}), or null for a link: given to
     * a dial, read from the greeting by a listener (so null until the greeting arrived).
     */
    String dataConnId() {
        return dataConnId;
    }

    /** For a started dial: the rank it will have once authenticated ({@link Rank}); otherwise null. */
    Rank ownRank() {
        return outgoing && ownNonce != null ? new Rank(settings.nodeId(), ownNonce) : null;
    }

    /** When the handshake fails if it is not done, on the injected clock. */
    long deadline() {
        return deadline;
    }

    /** True once the handshake ended, either way. */
    boolean isOver() {
        return state == State.DONE || state == State.FAILED;
    }

    /**
     * Starts: this side's greeting and nonce lines.
     *
     * @param peerAddress the peer's address, for the {@code peeraddr} greeting extension (may be null)
     * @param fixedLines this side's greeting and nonce lines, or null to make them (tests replay
     *     recorded sessions with them)
     */
    List<Action> start(SocketAddress peerAddress, byte[][] fixedLines) {
        if (state != State.NEW) {
            return List.of();
        }
        deadline = clock.getAsLong() + timeoutNanos;
        tls = settings.tls().get();
        if (fixedLines != null) {
            ownGreeting = fixedLines[0].clone();
            ownNonce = fixedLines[1].clone();
        } else {
            ownGreeting = greeting(peerAddress).toLine();
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            ownNonce = Base64.getEncoder().withoutPadding().encode(nonce);
        }
        byte[] out = new byte[ownGreeting.length + ownNonce.length + 2];
        System.arraycopy(ownGreeting, 0, out, 0, ownGreeting.length);
        out[ownGreeting.length] = '\n';
        System.arraycopy(ownNonce, 0, out, ownGreeting.length + 1, ownNonce.length);
        out[out.length - 1] = '\n';
        state = State.GREETING;
        return List.of(new Send(out));
    }

    private Greeting greeting(SocketAddress peerAddress) {
        Map<String, String> ext = new LinkedHashMap<>();
        ext.put("provider", settings.provider());
        if (peerAddress instanceof InetSocketAddress a) {
            ext.put("peeraddr", Addresses.format(a));
        }
        if (dataConnId == null) {
            ext.put("mproto", "1");
            ext.put("gproto", "1");
        } else {
            ext.put(Greeting.DATACONN_ID, dataConnId); // no node or global protocol runs on it
        }
        if (tls != null) {
            ext.put("tls", "1.0");
        }
        if (dataConnId == null && settings.chunkSize() > 0) {
            ext.put(ChunkFraming.GREETING_KEY, ChunkFraming.VERSION); // Perl ignores keys it does not know
            ownChunks = true;
        }
        return new Greeting(dataConnId == null ? Greeting.PROTOCOL : Greeting.DATACONN, "1", settings.nodeId(),
                settings.accept(), settings.framingNames(), ext);
    }

    /**
     * Bytes from the peer: before TLS, the raw stream; once TLS runs, what it decrypted. Bytes that
     * arrive after the handshake ended are ignored (the adapter has handed the stream on by then).
     */
    List<Action> receive(byte[] data, int offset, int length) {
        List<Action> actions = new ArrayList<>(2);
        try {
            if (state == State.TLS || state == State.CLAIMED) {
                hold(data, offset, length);
            } else {
                lines(data, offset, offset + length, actions);
            }
        } catch (HandshakeException e) {
            actions.add(fail(e));
        } catch (RuntimeException e) {
            actions.add(fail(e.toString(), Fault.PROTOCOL));
        }
        return actions;
    }

    /**
     * The node's answer to a {@link Claim}: null to go on, or why this connection is refused (only
     * this one: a claim changes nothing else).
     */
    List<Action> claimDecided(String refusal) {
        if (state != State.CLAIMED) {
            return List.of();
        }
        if (refusal != null) {
            return List.of(fail(refusal, Fault.REFUSED));
        }
        state = State.NONCE;
        return resumeHeld();
    }

    /** TLS is up: send the auth line and handle what TLS already delivered. */
    List<Action> tlsEstablished() {
        if (state != State.TLS) {
            return List.of();
        }
        try {
            Action auth = sendAuth();
            state = State.AUTH;
            List<Action> actions = new ArrayList<>(resumeHeld());
            actions.add(0, auth);
            return actions;
        } catch (HandshakeException e) {
            return List.of(fail(e));
        }
    }

    /** Handles the bytes held while waiting, as if they arrived now. */
    private List<Action> resumeHeld() {
        if (held == null) {
            return List.of();
        }
        byte[] h = held;
        int n = heldLength;
        held = null;
        heldLength = 0;
        return receive(h, 0, n);
    }

    /** TLS failed; {@code reason} says why. */
    List<Action> tlsFailed(String reason) {
        return isOver() ? List.of() : List.of(fail(reason, Fault.PROTOCOL));
    }

    /** The clock moved: fails the handshake once its deadline has passed. */
    List<Action> tick() {
        if (isOver() || state == State.NEW || clock.getAsLong() - deadline < 0) {
            return List.of();
        }
        return List.of(fail("handshake timeout: not done within " + settings.handshakeTimeout().toMillis() + " ms",
                Fault.TIMEOUT));
    }

    /** The connection closed, failed, or this node gave up on it. */
    List<Action> abort(String reason, Fault fault) {
        return isOver() ? List.of() : List.of(fail(reason, fault));
    }

    // ---- lines ----

    /** Takes complete lines from {@code data[from, to)} while the state reads lines. */
    private void lines(byte[] data, int from, int to, List<Action> actions) {
        int p = from;
        while (p < to && (state == State.GREETING || state == State.NONCE || state == State.AUTH)) {
            int lf = indexOf(data, p, to, (byte) '\n');
            int end = lf < 0 ? to : lf + 1;
            append(data, p, end - p);
            p = end;
            if (lf < 0) {
                return;
            }
            byte[] text = takeLine();
            switch (state) {
                case GREETING -> {
                    onGreeting(text);
                    actions.add(new Claim(peer.nodeId()));
                    if (p < to) {
                        hold(data, p, to - p);
                    }
                    return;
                }
                case NONCE -> {
                    onNonce(text);
                    if (state == State.TLS) {
                        actions.add(new StartTls(tls, clientRole(), Arrays.copyOfRange(data, p, to)));
                        return;
                    }
                    actions.add(sendAuth());
                    state = State.AUTH;
                }
                default -> {
                    Peer authenticated = onAuth(text);
                    state = State.DONE;
                    line = null;
                    actions.add(new Authenticated(authenticated, Arrays.copyOfRange(data, p, to)));
                    return;
                }
            }
        }
    }

    private void append(byte[] data, int offset, int length) {
        if (lineLength + length >= MAX_LINE) {
            boolean complete = length > 0 && data[offset + length - 1] == '\n';
            throw new HandshakeException(complete
                    ? "line too long: " + (lineLength + length) + " bytes before authentication (limit "
                            + (MAX_LINE - 1) + ")"
                    : "line too long: over " + (MAX_LINE - 1) + " bytes without a line end before authentication");
        }
        if (lineLength + length > line.length) {
            line = Arrays.copyOf(line, Math.min(MAX_LINE, Math.max(line.length * 2, lineLength + length)));
        }
        System.arraycopy(data, offset, line, lineLength, length);
        lineLength += length;
    }

    /** The buffered line without its LF (and a CR before it); empties the buffer. */
    private byte[] takeLine() {
        int n = lineLength - 1;
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        byte[] text = Arrays.copyOf(line, n);
        lineLength = 0;
        return text;
    }

    private void hold(byte[] data, int offset, int length) {
        if (heldLength + length > MAX_HELD) {
            throw new HandshakeException("more than " + MAX_HELD + " bytes held before authentication");
        }
        if (held == null) {
            held = new byte[Math.max(256, length)];
        } else if (heldLength + length > held.length) {
            held = Arrays.copyOf(held, Math.max(held.length * 2, heldLength + length));
        }
        System.arraycopy(data, offset, held, heldLength, length);
        heldLength += length;
    }

    private static int indexOf(byte[] data, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    // ---- steps ----

    private void onGreeting(byte[] text) {
        Greeting g = Greeting.parse(text);
        peerGreeting = text;
        peer = g;
        if (g.isDataConn()) {
            // only the dialler of a data connection says so; the listener greets as ever
            if (outgoing && dataConnId == null) {
                throw new HandshakeException("unparsable greeting, expected '" + Greeting.PROTOCOL + "', got '"
                        + Greeting.DATACONN + "'");
            }
            if (!outgoing) {
                String id = g.extensions().get(Greeting.DATACONN_ID);
                if (id == null || id.isEmpty()) {
                    throw new HandshakeException("unparsable greeting: " + Greeting.DATACONN + " without "
                            + Greeting.DATACONN_ID);
                }
                dataConnId = id;
            }
        }
        if (g.nodeId().equals(settings.nodeId())) {
            throw new Refused("I refuse to talk to myself");
        }
        if (expectedNode != null && !expectedNode.equals(g.nodeId())) {
            throw new HandshakeException("dialled for node " + SafeText.escape(expectedNode) + ", but node "
                    + SafeText.escape(g.nodeId()) + " answered");
        }
        state = State.CLAIMED;
    }

    private void onNonce(byte[] nonce) {
        if (Arrays.equals(peerGreeting, ownGreeting) && Arrays.equals(nonce, ownNonce)) {
            throw new HandshakeException("authentication error, echo attack?");
        }
        peerNonce = nonce;
        if (!peer.offersTls() || tls == null) {
            if (acceptsOnlyTls()) {
                throw new HandshakeException((peer.offersTls() ? "this node has no certificate"
                        : "node " + SafeText.escape(peer.nodeId())
                                + " offers no TLS (no tls=1.0 in its greeting: it has no certificate)")
                        + ", but this node accepts only " + String.join(",", settings.accept()));
            }
            tls = null;
            return;
        }
        state = State.TLS;
    }

    /** PROTOCOL.md 6: the side with the smaller nonce (unsigned bytes) is the TLS client. */
    private boolean clientRole() {
        return Arrays.compareUnsigned(ownNonce, peerNonce) < 0;
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

    private Transcript transcript() {
        return Transcript.of(ownGreeting, ownNonce, peerGreeting, peerNonce);
    }

    private SendAuth sendAuth() {
        AuthMethod method = chooseMethod();
        Codec codec = null;
        for (String f : peer.framings()) {
            codec = settings.codec(f);
            if (codec != null) {
                break;
            }
        }
        if (codec == null) {
            throw new HandshakeException(SafeText.escape(String.join(",", peer.framings()))
                    + ": no common framing method supported");
        }
        sendCodec = codec;
        String token = method.token(transcript(), settings.secret());
        return new SendAuth((method.name() + ";" + token + ";" + codec.name() + "\n").getBytes(StandardCharsets.UTF_8));
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
        throw new HandshakeException(SafeText.escape(String.join(",", peer.auths()))
                + ": no common auth type supported" + why);
    }

    private Peer onAuth(byte[] text) {
        String[] f = new String(text, StandardCharsets.UTF_8).split(";", -1);
        if (f.length < 3) {
            throw new HandshakeException("unparsable auth line: expected <method>;<token>;<framing>");
        }
        String name = f[0];
        AuthMethod method = settings.accept().contains(name) ? settings.methods().get(name) : null;
        if (method == null) {
            throw new HandshakeException(SafeText.escape(name) + ": fatal, selected unsupported rcv auth method");
        }
        if (method.requiresTls() && tls == null) {
            throw new HandshakeException(name + ": fatal, auth method needs TLS, which this link does not use");
        }
        if (method.requiresSecret() && settings.secret() == null) {
            throw new HandshakeException(name + ": cannot check the token: no shared secret configured");
        }
        if (!method.verify(transcript(), settings.secret(), f[1])) {
            throw new AuthFailure("authentication failure/shared secret mismatch");
        }
        Codec receive = settings.codec(f[2]);
        if (receive == null) {
            throw new HandshakeException(SafeText.escape(f[2]) + ": unusable remote framing");
        }
        Rank rank = outgoing ? new Rank(settings.nodeId(), ownNonce) : new Rank(peer.nodeId(), peerNonce);
        boolean chunks = ownChunks && ChunkFraming.VERSION.equals(peer.extensions().get(ChunkFraming.GREETING_KEY));
        return new Peer(peer.nodeId(), peer, sendCodec, receive, name, tls != null, rank,
                chunks ? settings.chunkSize() : 0);
    }

    private Failed fail(HandshakeException e) {
        Fault fault = e instanceof Refused ? Fault.REFUSED : e instanceof AuthFailure ? Fault.AUTH : Fault.PROTOCOL;
        return fail(e.getMessage(), fault);
    }

    private Failed fail(String reason, Fault fault) {
        state = State.FAILED;
        line = null;
        held = null;
        return new Failed(reason, fault);
    }

    /** A refusal that is no fault of the peer. */
    private static final class Refused extends HandshakeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** A token that did not check out. */
    private static final class AuthFailure extends HandshakeException {
        private static final long serialVersionUID = 1L;

        AuthFailure(String message) {
            super(message);
        }
    }
}
