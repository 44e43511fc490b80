package org.aemp.internal.global;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a global node holds (NETWORK.md section 6): the shard of every node that sent it data (a
 * slave's own database, or another global node's merged slave data), their union as the global
 * database, who is a slave, and who watches which family. {@link #update} is the heart of it: it
 * applies a change from one node, lets other shards show through where a key is deleted, passes a
 * slave's change on to the other global nodes, and tells the family's watchers.
 *
 * <p>Not thread-safe; confined to the global service's executor.
 */
final class GlobalDatabase {

    private final Outbox out;
    /** family -> key -> value: the union of all shards. */
    final Map<String, Map<String, Object>> global = new LinkedHashMap<>();
    /** node -> family -> key -> value: each node's shard ({@code LOCAL_DBS}). */
    final Map<String, Map<String, Map<String, Object>>> shards = new LinkedHashMap<>();
    /** slave node -> families it watches ({@code GLOBAL_SLAVE}). */
    final Map<String, Set<String>> slaves = new LinkedHashMap<>();
    /** family -> nodes watching it ({@code GLOBAL_MON}). */
    final Map<String, Set<String>> watchers = new LinkedHashMap<>();
    /** the other global nodes ({@code GLOBAL_NODE}). */
    final Set<String> globals = new LinkedHashSet<>();

    GlobalDatabase(Outbox out) {
        this.out = out;
    }

    /** {@code g_upd} from {@code node}: set some keys of a family and delete others. */
    void update(String node, String family, Map<String, Object> set, List<String> del) {
        Map<String, Object> shard = shards.computeIfAbsent(node, n -> new LinkedHashMap<>())
                .computeIfAbsent(family, f -> new LinkedHashMap<>());
        Map<String, Object> all = global.computeIfAbsent(family, f -> new LinkedHashMap<>());
        Map<String, Object> changed = new LinkedHashMap<>(set);
        Map<String, Object> shownThrough = new LinkedHashMap<>(); // values of other globals' shards
        set.forEach((k, v) -> {
            shard.put(k, v);
            all.put(k, v);
        });
        List<String> delLocal = new ArrayList<>();
        List<String> delGlobal = new ArrayList<>();
        for (String k : del) {
            shard.remove(k);
            List<String> others = new ArrayList<>();
            shards.forEach((n, fams) -> {
                Map<String, Object> f = fams.get(family);
                if (f != null && f.containsKey(k)) {
                    others.add(n);
                }
            });
            if (!others.isEmpty()) {
                String slave = others.stream().filter(slaves::containsKey).findFirst().orElse(null);
                if (slave != null) {
                    Object v = shards.get(slave).get(family).get(k);
                    if (!all.containsKey(k) || !Values.same(all.get(k), v)) {
                        changed.put(k, v);
                        all.put(k, v);
                    }
                } else {
                    String other = others.get(0);
                    delGlobal.add(k);
                    Object v = shards.get(other).get(family).get(k);
                    if (!all.containsKey(k) || !Values.same(all.get(k), v)) {
                        shownThrough.put(k, v);
                        all.put(k, v);
                    }
                }
            } else {
                all.remove(k);
                delLocal.add(k);
                if (slaves.containsKey(node)) {
                    delGlobal.add(k);
                }
            }
        }
        if (all.isEmpty()) {
            global.remove(family);
        }
        if (shard.isEmpty()) {
            shards.get(node).remove(family);
        }
        if (slaves.containsKey(node) && (!changed.isEmpty() || !delGlobal.isEmpty())) {
            for (String g : globals) {
                out.send(g, "g_upd", family, Values.copy(changed), new ArrayList<>(delGlobal));
            }
        }
        if (!changed.isEmpty() || !shownThrough.isEmpty() || !delLocal.isEmpty()) {
            changed.putAll(shownThrough);
            for (String w : watchers.getOrDefault(family, Set.of())) {
                out.send(w, "g_chg2", family, Values.copy(changed), new ArrayList<>(delLocal));
            }
        }
    }

    /** {@code g_set} (or {@code g_slave} with data): a whole database from {@code node}. */
    void setAll(String node, Map<String, Object> db) {
        db.forEach((family, keys) -> update(node, family, Values.map(keys), List.of()));
    }

    /** Deletes every key of {@code node}'s shard, letting other shards show through, then drops it. */
    void clear(String node) {
        Map<String, Map<String, Object>> shard = shards.get(node);
        if (shard != null) {
            for (String family : new ArrayList<>(shard.keySet())) {
                Map<String, Object> keys = shard.get(family);
                if (keys != null) {
                    update(node, family, Map.of(), new ArrayList<>(keys.keySet()));
                }
            }
        }
        shards.remove(node);
    }

    /** Forgets {@code node} as a slave and as a watcher of every family. */
    void forgetSlave(String node) {
        slaves.remove(node);
        watchers.values().forEach(w -> w.remove(node));
        watchers.values().removeIf(Set::isEmpty);
    }

    /** Families one node may watch at once. */
    static final int MAX_WATCHES = 4096;

    /** {@code g_mon1}: {@code node} watches {@code family}; false if it watches too many already. */
    boolean watch(String node, String family) {
        Set<String> mine = slaves.computeIfAbsent(node, n -> new HashSet<>());
        if (!mine.contains(family) && mine.size() >= MAX_WATCHES) {
            return false;
        }
        mine.add(family);
        watchers.computeIfAbsent(family, f -> new LinkedHashSet<>()).add(node);
        return true;
    }

    /** {@code g_mon0}. */
    void unwatch(String node, String family) {
        Set<String> w = watchers.get(family);
        if (w != null) {
            w.remove(node);
            if (w.isEmpty()) {
                watchers.remove(family);
            }
        }
        Set<String> f = slaves.get(node);
        if (f != null) {
            f.remove(family);
        }
    }

    /** The merged shards of this node's slaves: what it sends another global node in {@code g_set}. */
    Map<String, Object> slaveData() {
        Map<String, Map<String, Object>> merged = new LinkedHashMap<>();
        shards.forEach((node, fams) -> {
            if (slaves.containsKey(node)) {
                fams.forEach((f, keys) -> merged.computeIfAbsent(f, x -> new LinkedHashMap<>()).putAll(keys));
            }
        });
        return Values.copyDb(merged);
    }

    /** A copy of one family of the global database (empty if none). */
    Map<String, Object> family(String family) {
        Map<String, Object> f = global.get(family);
        return f == null ? new LinkedHashMap<>() : new LinkedHashMap<>(f);
    }
}
