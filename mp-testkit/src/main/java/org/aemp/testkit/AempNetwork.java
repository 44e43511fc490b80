package org.aemp.testkit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.aemp.Guard;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A network of aemp-java nodes in this JVM for one test: N nodes on loopback sharing a random
 * secret, the first of them the seed (a global node) that the others connect to, with the framing
 * and TLS the test asks for; optionally links that run through relays to break on purpose
 * ({@link LinkFaults}), and live Perl nodes that join it ({@link PerlPeer}). As a JUnit 5 extension
 * it starts before each test and is closed after it:
 *
 * <pre>{@code
 * @RegisterExtension
 * final AempNetwork net = AempNetwork.builder().nodes(3).codec("cbor").relay(0, 2).build();
 *
 * @Test
 * void aMessageCrosses() {
 *     Inbox inbox = Inbox.open(net.node(1));
 *     net.node(2).send(inbox.port(), "hello");
 *     inbox.expect("hello");
 * }
 * }</pre>
 *
 * In a {@code static} field it starts once before the class's tests and closes after them. Without
 * JUnit, {@link #start()} it and close it (try-with-resources).
 *
 * <p>When {@link #start()} returns, every node has its link to the seed up. Node ids are
 * {@code n0}, {@code n1}, ... unless {@link Builder#ids} names them.
 *
 * <p>Thread-safe: the nodes may be used from any thread; start and close are serialized.
 */
public final class AempNetwork implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, AutoCloseable {
    /** How long the kit's waits last unless told otherwise: 10 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #start()} waits for each node to link to the seed. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** The AEMP database family where each node's listen addresses are kept, by node id. */
    private static final String NODE_ADDRESSES = "'l";

    private final Builder spec;
    private final List<Node> nodes = new ArrayList<>(); // guarded by this
    private final Map<String, LinkFaults> links = new LinkedHashMap<>(); // guarded by this; key "a-b", a < b
    private final List<PerlPeer> perls = new ArrayList<>(); // guarded by this
    /** Relays made before the node that dials them starts (its seed address), by that node's index. */
    private final Map<Integer, TcpRelay> early = new LinkedHashMap<>(); // guarded by this
    private String secret; // guarded by this; null while not started
    private boolean classScoped; // guarded by this

    private AempNetwork(Builder spec) {
        this.spec = spec;
    }

    /** A builder: two nodes, any framing on the class path, no TLS, no relays, no Perl. */
    public static Builder builder() {
        return new Builder();
    }

    // ---- lifecycle ----

    /**
     * Starts the nodes, relays and Perl peers, and waits until every node is linked to the seed.
     * Skips the calling test (a JUnit assumption) if Perl peers are asked for and Perl is not
     * available.
     *
     * @return this network
     * @throws IOException if a node cannot bind or a relay cannot be made (what started is closed)
     * @throws IllegalStateException if it is started already
     */
    public synchronized AempNetwork start() throws IOException {
        if (secret != null) {
            throw new IllegalStateException("the network is started already: " + nodes);
        }
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        secret = "aemp-testkit-" + HexFormat.of().formatHex(random);
        try {
            startNodes();
            startPerls();
        } catch (IOException | RuntimeException | Error e) {
            close();
            throw e;
        }
        return this;
    }

    private void startNodes() throws IOException {
        String pem = spec.tls ? certificate() : null;
        for (int i = 0; i < spec.ids.size(); i++) {
            NodeConfig.Builder b = NodeConfig.builder().nodeId(spec.ids.get(i)).binds("127.0.0.1:0").secret(secret);
            if (i == 0) {
                b.global(true);
            } else {
                b.seeds(isRelayed(0, i) ? relayTo(0) : address(nodes.get(0)));
            }
            if (!spec.codecs.isEmpty()) {
                b.framingFormat(spec.codecs);
            }
            if (pem != null) {
                b.cert(pem);
            }
            b = spec.all.apply(b);
            b = spec.each.getOrDefault(i, x -> x).apply(b);
            Node node = Node.start(b.build());
            nodes.add(node);
            for (int a = 0; a < i; a++) {
                if (isRelayed(a, i)) {
                    route(a, i);
                }
            }
            if (i > 0) {
                // the node dials its seed by itself; a connect() here would dial a second time
                try (NodeWatch seen = NodeWatch.of(node)) {
                    seen.awaitUp(nodes.get(0).id(), START_TIMEOUT);
                }
            }
        }
        awaitAddressesKnown(spec.ids);
    }

    /**
     * Waits until the seed knows where each of {@code ids} listens (the AEMP database family
     * {@code 'l}, which each node fills once linked to the seed): until then, a node that asks
     * the seed for another's address could be told it has none, and drop the message.
     */
    private void awaitAddressesKnown(List<String> ids) {
        Arrivals<Set<String>> known = new Arrivals<>();
        Guard watch = nodes.get(0).db().monitor(NODE_ADDRESSES,
                (family, added, changed, deleted) -> known.add(Set.copyOf(family.keySet())));
        try {
            known.await(START_TIMEOUT, k -> k.containsAll(ids), "the addresses of every node " + ids
                    + " at the seed " + nodes.get(0).id());
        } finally {
            watch.close();
        }
    }

    private String relayTo(int target) throws IOException {
        TcpRelay relay = TcpRelay.to(address(nodes.get(target)));
        early.put(nodes.size(), relay); // dialled by the node about to start
        return relay.address();
    }

    /** Routes the link between started nodes a and b (a < b) through a relay for each one's dialling. */
    private void route(int a, int b) throws IOException {
        Node na = nodes.get(a);
        Node nb = nodes.get(b);
        TcpRelay byB = a == 0 && early.containsKey(b) ? early.remove(b) : TcpRelay.to(address(na));
        TcpRelay byA;
        try {
            byA = TcpRelay.to(address(nb));
        } catch (IOException e) {
            byB.close();
            throw e;
        }
        links.put(a + "-" + b, new LinkFaults(na, nb, byA, byB));
        na.addAddresses(nb.id(), List.of(byA.address()));
        nb.addAddresses(na.id(), List.of(byB.address()));
    }

    private void startPerls() throws IOException {
        if (spec.perlPeers == 0) {
            return;
        }
        PerlPeer.assumePerl();
        Node seed = nodes.get(0);
        try (NodeWatch seen = NodeWatch.of(seed)) {
            for (int i = 0; i < spec.perlPeers; i++) {
                List<String> args = new ArrayList<>(List.of("nodeid=perl" + i, "bind=127.0.0.1:*",
                        "seeds=" + address(seed), "secret=" + secret));
                if (!spec.codecs.isEmpty()) {
                    args.add("framing=" + String.join(",", spec.codecs));
                }
                PerlPeer perl = PerlPeer.start("perl" + i + "-" + seed.id(), args.toArray(String[]::new));
                perls.add(perl);
                seen.awaitUp(perl.node(), START_TIMEOUT);
            }
        }
        awaitAddressesKnown(perls.stream().map(PerlPeer::node).toList());
    }

    private boolean isRelayed(int a, int b) {
        return spec.relays.contains(Math.min(a, b) + "-" + Math.max(a, b));
    }

    private static String address(Node node) {
        return node.listenAddresses().get(0);
    }

    private static String certificate() {
        try {
            return TestCertificate.PEM;
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("tls(true) needs mp-tls on the test class path (org.aemp:mp-tls)", e);
        }
    }

    /**
     * Closes the Perl peers, the nodes (their monitors fire) and the relays. Idempotent; never
     * throws. The network can then be started again.
     */
    @Override
    public synchronized void close() {
        for (PerlPeer p : perls) {
            p.close();
        }
        perls.clear();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        nodes.clear();
        for (LinkFaults l : links.values()) {
            l.close();
        }
        links.clear();
        for (TcpRelay r : early.values()) {
            r.close();
        }
        early.clear();
        secret = null;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws IOException {
        classScoped = true;
        start();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) throws IOException {
        if (!classScoped) {
            start();
        }
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        if (!classScoped) {
            close();
        }
    }

    // ---- what a test uses ----

    /** Node {@code i} (0 is the seed). */
    public synchronized Node node(int i) {
        checkStarted();
        if (i < 0 || i >= nodes.size()) {
            throw new IndexOutOfBoundsException("node " + i + ": the network has nodes 0 to " + (nodes.size() - 1));
        }
        return nodes.get(i);
    }

    /** Every node, the seed first. */
    public synchronized List<Node> nodes() {
        checkStarted();
        return List.copyOf(nodes);
    }

    /** The seed: node 0, a global node that every other node connects to first. */
    public Node seed() {
        return node(0);
    }

    /** The shared secret (random for each start), for a node or a process the test adds itself. */
    public synchronized String secret() {
        checkStarted();
        return secret;
    }

    /** The addresses of the seed, for a node or a process the test adds itself. */
    public List<String> seeds() {
        return seed().listenAddresses();
    }

    /**
     * The faults of the link between nodes {@code a} and {@code b}.
     *
     * @throws IllegalArgumentException unless {@link Builder#relay(int, int)} routed that link
     */
    public synchronized LinkFaults link(int a, int b) {
        checkStarted();
        LinkFaults l = links.get(Math.min(a, b) + "-" + Math.max(a, b));
        if (l == null) {
            throw new IllegalArgumentException("the link " + a + " <-> " + b + " has no relay: routed are "
                    + links.keySet() + " (ask for it with AempNetwork.builder().relay(" + a + ", " + b + "))");
        }
        return l;
    }

    /**
     * Perl peer {@code i}, linked to the seed, with the network's secret and framing, serving
     * {@code #echo} (see {@link PerlPeer}).
     */
    public synchronized PerlPeer perl(int i) {
        checkStarted();
        if (i < 0 || i >= perls.size()) {
            throw new IndexOutOfBoundsException("Perl peer " + i + ": the network has " + perls.size()
                    + " (ask for them with AempNetwork.builder().perlPeers(n))");
        }
        return perls.get(i);
    }

    private void checkStarted() {
        if (secret == null) {
            throw new IllegalStateException("the network is not started: register it with @RegisterExtension, or"
                    + " call start()");
        }
    }

    @Override
    public synchronized String toString() {
        return "AempNetwork" + (secret == null ? spec.ids + " (not started)" : nodes.stream().map(Node::id).toList());
    }

    /**
     * What network to start. Not thread-safe; build it once, in a field initializer.
     */
    public static final class Builder {
        private List<String> ids = List.of("n0", "n1");
        private List<String> codecs = List.of();
        private boolean tls;
        private UnaryOperator<NodeConfig.Builder> all = b -> b;
        private final Map<Integer, UnaryOperator<NodeConfig.Builder>> each = new LinkedHashMap<>();
        private final List<String> relays = new ArrayList<>();
        private int perlPeers;

        private Builder() {
        }

        /** {@code n} nodes, with ids {@code n0} to {@code n<n-1>} (default 2). */
        public Builder nodes(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("nodes must be >= 1: " + n);
            }
            List<String> made = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                made.add("n" + i);
            }
            ids = List.copyOf(made);
            return this;
        }

        /** Nodes with these ids, in this order (the first is the seed). */
        public Builder ids(String... ids) {
            if (ids.length == 0 || Set.of(ids).size() != ids.length) {
                throw new IllegalArgumentException("ids must be one or more, each once: " + List.of(ids));
            }
            this.ids = List.of(ids);
            return this;
        }

        /**
         * The framings the nodes offer and accept, in order of preference (AEMP
         * {@code framing_format}: {@code json}, {@code cbor}, {@code kryo}); each needs its codec
         * module on the test class path. Default: every codec on the class path.
         */
        public Builder codec(String... framings) {
            this.codecs = List.of(framings);
            return this;
        }

        /**
         * With {@code true}, every node gets the same certificate, made for this JVM's tests (as
         * {@code aemp gencert} makes one), so that links run over TLS. Needs mp-tls on the test
         * class path. Default false.
         */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /**
         * A change to every node's configuration, applied after the kit's own settings (id, bind,
         * secret, seeds, framing, certificate), so it may override them: liveness timeout,
         * functions to spawn, limits.
         */
        public Builder configure(UnaryOperator<NodeConfig.Builder> change) {
            UnaryOperator<NodeConfig.Builder> before = all;
            requireNonNull(change, "change");
            all = b -> change.apply(before.apply(b));
            return this;
        }

        /** A change to the configuration of node {@code i} only, applied after {@link #configure(UnaryOperator)}. */
        public Builder configure(int i, UnaryOperator<NodeConfig.Builder> change) {
            requireNonNull(change, "change");
            UnaryOperator<NodeConfig.Builder> before = each.getOrDefault(i, b -> b);
            each.put(i, b -> change.apply(before.apply(b)));
            return this;
        }

        /**
         * Routes the link between nodes {@code a} and {@code b} through relays, so that the test
         * can break it ({@link AempNetwork#link(int, int)}). Either node's connection to the other
         * runs through a relay: the other's address given to it is the relay's (in its seeds when
         * the other is the seed).
         */
        public Builder relay(int a, int b) {
            if (a == b || a < 0 || b < 0) {
                throw new IllegalArgumentException("a relay joins two different nodes: " + a + ", " + b);
            }
            relays.add(Math.min(a, b) + "-" + Math.max(a, b));
            return this;
        }

        /**
         * {@code n} live Perl AnyEvent::MP 2.02 nodes ({@code perl0}, ...) that join the network
         * through the seed, with its secret and framing (not with TLS). A test with Perl peers is
         * skipped where Perl is not available (see {@link PerlPeer}).
         */
        public Builder perlPeers(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("perlPeers must be >= 0: " + n);
            }
            this.perlPeers = n;
            return this;
        }

        /**
         * The network, not started: register it as an extension, or {@link AempNetwork#start()} it.
         *
         * @throws IllegalArgumentException if a relay or a per-node change names a node that does
         *     not exist, or Perl peers are asked for with TLS
         */
        public AempNetwork build() {
            for (String r : relays) {
                if (Integer.parseInt(r.substring(r.indexOf('-') + 1)) >= ids.size()) {
                    throw new IllegalArgumentException("relay " + r.replace("-", " <-> ") + ": the network has nodes 0 to "
                            + (ids.size() - 1));
                }
            }
            for (int i : each.keySet()) {
                if (i < 0 || i >= ids.size()) {
                    throw new IllegalArgumentException("configure(" + i + ", ...): the network has nodes 0 to "
                            + (ids.size() - 1));
                }
            }
            if (tls && perlPeers > 0) {
                throw new IllegalArgumentException("Perl peers join without TLS: tls(true) and perlPeers("
                        + perlPeers + ") do not go together");
            }
            Builder copy = new Builder();
            copy.ids = ids;
            copy.codecs = codecs;
            copy.tls = tls;
            copy.all = all;
            copy.each.putAll(each);
            copy.relays.addAll(relays);
            copy.perlPeers = perlPeers;
            return new AempNetwork(copy);
        }
    }
}
