package org.aemp.internal.global;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.aemp.internal.kernel.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leaf side of the global service, which every node has (NETWORK.md §5): the node's own
 * database, its master (which gets that database with {@code g_slave} and every change with
 * {@code g_upd}), and the requests it has pending there ({@code g_find}, {@code g_mon1},
 * {@code g_db_*}), which are sent again to a new master; the answers ({@code g_reply},
 * {@code g_found}) and the changes of watched families ({@code g_chg1}, {@code g_chg2}).
 *
 * <p>Not thread-safe; confined to the global service's executor. User callbacks go to a second
 * serial executor, in order.
 */
final class Leaf {
    private static final Logger log = LoggerFactory.getLogger(GlobalService.class);
    /** How many nodes may be looked up at once. */
    static final int MAX_FINDS = 10_000;

    private final String self;
    private final Outbox out;
    private final Executor exec;
    private final Executor callbacks;
    private final Map<String, Map<String, Object>> localDb = new LinkedHashMap<>();
    private final Map<String, List<Object>> pending = new LinkedHashMap<>(); // GLOBAL_REQ
    private final Map<String, Consumer<Object>> calls = new HashMap<>(); // GLOBAL_RES
    private String callId = "a";
    private final Map<String, Map<Object, FamilyListener>> monitors = new LinkedHashMap<>(); // LOCAL_MON
    private final Map<String, Map<String, Object>> watched = new LinkedHashMap<>(); // MON_DB
    private final Map<String, List<CompletableFuture<List<String>>>> finds = new HashMap<>();
    private String master;

    /**
     * @param exec the global service's executor (a cancelled lookup is forgotten there)
     * @param callbacks runs the watchers and completes the queries, in order
     */
    Leaf(String self, Outbox out, Executor exec, Executor callbacks) {
        this.self = self;
        this.out = out;
        this.exec = exec;
        this.callbacks = callbacks;
    }

    // ---- master ----

    /** The master this node uses now, or null. */
    String master() {
        return master;
    }

    /** Takes {@code node} as the master: sends it the whole database, then every pending request. */
    void masterSet(String node) {
        master = node;
        log.debug("node {}: master is now {}", self, node);
        out.send(node, "g_slave", Values.copyDb(localDb));
        for (List<Object> req : pending.values()) {
            out.send(node, req.toArray());
        }
    }

    /**
     * Without a master, takes the first of {@code seedNodes} with a link; otherwise the first seed
     * node that comes up will be.
     */
    void masterSearch(Collection<String> seedNodes, Predicate<String> isUp) {
        if (master != null) {
            return;
        }
        for (String node : seedNodes) {
            if (isUp.test(node)) {
                masterSet(node);
                return;
            }
        }
    }

    /** The link to {@code node} went down: if it was the master, there is none now. */
    boolean masterLost(String node) {
        if (node.equals(master)) {
            master = null;
            return true;
        }
        return false;
    }

    private void requestAdd(String id, List<Object> request) {
        if (pending.containsKey(id)) {
            return;
        }
        pending.put(id, request);
        if (master != null) {
            out.send(master, request.toArray());
        }
    }

    // ---- the local database ----

    /** AEMP {@code db_set}; setting the value an entry has already sends nothing. */
    void set(String family, String key, Object value) {
        Map<String, Object> f = localDb.computeIfAbsent(family, x -> new LinkedHashMap<>());
        if (f.containsKey(key) && Values.same(f.get(key), value)) {
            return;
        }
        f.put(key, value);
        if (master != null) {
            Map<String, Object> set = new LinkedHashMap<>();
            set.put(key, Values.copy(value));
            out.send(master, "g_upd", family, set);
        }
    }

    /** AEMP {@code db_del}: deletes those of the keys that exist. */
    void delete(String family, List<String> keys) {
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
            out.send(master, "g_upd", family, null, del);
        }
    }

    // ---- queries ----

    /** {@code g_db_<kind>}: completes {@code result} with the master's answer. */
    void query(String kind, String family, CompletableFuture<Object> result) {
        String id = callId = Ids.increment(callId);
        calls.put(id, v -> callbacks.execute(() -> result.complete(v)));
        requestAdd(id, List.of("g_db_" + kind, family, id));
    }

    /** {@code g_reply id, value}: the answer to a query. */
    void reply(String id, Object value) {
        pending.remove(id);
        Consumer<Object> cb = calls.remove(id);
        if (cb != null) {
            cb.accept(value);
        }
    }

    // ---- watches ----

    /** AEMP {@code db_mon}: {@code listener} (registered under {@code key}) watches {@code family}. */
    void watch(String family, Object key, FamilyListener listener) {
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

    /** Removes the watch registered under {@code key}; the last one of a family sends {@code g_mon0}. */
    void unwatch(String family, Object key) {
        Map<Object, FamilyListener> list = monitors.get(family);
        if (list == null || list.remove(key) == null || !list.isEmpty()) {
            return;
        }
        pending.remove("mon1 " + family);
        if (master != null) {
            out.send(master, "g_mon0", family);
        }
        monitors.remove(family);
        watched.remove(family);
    }

    /** {@code g_chg1} (full) or {@code g_chg2} (incremental) from the master. */
    void changed(String family, Map<String, Object> set, List<String> del, boolean full) {
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

    // ---- address lookup ----

    /**
     * Asks the master where {@code node} listens ({@code g_find}). When the network stops waiting
     * it cancels {@code result}; then the lookup is forgotten, so lookups of nodes nobody knows
     * cannot pile up. At most {@link #MAX_FINDS} nodes are looked up at once; beyond that a lookup
     * finds nothing at once.
     */
    void find(String node, CompletableFuture<List<String>> result) {
        if (!finds.containsKey(node) && finds.size() >= MAX_FINDS) {
            log.debug("node {}: not looking up {}: {} lookups under way already", self, node, MAX_FINDS);
            result.complete(List.of());
            return;
        }
        finds.computeIfAbsent(node, n -> new ArrayList<>()).add(result);
        requestAdd("g_find " + node, List.of("g_find", node));
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                exec.execute(() -> forgetFind(node, result));
            }
        });
    }

    /** {@code g_found node, addresses}: the answer to a lookup. */
    void found(String node, List<String> addresses) {
        pending.remove("g_find " + node);
        List<CompletableFuture<List<String>>> waiting = finds.remove(node);
        if (waiting != null) {
            waiting.forEach(f -> f.complete(addresses));
        }
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
}
