package org.aemp;

import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.aemp.internal.Incidents;
import org.aemp.internal.global.GlobalService;
import org.aemp.internal.kernel.Kernel;
import org.aemp.internal.kernel.NodePortRequests;
import org.aemp.internal.kernel.PortNames;
import org.aemp.internal.kernel.Remote;
import org.aemp.internal.kernel.Workers;
import org.aemp.internal.net.AddressFinder;
import org.aemp.internal.net.HandshakeSettings;
import org.aemp.internal.net.LinkListener;
import org.aemp.internal.net.Network;
import org.aemp.spi.AuthMethod;
import org.aemp.spi.Codec;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.Secret;
import org.aemp.spi.TlsContext;
import org.aemp.spi.TlsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one node's services and takes them down again: the one place that knows them all. It
 * makes them through their constructors, bottom-up along the package line (the
 * {@link Workers}, the {@link Kernel}, the {@link Network}, the {@link GlobalService}), each
 * getting the narrow interface it needs of the one below it.
 *
 * <p>The services also call up the line: the kernel sends through the network ({@link Remote})
 * and hands the requests of the layers above to them ({@link NodePortRequests}); the network
 * tells the global service of links ({@link LinkListener}) and asks it for addresses
 * ({@link AddressFinder}). Those objects do not exist yet when the lower one is built, so every
 * such call goes through {@link Upcalls}, which the constructor binds once, at its end, before
 * any thread of the node runs: the node's one late binding.
 *
 * <p>Thread-safe.
 */
final class NodeAssembly {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    /** The {@code provider=} greeting extension this implementation sends. */
    static final String PROVIDER = "aemp-java-0.1.0";

    final String id;
    final Workers workers;
    /** Failures told as they happen ({@link Node#monitorIncidents}); nothing is done for them while nobody listens. */
    final Incidents incidents;
    final Kernel kernel;
    final Network network;
    final GlobalService global;
    final DataConnReceivers dataConnReceivers;
    private final TlsProvider tlsProvider; // null for a node without a certificate
    private final AtomicReference<TlsContext> tls = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param id the expanded node id
     * @param runiq this process's RUNIQ, for port names
     * @param bareCounters the node id holds a random part, so local port names drop their prefix
     * @param codecs the framings, in order of preference
     * @throws AempException if the configuration cannot work (a certificate that cannot be used,
     *     a transport that does not exist or cannot run here)
     */
    NodeAssembly(NodeConfig config, String id, String runiq, boolean bareCounters, List<Codec> codecs) {
        this.id = id;
        ClassLoader loader = Node.class.getClassLoader();
        Map<String, AuthMethod> methods = Providers.authMethods(
                config.authMethods().orElseGet(() -> Providers.load(AuthMethod.class, loader)));
        this.tlsProvider = config.cert().isEmpty() ? null
                : config.tlsProvider().orElseGet(() -> Providers.tls(Providers.load(TlsProvider.class, loader)));
        if (tlsProvider != null) {
            tls.set(newTlsContext(config.cert().get()));
        }
        Secret secret = config.secret().orElse(null);
        List<String> accept = new ArrayList<>();
        for (String name : config.authAccept()) {
            AuthMethod m = methods.get(name);
            if (m != null && !(m.requiresSecret() && secret == null) && !(m.requiresTls() && tlsProvider == null)) {
                accept.add(name);
            }
        }
        HandshakeSettings settings = new HandshakeSettings(id, codecs, accept, config.authOffer(), methods, secret,
                tls::get, min(config.handshakeTimeout(), config.monitorTimeout()),
                DecodeLimits.of(config.maxFrameLength(), config.maxFrameElements(), config.decodeBufferBudget()),
                PROVIDER, config.linkChunkSize());
        Network.Limits limits = new Network.Limits(config.connectInterval(), config.monitorTimeout(),
                config.livenessTimeout(), config.maxHandshakes(), config.maxHandshakesPerAddress(),
                config.authFailureDelay(), config.linkBusyThreshold(), config.linkBacklogLimit());
        PortNames names = config.localPortPrefix().isPresent()
                ? new PortNames(runiq, bareCounters ? "" : config.localPortPrefix().get())
                : new PortNames(runiq, bareCounters);

        Upcalls up = new Upcalls();
        this.workers = new Workers(id, config.workerThreads());
        this.incidents = new Incidents(workers);
        this.kernel = new Kernel(id, names, workers,
                new Kernel.Settings(config.secure(), config.mailboxBusyMessages(), config.mailboxBusyBytes(),
                        config.inlineCallbacks()),
                type -> codecs.stream().anyMatch(c -> c.canEncode(type)), up, up, incidents);
        try {
            this.network = new Network(kernel, settings, config.transport().orElse(null),
                    config.ioThreads(), limits, up, up, incidents);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new AempException(e.getMessage(), e);
        }
        this.global = new GlobalService(id, (node, request) -> kernel.send(node, "", request), network, workers,
                config.monitorTimeout());
        this.dataConnReceivers = new DataConnReceivers(id);
        up.bind(network, global, new DataConnRequests(kernel, network.dataConns(), dataConnReceivers, workers,
                closed::get));

        if (accept.isEmpty() && (!config.binds().isEmpty() || !config.seeds().isEmpty())) {
            log.warn("node {} can authenticate no link: configure a secret (with mp-auth on the class path)"
                    + " or a cert (with mp-tls)", id);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private TlsContext newTlsContext(String pem) {
        try {
            return tlsProvider.newContext(pem);
        } catch (GeneralSecurityException e) {
            throw new AempException("the certificate (cert) cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * Uses {@code pem} for links made from now on.
     *
     * @throws IllegalStateException if the node was started without a certificate
     * @throws AempException if {@code pem} cannot be used
     */
    void reloadCertificate(String pem) {
        if (tlsProvider == null) {
            throw new IllegalStateException("node " + id + " was started without a certificate (cert)");
        }
        tls.set(newTlsContext(pem));
    }

    boolean isClosed() {
        return closed.get();
    }

    /**
     * Takes the node down in order: the global service stops reconnecting, every local port is
     * killed (monitors fire, here and on linked nodes), queued messages go to the sockets (waiting
     * up to {@code grace}), the connections close, the threads stop.
     *
     * @return how many messages were not sent: {@code [queued on links, waiting for a link]}; null
     *     if the node was closed already
     */
    long[] close(Duration grace) {
        if (!closed.compareAndSet(false, true)) {
            return null;
        }
        global.close();
        kernel.killAll();
        workers.awaitQuiet(Duration.ofSeconds(5));
        long[] unsent = network.close(grace);
        workers.stop(Duration.ofSeconds(5));
        return unsent;
    }

    /**
     * Every call up the package line: the kernel's way out ({@link Remote}) and to the requests the
     * layers above answer ({@link NodePortRequests}), and the network's to the global service
     * ({@link LinkListener}, {@link AddressFinder}). Bound once, at the end of the assembly's
     * constructor; before that no thread of the node runs, so nothing calls it.
     */
    private static final class Upcalls implements Remote, NodePortRequests, LinkListener, AddressFinder {
        private volatile Network network;
        private volatile GlobalService global;
        private volatile NodePortRequests dataConns;

        void bind(Network network, GlobalService global, NodePortRequests dataConns) {
            if (this.network != null) {
                throw new IllegalStateException("bound already");
            }
            this.global = global;
            this.dataConns = dataConns;
            this.network = network;
        }

        // ---- Remote: the kernel's way to other nodes ----

        @Override
        public void send(String node, List<?> message) {
            network.send(node, message);
        }

        @Override
        public boolean trySend(String node, List<?> message) {
            return network.trySend(node, message);
        }

        @Override
        public void whenReady(String node, Runnable ready) {
            network.whenReady(node, ready);
        }

        @Override
        public void sendIfUp(String node, List<?> message) {
            network.sendIfUp(node, message);
        }

        @Override
        public List<String> upNodes() {
            return network.upNodes();
        }

        // ---- NodePortRequests: g_* to the global service, data connections to DataConn ----

        @Override
        public boolean handles(String tag) {
            return tag.startsWith("g_") || dataConns.handles(tag);
        }

        @Override
        public void handle(String source, String tag, List<Object> args) {
            if (tag.startsWith("g_")) {
                global.handle(source, tag, args);
            } else {
                dataConns.handle(source, tag, args);
            }
        }

        // ---- the network's to the global service ----

        @Override
        public void changed(String node, boolean up, List<Object> reason) {
            global.linkChanged(node, up);
        }

        @Override
        public CompletableFuture<List<String>> find(String node) {
            return global.find(node);
        }
    }
}
