package org.aemp;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.aemp.config.EffectiveConfig;
import org.aemp.config.Profiles;
import org.aemp.spi.AuthMethod;
import org.aemp.spi.Codec;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.Secret;
import org.aemp.spi.TlsProvider;

/**
 * How to start a {@link Node}: its id, listen and seed addresses, secret, certificate, framings,
 * auth methods, and the functions remote nodes may run. Keys and defaults are those of an AEMP
 * 2.02 profile ({@code nodeid}, {@code binds}, {@code seeds}, {@code secret}, {@code cert},
 * {@code monitor_timeout}, {@code connect_interval}, {@code framing_format}, {@code auth_offer},
 * {@code auth_accept}, {@code secure}); a profile from the rc file turns into one of these.
 * Immutable and thread-safe; build one with {@link #builder()}.
 */
public final class NodeConfig {
    /** AEMP's default {@code auth_offer}: the methods this node may send. */
    public static final List<String> DEFAULT_AUTH_OFFER = Profiles.DEFAULT_AUTH_OFFER;
    /** AEMP's default {@code auth_accept}: the methods announced in the greeting. */
    public static final List<String> DEFAULT_AUTH_ACCEPT = Profiles.DEFAULT_AUTH_ACCEPT;

    private final String nodeId;
    private final List<String> binds;
    private final List<String> seeds;
    private final Secret secret;
    private final String cert;
    private final Duration monitorTimeout;
    private final Duration connectInterval;
    private final List<String> framingFormat;
    private final List<String> authOffer;
    private final List<String> authAccept;
    private final boolean secure;
    private final boolean global;
    private final Map<String, InitFunction> functions;
    private final List<Codec> codecs;
    private final List<AuthMethod> authMethods;
    private final TlsProvider tlsProvider;
    private final String transport;
    private final int maxFrameLength;
    private final int maxFrameElements;
    private final long decodeBufferBudget;
    private final Duration handshakeTimeout;
    private final int maxHandshakes;
    private final int maxHandshakesPerAddress;
    private final Duration authFailureDelay;
    private final Duration livenessTimeout;
    private final long linkBusyThreshold;
    private final long linkBacklogLimit;
    private final int linkChunkSize;
    private final int mailboxBusyMessages;
    private final boolean inlineCallbacks;
    private final long mailboxBusyBytes;
    private final Duration closeTimeout;
    private final int workerThreads;
    private final int ioThreads;
    private final String runiq;
    private final String localPortPrefix;
    private final List<Object> services;

    private NodeConfig(Builder b) {
        this.nodeId = b.nodeId;
        this.binds = List.copyOf(b.binds);
        this.seeds = List.copyOf(b.seeds);
        this.secret = b.secret;
        this.cert = b.cert;
        this.monitorTimeout = b.monitorTimeout;
        this.connectInterval = b.connectInterval;
        this.framingFormat = b.framingFormat == null ? null : List.copyOf(b.framingFormat);
        this.authOffer = List.copyOf(b.authOffer);
        this.authAccept = List.copyOf(b.authAccept);
        this.secure = b.secure;
        this.global = b.global;
        this.functions = Map.copyOf(b.functions);
        this.codecs = b.codecs == null ? null : List.copyOf(b.codecs);
        this.authMethods = b.authMethods == null ? null : List.copyOf(b.authMethods);
        this.tlsProvider = b.tlsProvider;
        this.transport = b.transport;
        this.maxFrameLength = b.maxFrameLength;
        this.maxFrameElements = b.maxFrameElements;
        this.decodeBufferBudget = b.decodeBufferBudget;
        this.handshakeTimeout = b.handshakeTimeout;
        this.maxHandshakes = b.maxHandshakes;
        this.maxHandshakesPerAddress = b.maxHandshakesPerAddress;
        this.authFailureDelay = b.authFailureDelay;
        this.livenessTimeout = b.livenessTimeout;
        this.linkBusyThreshold = b.linkBusyThreshold;
        this.linkBacklogLimit = b.linkBacklogLimit;
        this.linkChunkSize = b.linkChunkSize;
        this.mailboxBusyMessages = b.mailboxBusyMessages;
        this.inlineCallbacks = b.inlineCallbacks;
        this.mailboxBusyBytes = b.mailboxBusyBytes;
        this.closeTimeout = b.closeTimeout;
        this.workerThreads = b.workerThreads;
        this.ioThreads = b.ioThreads;
        this.runiq = b.runiq;
        this.localPortPrefix = b.localPortPrefix;
        this.services = List.copyOf(b.services);
    }

    /** A builder with AEMP's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding the configuration a profile gives ({@link Profiles#configure}), ready for
     * further settings (functions, codecs) and {@code build()}. How keys map:
     *
     * <ul>
     *   <li>{@code nodeid}: kept unexpanded ({@code Node.start} expands {@code %n}, {@code %u} and a
     *       trailing {@code /}); if missing, {@code <profile>/}. A null, empty or {@code "0"} value
     *       is an error, as in Perl.
     *   <li>{@code binds}, {@code seeds}: arrays of strings (a number such as {@code 4040} counts as
     *       its text); each entry is split at commas as Perl's {@code split /,/} does (empty pieces
     *       kept except at the end). A missing or Perl-false {@code binds} means {@code ["*"]}; an
     *       empty array means no listener. A missing or null {@code seeds} means none.
     *   <li>{@code secret}, {@code cert}: strings (null = not set).
     *   <li>{@code monitor_timeout}, {@code connect_interval}: seconds, as a number or a numeric
     *       string ({@code "20"}, {@code "0.5"}); must be above zero.
     *   <li>Java-only keys, which Perl nodes ignore: {@code handshake_timeout},
     *       {@code auth_failure_delay}, {@code liveness_timeout} and {@code close_timeout} in seconds
     *       as above; {@code max_handshakes}, {@code max_handshakes_per_address},
     *       {@code link_busy_threshold}, {@code link_backlog_limit}, {@code mailbox_busy_messages},
     *       {@code mailbox_busy_bytes} and {@code max_frame_elements}, whole numbers from 1 (the
     *       byte sizes at least 1024); {@code decode_buffer_budget}, a whole number of bytes from 0;
     *       {@code link_chunk_size}, a whole number of bytes, 0 or from 1024.
     *   <li>{@code framing_format}, {@code auth_offer}, {@code auth_accept}: arrays of strings. A
     *       {@code framing_format} equal to Perl's default {@code ["cbor","json","storable"]} is
     *       passed on as "not configured", so that the node offers the codecs it actually has on the
     *       class path; any other list is passed on as given.
     *   <li>{@code secure}, and the Java-only {@code inline_callbacks}: Perl truthiness
     *       ({@link org.aemp.config.PerlValues#isTrue}).
     *   <li>{@code services}: an array of names or {@code [name, args...]} lists, started by name
     *       through {@link Service} ({@code AnyEvent::MP::Global::} makes the node global).
     * </ul>
     *
     * @throws org.aemp.config.ConfigException if a value has the wrong type or is out of range; the message names
     *     the key and the profile (and never shows the secret or the certificate)
     */
    public static Builder builder(EffectiveConfig effective) {
        return ProfileConversion.toBuilder(requireNonNull(effective, "effective"));
    }

    /** A builder holding this configuration, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.nodeId = nodeId;
        b.binds = new ArrayList<>(binds);
        b.seeds = new ArrayList<>(seeds);
        b.secret = secret;
        b.cert = cert;
        b.monitorTimeout = monitorTimeout;
        b.connectInterval = connectInterval;
        b.framingFormat = framingFormat;
        b.authOffer = authOffer;
        b.authAccept = authAccept;
        b.secure = secure;
        b.global = global;
        b.functions = new LinkedHashMap<>(functions);
        b.codecs = codecs;
        b.authMethods = authMethods;
        b.tlsProvider = tlsProvider;
        b.transport = transport;
        b.maxFrameLength = maxFrameLength;
        b.maxFrameElements = maxFrameElements;
        b.decodeBufferBudget = decodeBufferBudget;
        b.handshakeTimeout = handshakeTimeout;
        b.maxHandshakes = maxHandshakes;
        b.maxHandshakesPerAddress = maxHandshakesPerAddress;
        b.authFailureDelay = authFailureDelay;
        b.livenessTimeout = livenessTimeout;
        b.linkBusyThreshold = linkBusyThreshold;
        b.linkBacklogLimit = linkBacklogLimit;
        b.linkChunkSize = linkChunkSize;
        b.mailboxBusyMessages = mailboxBusyMessages;
        b.inlineCallbacks = inlineCallbacks;
        b.mailboxBusyBytes = mailboxBusyBytes;
        b.closeTimeout = closeTimeout;
        b.workerThreads = workerThreads;
        b.ioThreads = ioThreads;
        b.runiq = runiq;
        b.localPortPrefix = localPortPrefix;
        b.services = new ArrayList<>(services);
        return b;
    }

    /** The configured node id, before {@code %n}, {@code %u} and trailing-{@code /} expansion. */
    public String nodeId() {
        return nodeId;
    }

    public List<String> binds() {
        return binds;
    }

    public List<String> seeds() {
        return seeds;
    }

    public Optional<Secret> secret() {
        return Optional.ofNullable(secret);
    }

    /** The PEM text of the node's key and certificates; its presence turns TLS on. */
    public Optional<String> cert() {
        return Optional.ofNullable(cert);
    }

    public Duration monitorTimeout() {
        return monitorTimeout;
    }

    public Duration connectInterval() {
        return connectInterval;
    }

    /** The framings to offer, in order; empty means "every codec on the class path, by preference". */
    public Optional<List<String>> framingFormat() {
        return Optional.ofNullable(framingFormat);
    }

    public List<String> authOffer() {
        return authOffer;
    }

    public List<String> authAccept() {
        return authAccept;
    }

    public boolean secure() {
        return secure;
    }

    public boolean global() {
        return global;
    }

    public Map<String, InitFunction> functions() {
        return functions;
    }

    /** Codecs given explicitly, bypassing discovery; empty means "discover". */
    public Optional<List<Codec>> codecs() {
        return Optional.ofNullable(codecs);
    }

    /** Auth methods given explicitly, bypassing discovery; empty means "discover". */
    public Optional<List<AuthMethod>> authMethods() {
        return Optional.ofNullable(authMethods);
    }

    /** The TLS provider given explicitly, bypassing discovery; empty means "discover". */
    public Optional<TlsProvider> tlsProvider() {
        return Optional.ofNullable(tlsProvider);
    }

    /** The transport to use by name; empty means "the best available". */
    public Optional<String> transport() {
        return Optional.ofNullable(transport);
    }

    /** The largest message a decoder accepts, in bytes, framing included. */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    /** The most values one received message may decode to (see {@link Builder#maxFrameElements}). */
    public int maxFrameElements() {
        return maxFrameElements;
    }

    /**
     * The bytes all links of the node together may hold for messages still arriving: as configured,
     * or {@value DecodeLimits#DEFAULT_BUDGET_FRAMES} times {@link #maxFrameLength()}.
     */
    public long decodeBufferBudget() {
        return decodeBufferBudget >= 0 ? decodeBufferBudget
                : DecodeLimits.DEFAULT_BUDGET_FRAMES * (long) maxFrameLength;
    }

    /** The deadline of a handshake, from accept or connect until the peer is authenticated. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** How many handshakes may be under way at once; beyond it the oldest unfinished one is dropped. */
    public int maxHandshakes() {
        return maxHandshakes;
    }

    /** How many handshakes one source address may have under way at once; beyond it more are refused. */
    public int maxHandshakesPerAddress() {
        return maxHandshakesPerAddress;
    }

    /** The longest delay a source address gets before its next handshake, after failing authentication. */
    public Duration authFailureDelay() {
        return authFailureDelay;
    }

    /** How long an established link may stay silent, asked for a sign of life, before it counts as lost. */
    public Duration livenessTimeout() {
        return livenessTimeout;
    }

    /** The backlog of a link, in bytes, above which it is busy. */
    public long linkBusyThreshold() {
        return linkBusyThreshold;
    }

    /** The backlog of a link, in bytes, at which a plain send fails it. */
    public long linkBacklogLimit() {
        return linkBacklogLimit;
    }

    /**
     * The size of the chunks in which a link to another Java node sends a large message, and the
     * size above which a message is large; 0 if links send every message whole.
     */
    public int linkChunkSize() {
        return linkChunkSize;
    }

    /** Messages waiting in one mailbox above which it is busy. */
    public int mailboxBusyMessages() {
        return mailboxBusyMessages;
    }

    /** True if callbacks for messages from other nodes may run on the I/O thread that read them. */
    public boolean inlineCallbacks() {
        return inlineCallbacks;
    }

    /** Bytes (of messages from other nodes) waiting in one mailbox above which it is busy. */
    public long mailboxBusyBytes() {
        return mailboxBusyBytes;
    }

    /** How long {@link Node#close()} waits for queued messages to be sent. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    public int workerThreads() {
        return workerThreads;
    }

    public int ioThreads() {
        return ioThreads;
    }

    /** The services to start, in order: names, or lists of a name and arguments. */
    public List<Object> services() {
        return services;
    }

    /** The fixed RUNIQ, if {@link Builder#reproducibleIds} was used. */
    public Optional<String> runiq() {
        return Optional.ofNullable(runiq);
    }

    /** The fixed local port-name prefix, if {@link Builder#reproducibleIds} was used. */
    public Optional<String> localPortPrefix() {
        return Optional.ofNullable(localPortPrefix);
    }

    @Override
    public String toString() {
        return "NodeConfig[nodeId=" + nodeId + ", binds=" + binds + ", seeds=" + seeds
                + ", secret=" + (secret == null ? "none" : "set") + ", cert=" + (cert == null ? "none" : "set")
                + ", framingFormat=" + framingFormat + ", secure=" + secure + ", global=" + global + "]";
    }

    /** Builds a {@link NodeConfig}. Each method checks its argument at once. Not thread-safe. */
    public static final class Builder {
        private String nodeId = "anon/";
        private List<String> binds = new ArrayList<>(List.of("*"));
        private List<String> seeds = new ArrayList<>();
        private Secret secret;
        private String cert;
        private Duration monitorTimeout = Duration.ofSeconds(30);
        private Duration connectInterval = Duration.ofSeconds(2);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private int maxHandshakes = 256;
        private int maxHandshakesPerAddress = 32;
        private Duration authFailureDelay = Duration.ofSeconds(5);
        private Duration livenessTimeout = Duration.ofSeconds(15);
        private long linkBusyThreshold = 1 << 20;
        private long linkBacklogLimit = 16 << 20;
        private int linkChunkSize = 64 << 10;
        private int mailboxBusyMessages = 10_000;
        private boolean inlineCallbacks;
        private long mailboxBusyBytes = 8 << 20;
        private Duration closeTimeout = Duration.ofSeconds(5);
        private List<String> framingFormat;
        private List<String> authOffer = DEFAULT_AUTH_OFFER;
        private List<String> authAccept = DEFAULT_AUTH_ACCEPT;
        private boolean secure;
        private boolean global;
        private Map<String, InitFunction> functions = new LinkedHashMap<>();
        private List<Codec> codecs;
        private List<AuthMethod> authMethods;
        private TlsProvider tlsProvider;
        private String transport;
        private int maxFrameLength = 64 << 20;
        private int maxFrameElements = DecodeLimits.DEFAULT_MAX_ELEMENTS;
        private long decodeBufferBudget = -1; // -1: DEFAULT_BUDGET_FRAMES times maxFrameLength
        private int workerThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private int ioThreads = 1;
        private String runiq;
        private String localPortPrefix;
        private List<Object> services = new ArrayList<>();

        private Builder() {
        }

        /**
         * Services to start once the node is up, in order (the {@code services} profile key): a
         * {@link Service} name, or a list of a name and its arguments. {@code AnyEvent::MP::Global::}
         * makes the node global.
         */
        public Builder services(List<?> services) {
            requireNonNull(services, "services");
            List<Object> copy = new ArrayList<>();
            for (Object s : services) {
                if (s instanceof String || (s instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String)) {
                    copy.add(s instanceof List<?> l ? List.copyOf(l.stream().map(x -> (Object) x).toList()) : s);
                } else {
                    throw new IllegalArgumentException("a service must be a name or a list [name, args...]: " + s);
                }
            }
            this.services = copy;
            return this;
        }

        /**
         * The node id (default {@code anon/}). {@code %n} becomes the host name; {@code %u} and a
         * trailing {@code /} become a random 10-character string, as in AEMP 2.02.
         */
        public Builder nodeId(String nodeId) {
            requireNonNull(nodeId, "nodeId");
            if (nodeId.isEmpty() || nodeId.equals("0")) {
                throw new IllegalArgumentException("nodeId must not be empty or 0: '" + nodeId + "'");
            }
            this.nodeId = nodeId;
            return this;
        }

        /**
         * Listen addresses (default {@code *}): {@code host:port}, {@code host}, {@code port},
         * {@code *} (every non-loopback address) and {@code *} as port (dynamic). An empty list
         * means no listener.
         */
        public Builder binds(List<String> binds) {
            this.binds = checkedList(binds, "binds");
            return this;
        }

        public Builder binds(String... binds) {
            return binds(List.of(binds));
        }

        /** Seed addresses, {@code host:port} (default none). */
        public Builder seeds(List<String> seeds) {
            this.seeds = checkedList(seeds, "seeds");
            return this;
        }

        public Builder seeds(String... seeds) {
            return seeds(List.of(seeds));
        }

        /** The shared secret (default none); see {@link Secret#of}. */
        public Builder secret(String secret) {
            this.secret = secret == null ? null : Secret.of(secret);
            return this;
        }

        /** PEM text holding the private key and certificates (default none). It turns TLS on. */
        public Builder cert(String pem) {
            if (pem != null && pem.isBlank()) {
                throw new IllegalArgumentException("cert must not be blank");
            }
            this.cert = pem;
            return this;
        }

        /** The reconnect back-off cap of seeds and global nodes (default 30 s; AEMP {@code monitor_timeout}). */
        public Builder monitorTimeout(Duration timeout) {
            this.monitorTimeout = positive(timeout, "monitorTimeout");
            return this;
        }

        /** Pause between addresses of one node, and the connect deadline (default 2 s). */
        public Builder connectInterval(Duration interval) {
            this.connectInterval = positive(interval, "connectInterval");
            return this;
        }

        /** Framings to offer, in order of preference (default: every codec found, by preference). */
        public Builder framingFormat(List<String> framings) {
            this.framingFormat = framings == null ? null : checkedList(framings, "framingFormat");
            return this;
        }

        /** Auth methods this node may send (default {@code tls_sha3_512, hmac_sha3_512}). */
        public Builder authOffer(List<String> methods) {
            this.authOffer = checkedList(methods, "authOffer");
            return this;
        }

        /** Auth methods announced and accepted (default {@code tls_sha3_512, hmac_sha3_512, tls_anon, cleartext}). */
        public Builder authAccept(List<String> methods) {
            this.authAccept = checkedList(methods, "authAccept");
            return this;
        }

        /** Refuse remote function calls except spawns of registered functions (default false). */
        public Builder secure(boolean secure) {
            this.secure = secure;
            return this;
        }

        /** Run the global service: hold the network's database and act as a seed (default false). */
        public Builder global(boolean global) {
            this.global = global;
            return this;
        }

        /** Allows remote nodes to spawn or call {@code function} by {@code name} (e.g. {@code My::Pkg::init}). */
        public Builder function(String name, InitFunction function) {
            requireNonNull(name, "name");
            requireNonNull(function, "function");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("function name must not be empty");
            }
            functions.put(name, function);
            return this;
        }

        /** Uses these codecs instead of discovering them (tests, dependency injection). */
        public Builder codecs(List<Codec> codecs) {
            this.codecs = codecs == null ? null : List.copyOf(codecs);
            return this;
        }

        /** Uses these auth methods instead of discovering them. */
        public Builder authMethods(List<AuthMethod> methods) {
            this.authMethods = methods == null ? null : List.copyOf(methods);
            return this;
        }

        /**
         * Uses this TLS provider instead of discovering one, for this node only; it is used only
         * if a {@link #cert cert} is set. With mp-tls, {@code new AempTlsProvider(SslProvider.JDK)}
         * forces the JDK's TLS and {@code SslProvider.OPENSSL} BoringSSL.
         */
        public Builder tlsProvider(TlsProvider provider) {
            this.tlsProvider = provider;
            return this;
        }

        /** Uses the transport of this name ({@code epoll}, {@code nio}) instead of the best available. */
        public Builder transport(String name) {
            this.transport = name;
            return this;
        }

        /**
         * The largest message a decoder accepts, in bytes, framing included (default 64 MiB). A longer
         * one fails its link before it is buffered whole.
         */
        public Builder maxFrameLength(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxFrameLength must be >= 1024: " + bytes);
            }
            this.maxFrameLength = bytes;
            return this;
        }

        /**
         * The most values one received message may decode to (default 1,000,000; profile key
         * {@code max_frame_elements}). Every value counts: the message list, each list and map in it,
         * each map key, each element and map value. A message with more fails its link before its
         * values are built, so that a frame of small values (a 3-byte {@code {}} is a map object of
         * some 50 bytes) cannot take more memory than a fixed multiple of this number. A limit above
         * {@link #maxFrameLength} is as good as that length, as every value takes at least a byte.
         */
        public Builder maxFrameElements(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxFrameElements must be >= 1: " + n);
            }
            this.maxFrameElements = n;
            return this;
        }

        /**
         * The bytes that all links of the node together may hold for messages still arriving
         * (default 4 times {@link #maxFrameLength}, 256 MiB; profile key {@code decode_buffer_budget}).
         * Each link holds up to 64 KiB of its own; a link that needs more for an incomplete message
         * reserves it from this budget first and gives it back when the message is complete or the
         * link is gone. A link that finds the budget spent fails ({@code decode_buffer_budget} in
         * the reason) and the node goes on. Below {@link #maxFrameLength}, messages near that length
         * cannot arrive.
         */
        public Builder decodeBufferBudget(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("decodeBufferBudget must be >= 0: " + bytes);
            }
            this.decodeBufferBudget = bytes;
            return this;
        }

        /**
         * The deadline of a handshake, from accept or connect until the peer has authenticated
         * (default 10 s; profile key {@code handshake_timeout}), or {@link #monitorTimeout} if that is
         * shorter, as AEMP uses it for the handshake. It is absolute: bytes that trickle in do not
         * extend it.
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive(timeout, "handshakeTimeout");
            return this;
        }

        /**
         * How many accepted connections may be in their handshake at once (default 256; profile key
         * {@code max_handshakes}). A new one beyond it makes room by dropping the oldest unfinished
         * one, so a flood of idle connections cannot lock real nodes out.
         */
        public Builder maxHandshakes(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxHandshakes must be >= 1: " + n);
            }
            this.maxHandshakes = n;
            return this;
        }

        /**
         * How many accepted connections from one source address may be in their handshake at once
         * (default 32; profile key {@code max_handshakes_per_address}); more are closed at once.
         */
        public Builder maxHandshakesPerAddress(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxHandshakesPerAddress must be >= 1: " + n);
            }
            this.maxHandshakesPerAddress = n;
            return this;
        }

        /**
         * The longest delay before a source address that failed authentication gets its next
         * handshake (default 5 s; profile key {@code auth_failure_delay}). The delay starts at
         * 50 ms and doubles with every failure in a row; a success, or a minute without failures,
         * resets it.
         */
        public Builder authFailureDelay(Duration delay) {
            this.authFailureDelay = positive(delay, "authFailureDelay");
            return this;
        }

        /**
         * How long an established link may go without a byte from its peer before it counts as lost
         * (default 15 s; profile key {@code liveness_timeout}). A link that has been quiet for a
         * third of it asks the peer for a sign of life (the node-port request {@code time}, which
         * every AEMP 2.02 node answers); when the bound passes, the link is closed and its monitors
         * fire with {@code transport_error}. A message must cross the link within this time.
         */
        public Builder livenessTimeout(Duration timeout) {
            this.livenessTimeout = positive(timeout, "livenessTimeout");
            return this;
        }

        /**
         * The backlog of a link (bytes queued for it and not yet taken by the socket) above which it
         * is busy (default 1 MiB; profile key {@code link_busy_threshold}): {@link Node#trySend}
         * refuses, {@link Node#monitorBusy} listeners hear it, and it is ready again at half.
         */
        public Builder linkBusyThreshold(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("linkBusyThreshold must be >= 1024: " + bytes);
            }
            this.linkBusyThreshold = bytes;
            return this;
        }

        /**
         * The backlog of a link at which a plain send fails the link, so that its monitors fire
         * rather than memory growing without end (default 16 MiB; profile key
         * {@code link_backlog_limit}). One message is always taken into an empty backlog, however
         * large.
         */
        public Builder linkBacklogLimit(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("linkBacklogLimit must be >= 1024: " + bytes);
            }
            this.linkBacklogLimit = bytes;
            return this;
        }

        /**
         * Lets a large message to another Java node travel in chunks of {@code bytes}, so that small
         * messages sent after it on the same link need not wait until all of it is sent (default
         * 64 KiB; profile key {@code link_chunk_size}; 0 turns it off). A message whose encoded frame
         * is longer goes in chunks, and after each chunk the link sends the small messages waiting.
         * Messages to the same port keep their order (one sent after a large one waits for it), and
         * so does everything sent to the node port (monitors, kills, requests): such a message
         * waits for the large ones sent before it, and what is sent after it waits for it. The
         * receiver delivers a large message whole, once its last chunk is in. Both nodes must have
         * it on (each announces it in its greeting, which Perl ignores); with any other peer the
         * link sends every message whole, as ever.
         *
         * @throws IllegalArgumentException if {@code bytes} is neither 0 nor at least 1024
         */
        public Builder linkChunkSize(int bytes) {
            if (bytes != 0 && bytes < 1024) {
                throw new IllegalArgumentException("linkChunkSize must be 0 (off) or >= 1024: " + bytes);
            }
            this.linkChunkSize = bytes;
            return this;
        }

        /**
         * Messages waiting in one mailbox above which it is busy (default 10,000; profile key
         * {@code mailbox_busy_messages}): the links that feed it stop reading until it is down to
         * half, and {@link Node#trySend} to it refuses.
         */
        public Builder mailboxBusyMessages(int messages) {
            if (messages < 1) {
                throw new IllegalArgumentException("mailboxBusyMessages must be >= 1: " + messages);
            }
            this.mailboxBusyMessages = messages;
            return this;
        }

        /**
         * Lets a callback for a message from another node run on the I/O thread that decoded it,
         * when its port is idle, instead of being handed to a worker (default false; profile key
         * {@code inline_callbacks}). This saves the two thread hand-offs of a round trip (the
         * reply a callback sends goes out with the same turn of the I/O thread), about what
         * Perl's AnyEvent::MP does, where every callback runs on its one event loop. The price is
         * Perl's too: a callback that blocks or runs long holds up every link of that I/O thread.
         * Turn it on only for nodes whose callbacks are short and never wait (no {@code join()}
         * on a {@code call}). The guarantees stay: one callback at a time per port, in order; a
         * port with a backlog is drained by a worker as usual, and messages from local senders
         * always go through the workers.
         */
        public Builder inlineCallbacks(boolean inline) {
            this.inlineCallbacks = inline;
            return this;
        }

        /**
         * Bytes of messages from other nodes waiting in one mailbox above which it is busy (default
         * 8 MiB; profile key {@code mailbox_busy_bytes}).
         */
        public Builder mailboxBusyBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("mailboxBusyBytes must be >= 1024: " + bytes);
            }
            this.mailboxBusyBytes = bytes;
            return this;
        }

        /**
         * How long {@link Node#close()} waits for the messages queued on links to be sent before it
         * closes them (default 5 s; profile key {@code close_timeout}).
         */
        public Builder closeTimeout(Duration timeout) {
            requireNonNull(timeout, "closeTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must be >= 0: " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /** Threads that run callbacks (default: the number of cores, at least 2). */
        public Builder workerThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("workerThreads must be >= 1: " + n);
            }
            this.workerThreads = n;
            return this;
        }

        /** Event-loop threads for socket I/O (default 1). */
        public Builder ioThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("ioThreads must be >= 1: " + n);
            }
            this.ioThreads = n;
            return this;
        }

        /**
         * Fixes the random parts of ids: the {@code RUNIQ} (10 characters; used for a random node
         * id and for names of ports this node spawns elsewhere) and the 9-character prefix of local
         * port names. Only for reproducing a recorded session in tests: ids must differ between
         * runs, or a stale port id could reach a new port.
         */
        public Builder reproducibleIds(String runiq, String localPortPrefix) {
            requireNonNull(runiq, "runiq");
            requireNonNull(localPortPrefix, "localPortPrefix");
            if (!runiq.matches("[0-9A-Za-z]{9}[0-9A-Z]")) {
                throw new IllegalArgumentException("runiq must be 10 characters of [0-9A-Za-z], the last upper-case"
                        + " or a digit: '" + runiq + "'");
            }
            if (!localPortPrefix.matches("[0-9A-Za-z]{9}")) {
                throw new IllegalArgumentException("localPortPrefix must be 9 characters of [0-9A-Za-z]: '"
                        + localPortPrefix + "'");
            }
            this.runiq = runiq;
            this.localPortPrefix = localPortPrefix;
            return this;
        }

        public NodeConfig build() {
            return new NodeConfig(this);
        }

        private static List<String> checkedList(List<String> list, String name) {
            requireNonNull(list, name);
            for (String s : list) {
                if (s == null) {
                    throw new IllegalArgumentException(name + " must not contain null: " + list);
                }
            }
            return new ArrayList<>(list);
        }

        private static Duration positive(Duration d, String name) {
            requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be > 0: " + d);
            }
            return d;
        }
    }
}
