package org.aemp.internal.global;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.aemp.internal.SafeText;
import org.aemp.internal.SerialExecutor;
import org.aemp.internal.kernel.Ids;
import org.aemp.internal.kernel.Kernel;
import org.aemp.internal.kernel.Messages;
import org.aemp.internal.kernel.Workers;
import org.aemp.internal.net.Network;
import org.aemp.internal.net.SelfLinkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global service of AEMP 2.02, for every node: the node's own database and its master
 * (leaf side), and, once the node is global, the network's database (global side). It follows
 * Perl's {@code AnyEvent::MP::Kernel} and {@code AnyEvent::MP::Global} closely, so that Java and
 * Perl nodes can take any role in one network:
 * <ul>
 *   <li>seeds: every node keeps connecting to all its seeds, sends each {@code g_slave} (which makes
 *       it global), and picks the first connected seed as its master;
 *   <li>master: gets {@code g_slave} with the node's whole database, then every pending request
 *       ({@code g_find}, {@code g_mon1}, {@code g_db_*}), which are sent again after a failover;
 *   <li>global nodes keep a full mesh ({@code 'g} family plus keepalive), swap their slaves' data
 *       with {@code g_set}, pass changes on with {@code g_upd}, and drop a node's data when it goes.
 * </ul>
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
    /** How many nodes may be looked up at once. */
    static final int MAX_FINDS = 10_000;

    private final Kernel kernel;
    private final Network network;
    private final String self;
    private final Duration monitorTimeout;
    private final SerialExecutor exec;
    private final SerialExecutor callbacks;
    private final GlobalDatabase db = new GlobalDatabase(this::send);

    // ---- leaf side (every node) ----
    private final Map<String, Map<String, Object>> localDb = new LinkedHashMap<>();
    private final Map<String, List<Object>> pending = new LinkedHashMap<>(); // GLOBAL_REQ
    private final Map<String, Consumer<Object>> calls = new HashMap<>(); // GLOBAL_RES
    private String callId = "a";
    private final Map<String, Map<Object, FamilyListener>> monitors = new LinkedHashMap<>(); // LOCAL_MON
    private final Map<String, Map<String, Object>> watched = new LinkedHashMap<>(); // MON_DB
    private final Map<String, List<CompletableFuture<List<String>>>> finds = new HashMap<>();
    private String master;
    private boolean global;
    /** The nodes whose link-up this service has handled, and not yet their link-down. */
    private final Set<String> upSeen = new LinkedHashSet<>();
    private volatile boolean closed;

    // ---- seeds ----
    private final Map<String, String> seedNode = new LinkedHashMap<>(); // seed address -> node id or null
    private final Map<String, String> nodeSeed = new HashMap<>();
    private final Set<String> seedDialling = new LinkedHashSet<>();
    private double seedRetry;
    private ScheduledFuture<?> seedTimer;

    // ---- keepalive of global nodes ----
    private final Map<String, Integer> keepalive = new HashMap<>();
    private final Set<String> keepaliveDown = new LinkedHashSet<>();
    private double keepaliveRetry;
    private ScheduledFuture<?> keepaliveTimer;

    private final Workers workers;

    public GlobalService(Kernel kernel, Network network, Workers workers, Duration monitorTimeout) {
        this.kernel = kernel;
        this.network = network;
        this.workers = workers;
        this.self = kernel.nodeId();
        this.monitorTimeout = monitorTimeout;
        this.exec = new SerialExecutor(workers);
        this.callbacks = new SerialExecutor(workers);
    }

    // ---- entry points (any thread) ----

    /** A {@code g_*} request from {@code source}, as the kernel's node port received it. */
    public void handle(String source, String tag, List<Object> args) {
        exec.execute(() -> {
            try {
                request(source, tag, args);
            } catch (RuntimeException e) {
                log.warn("global request {} from {} failed: {}", SafeText.of(tag), SafeText.of(source), SafeText.of(e));
            }
        });
    }

    /** Stops reconnecting to seeds and global nodes; the node is closing. */
    public void close() {
        closed = true;
        exec.execute(() -> {
            cancel(seedTimer);
            cancel(keepaliveTimer);
        });
    }

    /** Starts connecting to these seeds ({@code host:port}, comma lists allowed) and keeps at it. */
    public void seeds(List<String> seeds) {
        exec.execute(() -> {
            for (String s : seeds) {
                for (String entry : s.split(",")) {
                    if (!entry.isBlank()) {
                        seedNode.putIfAbsent(entry.trim(), null);
                    }
                }
            }
            seedAgain();
            masterSearch();
        });
    }

    /** Makes this node global (as loading AnyEvent::MP::Global does). */
    public void becomeGlobal() {
        exec.execute(this::goGlobal);
    }

    /** Publishes this node's listen addresses in family {@code 'l}. */
    public void publishAddresses(List<String> addresses) {
        set(ADDRESSES, self, new ArrayList<>(addresses));
    }

    /** AEMP {@code db_set}. */
    public void set(String family, String key, Object value) {
        exec.execute(() -> dbSet(family, key, Values.copy(value)));
    }

    /** AEMP {@code db_del}. */
    public void delete(String family, List<String> keys) {
        exec.execute(() -> dbDel(family, keys));
    }

    /** AEMP {@code db_family}, {@code db_keys} and {@code db_values}: {@code kind} is family, keys or values. */
    public CompletableFuture<Object> query(String kind, String family) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        exec.execute(() -> {
            String id = callId = Ids.increment(callId);
            calls.put(id, v -> callbacks.execute(() -> result.complete(v)));
            requestAdd(id, List.of("g_db_" + kind, family, id));
        });
        return result;
    }

    /** AEMP {@code db_mon}. */
    public Runnable monitor(String family, FamilyListener listener) {
        Object key = new Object();
        exec.execute(() -> dbMon(family, key, listener));
        return () -> exec.execute(() -> dbUnmon(family, key));
    }

    /** The keys of a family in this node's copy of the global database (global nodes only). */
    public CompletableFuture<List<String>> globalKeys(String family) {
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        exec.execute(() -> result.complete(new ArrayList<>(db.family(family).keySet())));
        return result;
    }

    /** True once this node is global. */
    public CompletableFuture<Boolean> isGlobal() {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        exec.execute(() -> result.complete(global));
        return result;
    }

    /** The master this node uses now, if any. */
    public CompletableFuture<String> master() {
        CompletableFuture<String> result = new CompletableFuture<>();
        exec.execute(() -> result.complete(master));
        return result;
    }

    // ---- requests (executor) ----

    private void request(String source, String tag, List<Object> a) {
        switch (tag) {
            case "g_global" -> {
                if (global) {
                    // usually nothing, but a leaf that became global drops its slave data; its
                    // watches stay (as in Perl 2.02): the node is still there and still watching
                    dropData(source);
                    db.globals.add(source);
                    globalConnect(source);
                } else {
                    db.globals.add(source);
                }
            }
            case "g_slave" -> {
                if (!global) {
                    goGlobal();
                }
                if (!a.isEmpty()) {
                    db.slaves.put(source, new java.util.HashSet<>());
                    db.setAll(source, Values.map(a.get(0)));
                }
            }
            case "g_reply" -> {
                String id = Values.perlString(arg(a, 0));
                pending.remove(id);
                Consumer<Object> cb = calls.remove(id);
                if (cb != null) {
                    cb.accept(a.size() > 1 ? a.get(1) : null);
                }
            }
            case "g_found" -> {
                String node = Values.perlString(arg(a, 0));
                pending.remove("g_find " + node);
                List<String> addrs = Values.keys(a.size() > 1 ? a.get(1) : null);
                List<CompletableFuture<List<String>>> waiting = finds.remove(node);
                if (waiting != null) {
                    waiting.forEach(f -> f.complete(addrs));
                }
            }
            case "g_chg1" -> {
                if (source.equals(master)) {
                    changed(Values.perlString(arg(a, 0)), Values.map(a.size() > 1 ? a.get(1) : null), null, true);
                }
            }
            case "g_chg2" -> {
                if (source.equals(master)) {
                    changed(Values.perlString(arg(a, 0)), Values.map(a.size() > 1 ? a.get(1) : null),
                            Values.keys(a.size() > 2 ? a.get(2) : null), false);
                }
            }
            default -> {
                if (!global) {
                    log.warn("global request {} from {} ignored: {} is not a global node", SafeText.of(tag), SafeText.of(source),
                            self);
                    return;
                }
                globalRequest(source, tag, a);
            }
        }
    }

    /** Requests only global nodes answer. */
    private void globalRequest(String source, String tag, List<Object> a) {
        switch (tag) {
            case "g_set" -> {
                Map<String, Object> data = Values.map(arg(a, 0));
                Object binds = Values.map(data.get(ADDRESSES)).get(source);
                db.setAll(source, data);
                // mirror the other global node's addresses, so every global node can find every other
                dbSet(ADDRESSES, source, binds);
            }
            case "g_upd" -> db.update(source, Values.perlString(arg(a, 0)), Values.map(a.size() > 1 ? a.get(1) : null),
                    Values.keys(a.size() > 2 ? a.get(2) : null));
            case "g_find" -> {
                String node = Values.perlString(arg(a, 0));
                send(source, "g_found", node, db.family(ADDRESSES).get(node));
            }
            case "g_db_family" -> send(source, "g_reply", arg(a, 1), db.family(Values.perlString(arg(a, 0))));
            case "g_db_keys" -> send(source, "g_reply", arg(a, 1),
                    new ArrayList<>(db.family(Values.perlString(arg(a, 0))).keySet()));
            case "g_db_values" -> send(source, "g_reply", arg(a, 1),
                    new ArrayList<>(db.family(Values.perlString(arg(a, 0))).values()));
            case "g_mon1" -> {
                String family = Values.perlString(arg(a, 0));
                if (!db.watch(source, family)) {
                    log.warn("g_mon1 from {} refused: it watches {} families already (the most one node may)",
                            SafeText.of(source), GlobalDatabase.MAX_WATCHES);
                    return;
                }
                Map<String, Object> f = db.global.get(family);
                send(source, "g_chg1", family, f == null ? null : Values.copy(f));
            }
            case "g_mon0" -> db.unwatch(source, Values.perlString(arg(a, 0)));
            default -> log.warn("unknown global request {} from {}", SafeText.of(tag), SafeText.of(source));
        }
    }

    private static Object arg(List<Object> a, int i) {
        if (a.size() <= i) {
            throw new IllegalArgumentException("argument " + i + " missing");
        }
        return a.get(i);
    }

    // ---- becoming global (executor) ----

    private void goGlobal() {
        if (global) {
            return;
        }
        global = true;
        log.info("node {} is now a global node", self);
        masterSet(self); // a global node is its own master
        dbSet(GLOBALS, self, null);
        // the nodes whose up this service has seen: a node that came up meanwhile gets its
        // g_global from that event, so none gets two
        for (String node : List.copyOf(upSeen)) {
            send(node, "g_global");
            if (db.globals.contains(node)) {
                globalConnect(node);
            }
        }
        // keep connections to every global node we learn of
        dbMon(GLOBALS, new Object(), (family, added, changed, deleted) -> exec.execute(() -> {
            added.forEach(this::keepaliveAdd);
            deleted.forEach(this::keepaliveDel);
        }));
    }

    private void globalConnect(String node) {
        dbSet(GLOBALS, node, null);
        send(node, "g_set", db.slaveData());
    }

    /** A node went away: its data and its watches are dropped from the global database. */
    private void disconnect(String node) {
        dropData(node);
        db.forgetSlave(node);
    }

    /** Drops a node's data: its entries in {@code 'g} and {@code 'l}, and its shard. */
    private void dropData(String node) {
        db.globals.remove(node);
        dbDel(GLOBALS, List.of(node));
        dbDel(ADDRESSES, List.of(node));
        db.clear(node);
        db.slaves.remove(node);
    }

    // ---- node events (executor, in order) ----

    /**
     * A link came up or went down: called inline by the network, before any message of a new link
     * is delivered; queued here, so the events are handled in order.
     */
    public void linkChanged(String node, boolean up) {
        exec.execute(() -> nodeChanged(node, up));
    }

    private void nodeChanged(String node, boolean up) {
        if (up) {
            upSeen.add(node);
            if (global) {
                send(node, "g_global");
            }
            if (nodeSeed.containsKey(node)) {
                send(node, "g_slave");
                if (master == null) {
                    masterSet(node);
                }
            }
            if (keepaliveDown.remove(node) && keepaliveDown.isEmpty()) {
                cancel(keepaliveTimer);
            }
        } else {
            upSeen.remove(node);
            db.globals.remove(node);
            if (global) {
                disconnect(node);
            }
            if (nodeSeed.containsKey(node)) {
                seedAgain();
            }
            if (node.equals(master)) {
                master = null;
                masterSearch();
            }
            if (keepalive.containsKey(node)) {
                keepaliveDown.add(node);
                keepaliveAgain();
            }
        }
    }

    // ---- master (executor) ----

    private void masterSet(String node) {
        master = node;
        log.debug("node {}: master is now {}", self, node);
        send(node, "g_slave", Values.copyDb(localDb));
        for (List<Object> req : pending.values()) {
            send(node, req.toArray());
        }
    }

    private void masterSearch() {
        if (master != null) {
            return;
        }
        for (String node : nodeSeed.keySet()) {
            if (network.isUp(node)) {
                masterSet(node);
                return;
            }
        }
        // otherwise the first seed node that comes up becomes the master (nodeChanged)
    }

    private void requestAdd(String id, List<Object> request) {
        if (pending.containsKey(id)) {
            return;
        }
        pending.put(id, request);
        if (master != null) {
            send(master, request.toArray());
        }
    }

    // ---- the local database (executor) ----

    private void dbSet(String family, String key, Object value) {
        Map<String, Object> f = localDb.computeIfAbsent(family, x -> new LinkedHashMap<>());
        if (f.containsKey(key) && Values.same(f.get(key), value)) {
            return;
        }
        f.put(key, value);
        if (master != null) {
            Map<String, Object> set = new LinkedHashMap<>();
            set.put(key, Values.copy(value));
            send(master, "g_upd", family, set);
        }
    }

    private void dbDel(String family, List<String> keys) {
        Map<String, Object> f = localDb.get(family);
        if (f == null) {
            return;
        }
        List<String> del = new ArrayList<>();
        for (String k : keys) {
            if (f.containsKey(k)) {
                f.remove(k);
                del.add(k);
            }
        }
        if (f.isEmpty()) {
            localDb.remove(family);
        }
        if (!del.isEmpty() && master != null) {
            send(master, "g_upd", family, null, del);
        }
    }

    // ---- watches (executor) ----

    private void dbMon(String family, Object key, FamilyListener listener) {
        Map<Object, FamilyListener> list = monitors.computeIfAbsent(family, f -> new LinkedHashMap<>());
        Map<String, Object> copy = watched.get(family);
        list.put(key, listener);
        if (copy != null) {
            // already watched: a first call with what we have, everything reported as added
            Map<String, Object> snapshot = new LinkedHashMap<>(copy);
            List<String> all = new ArrayList<>(snapshot.keySet());
            callbacks.execute(() -> listener.changed(snapshot, all, List.of(), List.of()));
        } else {
            watched.put(family, new LinkedHashMap<>());
            requestAdd("mon1 " + family, List.of("g_mon1", family));
        }
    }

    private void dbUnmon(String family, Object key) {
        Map<Object, FamilyListener> list = monitors.get(family);
        if (list == null || list.remove(key) == null || !list.isEmpty()) {
            return;
        }
        pending.remove("mon1 " + family);
        if (master != null) {
            send(master, "g_mon0", family);
        }
        monitors.remove(family);
        watched.remove(family);
    }

    /** {@code g_chg1} (full) or {@code g_chg2} (incremental) from the master. */
    private void changed(String family, Map<String, Object> set, List<String> del, boolean full) {
        Map<String, Object> copy = watched.get(family);
        if (copy == null) {
            return;
        }
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        set.forEach((k, v) -> {
            (copy.containsKey(k) ? changed : added).add(k);
            copy.put(k, v);
        });
        List<String> deleted = new ArrayList<>();
        if (full) {
            for (String k : new ArrayList<>(copy.keySet())) {
                if (!set.containsKey(k)) {
                    copy.remove(k);
                    deleted.add(k);
                }
            }
        } else {
            for (String k : del) {
                copy.remove(k);
            }
            deleted.addAll(del);
        }
        Map<String, Object> snapshot = new LinkedHashMap<>(copy);
        for (FamilyListener l : List.copyOf(monitors.getOrDefault(family, Map.of()).values())) {
            callbacks.execute(() -> l.changed(snapshot, List.copyOf(added), List.copyOf(changed), List.copyOf(deleted)));
        }
    }

    // ---- address lookup (any thread) ----

    /**
     * The addresses of {@code node}, from this node's database if it is global, else asked of the
     * master. The network cancels the future when it stops waiting (its connect attempt gave up);
     * then the lookup is forgotten, so lookups of nodes nobody knows cannot pile up. At most
     * {@link #MAX_FINDS} nodes are looked up at once; beyond that a lookup finds nothing at once.
     */
    public CompletableFuture<List<String>> find(String node) {
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        exec.execute(() -> {
            if (global) {
                result.complete(Values.keys(db.family(ADDRESSES).get(node)));
            } else if (!finds.containsKey(node) && finds.size() >= MAX_FINDS) {
                log.debug("node {}: not looking up {}: {} lookups under way already", self, node, MAX_FINDS);
                result.complete(List.of());
            } else {
                finds.computeIfAbsent(node, n -> new ArrayList<>()).add(result);
                requestAdd("g_find " + node, List.of("g_find", node));
                result.whenComplete((v, e) -> {
                    if (result.isCancelled()) {
                        exec.execute(() -> forgetFind(node, result));
                    }
                });
            }
        });
        return result;
    }

    /** Nobody waits for {@code lookup} any more: drop it, and the request with the last one. */
    private void forgetFind(String node, CompletableFuture<List<String>> lookup) {
        List<CompletableFuture<List<String>>> waiting = finds.get(node);
        if (waiting == null || !waiting.remove(lookup) || !waiting.isEmpty()) {
            return;
        }
        finds.remove(node);
        pending.remove("g_find " + node);
    }

    // ---- seeds (executor) ----

    private void seedAgain() {
        seedRetry = (1 + ThreadLocalRandom.current().nextDouble()) * 0.6;
        if (seedTimer == null) {
            seedTimer = schedule(0, this::seedAll);
        }
    }

    private void seedAll() {
        seedTimer = null;
        if (closed) {
            return;
        }
        List<String> missing = new ArrayList<>();
        seedNode.forEach((seed, node) -> {
            if (node == null || !network.isUp(node)) {
                missing.add(seed);
            }
        });
        if (missing.isEmpty()) {
            return;
        }
        for (String seed : missing) {
            if (seedDialling.add(seed)) {
                network.dial(seed).whenComplete((node, err) -> exec.execute(() -> seedDialled(seed, node, err)));
            }
        }
        seedRetry = Math.min(seedRetry * 2, monitorTimeout.toMillis() / 1000.0);
        seedTimer = schedule(seedRetry, this::seedAll);
    }

    private void seedDialled(String seed, String node, Throwable err) {
        seedDialling.remove(seed);
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                ? err.getCause() : err;
        if (cause instanceof SelfLinkException) {
            log.info("node {} is one of its own seeds ({}): becoming global", self, seed);
            seedNode.remove(seed);
            goGlobal();
            return;
        }
        if (node == null) {
            log.debug("seed {} not reached: {}", seed, cause == null ? "?" : cause.getMessage());
            return;
        }
        seedNode.put(seed, node);
        boolean known = nodeSeed.containsKey(node);
        nodeSeed.put(node, seed);
        if (!known && network.isUp(node)) {
            // the link came up before we knew it was a seed: do what a seed's node-up does
            send(node, "g_slave");
            if (master == null) {
                masterSet(node);
            }
        }
    }

    // ---- keepalive of global nodes (executor) ----

    private void keepaliveAdd(String node) {
        if (node.equals(self) || keepalive.merge(node, 1, Integer::sum) > 1) {
            return;
        }
        if (!network.isUp(node)) {
            keepaliveDown.add(node);
            keepaliveAgain();
        }
    }

    private void keepaliveDel(String node) {
        Integer n = keepalive.get(node);
        if (n == null) {
            return;
        }
        if (n > 1) {
            keepalive.put(node, n - 1);
            return;
        }
        keepalive.remove(node);
        keepaliveDown.remove(node);
        if (keepaliveDown.isEmpty()) {
            cancel(keepaliveTimer);
            keepaliveTimer = null;
        }
    }

    private void keepaliveAgain() {
        keepaliveRetry = (1 + ThreadLocalRandom.current().nextDouble()) * 0.3;
        cancel(keepaliveTimer);
        keepaliveAll();
    }

    private void keepaliveAll() {
        keepaliveTimer = null;
        if (keepaliveDown.isEmpty() || closed) {
            return;
        }
        for (String node : keepaliveDown) {
            network.connect(node);
        }
        keepaliveRetry = Math.min(keepaliveRetry * 2, monitorTimeout.toMillis() / 1000.0);
        keepaliveTimer = schedule(keepaliveRetry, this::keepaliveAll);
    }

    // ---- plumbing ----

    private ScheduledFuture<?> schedule(double seconds, Runnable task) {
        try {
            return workers.schedule(Duration.ofNanos((long) (seconds * 1e9)), () -> exec.execute(task));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return null; // the node is closing
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    /**
     * Sends a node-port request ({@code [tag, args...]}) to {@code node}. A request to this node
     * itself (a global node is its own master) is handled at once, inside the current step, as
     * Perl's local delivery does: what a global node sends next (a {@code g_set}, say) already
     * reflects it.
     */
    private void send(String node, Object... message) {
        if (node.equals(self)) {
            List<Object> m = Messages.wrap(message);
            request(self, String.valueOf(m.get(0)), m.subList(1, m.size()));
            return;
        }
        kernel.send(node, "", Messages.wrap(message));
    }

}
