package org.aemp.internal.global;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The merge rules of a global node's database, for any sequence of changes by several slaves:
 * the global view holds exactly the keys some shard holds, each with the value of one of those
 * shards, and a watcher that applies the {@code g_chg2} increments sees the global view.
 */
class GlobalDatabaseProperties {

    /** One change: a node sets or deletes one key of family f. */
    record Change(String node, String key, Integer value) {
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        Arbitrary<Change> change = Combinators.combine(
                Arbitraries.of("n1", "n2", "n3"),
                Arbitraries.of("a", "b", "c"),
                Arbitraries.integers().between(0, 3).injectNull(0.4))
                .as(Change::new);
        return change.list().ofMaxSize(40);
    }

    @Property(tries = 500)
    void theGlobalViewIsTheUnionOfTheShardsAndWatchersSeeIt(@ForAll("changes") List<Change> changes) {
        List<Object[]> sent = new ArrayList<>();
        GlobalDatabase db = new GlobalDatabase((node, message) -> sent.add(message));
        for (String n : List.of("n1", "n2", "n3")) {
            db.slaves.put(n, new HashSet<>());
        }
        db.watch("w", "f");
        Map<String, Object> watcherCopy = new LinkedHashMap<>();

        for (Change c : changes) {
            sent.clear();
            if (c.value() == null) {
                db.update(c.node(), "f", Map.of(), List.of(c.key()));
            } else {
                db.update(c.node(), "f", Map.of(c.key(), c.value()), List.of());
            }
            for (Object[] m : sent) {
                if ("g_chg2".equals(m[0])) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> set = (Map<String, Object>) m[2];
                    @SuppressWarnings("unchecked")
                    List<String> del = (List<String>) m[3];
                    watcherCopy.putAll(set);
                    del.forEach(watcherCopy::remove);
                }
            }

            Map<String, Object> global = db.family("f");
            Set<String> union = new HashSet<>();
            db.shards.values().forEach(fams -> {
                Map<String, Object> f = fams.get("f");
                if (f != null) {
                    union.addAll(f.keySet());
                }
            });
            assertThat(global.keySet()).as("keys after " + c).isEqualTo(union);
            for (Map.Entry<String, Object> e : global.entrySet()) {
                List<Object> candidates = new ArrayList<>();
                db.shards.values().forEach(fams -> {
                    Map<String, Object> f = fams.get("f");
                    if (f != null && f.containsKey(e.getKey())) {
                        candidates.add(f.get(e.getKey()));
                    }
                });
                assertThat(candidates).as("value of " + e.getKey() + " comes from a shard").contains(e.getValue());
            }
            assertThat(watcherCopy).as("the watcher's copy after " + c).isEqualTo(global);
        }
    }

    @Property(tries = 200)
    void clearingANodeLeavesTheOthersData(@ForAll("changes") List<Change> changes) {
        GlobalDatabase db = new GlobalDatabase((node, message) -> { });
        for (String n : List.of("n1", "n2", "n3")) {
            db.slaves.put(n, new HashSet<>());
        }
        for (Change c : changes) {
            if (c.value() == null) {
                db.update(c.node(), "f", Map.of(), List.of(c.key()));
            } else {
                db.update(c.node(), "f", Map.of(c.key(), c.value()), List.of());
            }
        }
        db.clear("n1");
        Set<String> rest = new HashSet<>();
        for (String n : List.of("n2", "n3")) {
            Map<String, Object> f = db.shards.getOrDefault(n, Map.of()).get("f");
            if (f != null) {
                rest.addAll(f.keySet());
            }
        }
        assertThat(db.family("f").keySet()).isEqualTo(rest);
        assertThat(db.shards).doesNotContainKey("n1");
    }
}
