package org.aemp.internal.global;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import org.aemp.internal.SafeText;
import org.aemp.internal.SerialExecutor;
import org.aemp.internal.kernel.Messages;
import org.aemp.internal.kernel.Workers;
import org.aemp.internal.net.NodeLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global service of AEMP 2.02, for every node. It follows Perl's {@code AnyEvent::MP::Kernel}
 * and {@code AnyEvent::MP::Global} closely, so that Java and Perl nodes can take any role in one
 * network. Its parts, each with one job:
 * <ul>
 *   <li>{@link Seeds}: every node keeps dialling all its seeds and sends each {@code g_slave}
 *       (which makes it global);
 *   <li>{@link Leaf}: the node's own database and its master (the first connected seed), which
 *       gets {@code g_slave} with the whole database, then every pending request ({@code g_find},
 *       {@code g_mon1}, {@code g_db_*}), sent again after a failover;
 *   <li>{@link GlobalRole}: once global, the network's database ({@link GlobalDatabase}), kept in
 *       a full mesh with the other global nodes ({@link Keepalive});
 *   <li>{@link GlobalRequests}: the {@code g_*} requests, read off the wire and handed to the
 *       part that answers them.
 * </ul>
 * This class is where the others meet: the entry points, the order of what happens when a link
 * comes up or goes down, and the requests this node sends, itself included.
 *
 * <p>Thread-safe: every entry point hands its work to one serial executor, where all state lives.
 * User callbacks run on a second serial executor, in order.
 */
public final class GlobalService {
    private static final Logger log = LoggerFactory.getLogger(GlobalService.class);
    /** The family of listen addresses: node id -> list of {@code host:port}. */
    public static final String ADDRESSES = "'l";
    /** The family of global nodes: node id -> null. */
    public static final String GLOBALS = "'g";

    private final String self;
    private final RequestSender sender;
    private final Workers workers;
    private final SerialExecutor exec;
    private final Seeds seeds;
    private final Keepalive keepalive;
    private final Leaf leaf;
    private final GlobalRole role;
    private final GlobalRequests requests;
    private final NodeLinks links;
    /** The nodes whose link-up this service has handled, and not yet their link-down. */
    private final Set<String> upSeen = new LinkedHashSet<>();
    private volatile boolean closed;

    /**
     * @param self this node's id
     * @param sender sends node-port requests to other nodes
     * @param links whether links are up; dials seeds, connects global nodes
     * @param workers the node's workers, where all of this service's work runs
     * @param monitorTimeout the longest retry delay of seeds and keepalive
     */
    public GlobalService(String self, RequestSender sender, NodeLinks links, Workers workers, Duration monitorTimeout) {
        this.self = self;
        this.sender = sender;
        this.links = links;
        this.workers = workers;
        this.exec = new SerialExecutor(workers);
        Outbox out = this::send;
        Scheduler scheduler = this::schedule;
        this.leaf = new Leaf(self, out, exec, new SerialExecutor(workers));
        this.keepalive = new Keepalive(self, links, scheduler, monitorTimeout, () -> closed);
        this.role = new GlobalRole(self, out, leaf, keepalive, exec, () -> List.copyOf(upSeen));
        this.requests = new GlobalRequests(self, leaf, role);
        this.seeds = new Seeds(self, links, exec, scheduler, monitorTimeout, () -> closed, new Seeds.Events() {
            @Override
            public void seedNodeUp(String node) {
                slaveOf(node);
            }

            @Override
            public void ownSeed(String address) {
                role.become();
            }
        });
    }

    // ---- entry points (any thread) ----

    /** A {@code g_*} request from {@code source}, as the kernel's node port received it. */
    public void handle(String source, String tag, List<Object> args) {
        exec.execute(() -> {
            if (closed) {
                return; // a closing node takes no more part in the network's database
            }
            try {
                requests.handle(source, tag, args);
            } catch (RuntimeException e) {
                log.warn("global request {} from {} failed: {}", SafeText.of(tag), SafeText.of(source), SafeText.of(e));
            }
        });
    }

    /**
     * A link came up or went down: called inline by the network, before any message of a new link
     * is delivered; queued here, so the events are handled in order.
     */
    public void linkChanged(String node, boolean up) {
        exec.execute(() -> {
            if (up) {
                linkUp(node);
            } else {
                linkDown(node);
            }
        });
    }

    /**
     * The addresses of {@code node}, from this node's database if it is global, else asked of the
     * master (see {@link Leaf#find}).
     */
    public CompletableFuture<List<String>> find(String node) {
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        exec.execute(() -> {
            if (role.isGlobal()) {
                result.complete(role.addresses(node));
            } else {
                leaf.find(node, result);
            }
        });
        return result;
    }

    /**
     * Stops reconnecting to seeds and global nodes, and stops answering and sending requests: the
     * node is closing, and the other nodes drop its entries when its links go down. (A request
     * answered during the close would put a message on a link that is being drained.)
     */
    public void close() {
        closed = true;
        exec.execute(() -> {
            seeds.close();
            keepalive.close();
        });
    }

    /** Starts connecting to these seeds ({@code host:port}, comma lists allowed) and keeps at it. */
    public void seeds(List<String> addresses) {
        exec.execute(() -> {
            seeds.add(addresses);
            leaf.masterSearch(seeds.nodes(), links::isUp);
        });
    }

    /** Makes this node global (as loading AnyEvent::MP::Global does). */
    public void becomeGlobal() {
        exec.execute(role::become);
    }

    /** Publishes this node's listen addresses in family {@code 'l}. */
    public void publishAddresses(List<String> addresses) {
        set(ADDRESSES, self, new ArrayList<>(addresses));
    }

    /** AEMP {@code db_set}. */
    public void set(String family, String key, Object value) {
        Object copy = Values.copy(value);
        exec.execute(() -> leaf.set(family, key, copy));
    }

    /** AEMP {@code db_del}. */
    public void delete(String family, List<String> keys) {
        exec.execute(() -> leaf.delete(family, keys));
    }

    /** AEMP {@code db_family}, {@code db_keys} and {@code db_values}: {@code kind} is family, keys or values. */
    public CompletableFuture<Object> query(String kind, String family) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        exec.execute(() -> leaf.query(kind, family, result));
        return result;
    }

    /**
     * AEMP {@code db_mon}.
     *
     * @return stops watching
     */
    public Runnable monitor(String family, FamilyListener listener) {
        Object key = new Object();
        exec.execute(() -> leaf.watch(family, key, listener));
        return () -> exec.execute(() -> leaf.unwatch(family, key));
    }

    /** The keys of a family in this node's copy of the global database (global nodes only). */
    public CompletableFuture<List<String>> globalKeys(String family) {
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        exec.execute(() -> result.complete(role.keys(family)));
        return result;
    }

    /** True once this node is global. */
    public CompletableFuture<Boolean> isGlobal() {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        exec.execute(() -> result.complete(role.isGlobal()));
        return result;
    }

    /** The master this node uses now, if any. */
    public CompletableFuture<String> master() {
        CompletableFuture<String> result = new CompletableFuture<>();
        exec.execute(() -> result.complete(leaf.master()));
        return result;
    }

    // ---- links up and down (executor, in order) ----

    private void linkUp(String node) {
        upSeen.add(node);
        role.linkUp(node);
        if (seeds.isSeedNode(node)) {
            slaveOf(node);
        }
        keepalive.linkUp(node);
    }

    private void linkDown(String node) {
        upSeen.remove(node);
        role.linkDown(node);
        if (seeds.isSeedNode(node)) {
            seeds.again();
        }
        if (leaf.masterLost(node)) {
            leaf.masterSearch(seeds.nodes(), links::isUp);
        }
        keepalive.linkDown(node);
    }

    /** A seed node's link is up: it gets {@code g_slave}, and becomes the master if there is none. */
    private void slaveOf(String node) {
        send(node, "g_slave");
        if (leaf.master() == null) {
            leaf.masterSet(node);
        }
    }

    // ---- plumbing ----

    private ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        try {
            return workers.schedule(delay, () -> exec.execute(task));
        } catch (RejectedExecutionException e) {
            return null; // the node is closing
        }
    }

    /**
     * Sends a node-port request ({@code [tag, args...]}) to {@code node}. A request to this node
     * itself (a global node is its own master) is handled at once, inside the current step, as
     * Perl's local delivery does: what a global node sends next (a {@code g_set}, say) already
     * reflects it.
     */
    private void send(String node, Object... message) {
        if (closed) {
            return;
        }
        List<Object> m = Messages.wrap(message);
        if (node.equals(self)) {
            requests.handle(self, String.valueOf(m.get(0)), m.subList(1, m.size()));
            return;
        }
        sender.send(node, m);
    }
}
