package org.aemp.internal.global;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.aemp.internal.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node does once it is global (NETWORK.md §4, §6): it is its own master, holds the
 * network's database ({@link GlobalDatabase}) made of its slaves' data and the other global
 * nodes', keeps a link to every other global node ({@link Keepalive}, through family {@code 'g}),
 * swaps slave data with them ({@code g_set}), answers lookups, queries and watches, and drops a
 * node's data when its link goes down.
 *
 * <p>Not thread-safe; confined to the global service's executor.
 */
final class GlobalRole {
    private static final Logger log = LoggerFactory.getLogger(GlobalService.class);

    private final String self;
    private final Outbox out;
    private final Leaf leaf;
    private final Keepalive keepalive;
    private final Executor exec;
    private final Supplier<List<String>> upSeen;
    private final GlobalDatabase db;
    private boolean global;

    /**
     * @param leaf the node's own database, where a global node keeps its entries in {@code 'g}
     *     and {@code 'l} too
     * @param exec the global service's executor, where the watch on {@code 'g} reports
     * @param upSeen the nodes whose link-up the service has handled, and not yet their link-down
     */
    GlobalRole(String self, Outbox out, Leaf leaf, Keepalive keepalive, Executor exec, Supplier<List<String>> upSeen) {
        this.self = self;
        this.out = out;
        this.leaf = leaf;
        this.keepalive = keepalive;
        this.exec = exec;
        this.upSeen = upSeen;
        this.db = new GlobalDatabase(out);
    }

    boolean isGlobal() {
        return global;
    }

    /** Becomes global (as loading AnyEvent::MP::Global does); nothing if it is already. */
    void become() {
        if (global) {
            return;
        }
        global = true;
        log.info("node {} is now a global node", self);
        leaf.masterSet(self); // a global node is its own master
        leaf.set(GlobalService.GLOBALS, self, null);
        // the nodes whose up the service has seen: a node that came up meanwhile gets its
        // g_global from that event, so none gets two
        for (String node : upSeen.get()) {
            out.send(node, "g_global");
            if (db.globals.contains(node)) {
                connect(node);
            }
        }
        // keep links to every global node we learn of
        leaf.watch(GlobalService.GLOBALS, new Object(), (family, added, changed, deleted) -> exec.execute(() -> {
            added.forEach(keepalive::add);
            deleted.forEach(keepalive::remove);
        }));
    }

    /** A link to {@code node} came up: a global node says so with {@code g_global}. */
    void linkUp(String node) {
        if (global) {
            out.send(node, "g_global");
        }
    }

    /** The link to {@code node} went down: it is no global node of ours any more, and its data goes. */
    void linkDown(String node) {
        db.globals.remove(node);
        if (global) {
            dropData(node);
            db.forgetSlave(node);
        }
    }

    /** {@code g_global} from {@code node}: it is a global node. */
    void globalHello(String node) {
        if (global) {
            // usually nothing, but a leaf that became global drops its slave data; its
            // watches stay (as in Perl 2.02): the node is still there and still watching
            dropData(node);
            db.globals.add(node);
            connect(node);
        } else {
            db.globals.add(node);
        }
    }

    /** {@code g_slave [db]} from {@code node}: it takes this node as its master (which makes it global). */
    void slave(String node, Map<String, Object> data) {
        become();
        if (data != null) {
            db.slaves.put(node, new HashSet<>());
            db.setAll(node, data);
        }
    }

    private void connect(String node) {
        leaf.set(GlobalService.GLOBALS, node, null);
        out.send(node, "g_set", db.slaveData());
    }

    /** Drops a node's data: its entries in {@code 'g} and {@code 'l}, and its shard. */
    private void dropData(String node) {
        db.globals.remove(node);
        leaf.delete(GlobalService.GLOBALS, List.of(node));
        leaf.delete(GlobalService.ADDRESSES, List.of(node));
        db.clear(node);
        db.slaves.remove(node);
    }

    // ---- requests only global nodes answer ----

    /** {@code g_set db}: another global node's merged slave data. */
    void set(String node, Map<String, Object> data) {
        Object binds = Values.map(data.get(GlobalService.ADDRESSES)).get(node);
        db.setAll(node, data);
        // mirror the other global node's addresses, so every global node can find every other
        leaf.set(GlobalService.ADDRESSES, node, binds);
    }

    /** {@code g_upd family, set, del}: a change from a slave or another global node. */
    void update(String node, String family, Map<String, Object> set, List<String> del) {
        db.update(node, family, set, del);
    }

    /** {@code g_find node}: answered with {@code g_found node, addresses}. */
    void find(String source, String node) {
        out.send(source, "g_found", node, db.family(GlobalService.ADDRESSES).get(node));
    }

    /** {@code g_db_<kind> family, id}: answered with {@code g_reply id, result}. */
    void query(String source, String kind, String family, Object id) {
        Map<String, Object> f = db.family(family);
        Object result = switch (kind) {
            case "family" -> f;
            case "keys" -> new ArrayList<>(f.keySet());
            default -> new ArrayList<>(f.values());
        };
        out.send(source, "g_reply", id, result);
    }

    /** {@code g_mon1 family}: answered with the family ({@code g_chg1}), then every change. */
    void watch(String source, String family) {
        if (!db.watch(source, family)) {
            log.warn("g_mon1 from {} refused: it watches {} families already (the most one node may)",
                    SafeText.of(source), GlobalDatabase.MAX_WATCHES);
            return;
        }
        Map<String, Object> f = db.global.get(family);
        out.send(source, "g_chg1", family, f == null ? null : Values.copy(f));
    }

    /** {@code g_mon0 family}. */
    void unwatch(String source, String family) {
        db.unwatch(source, family);
    }

    /** The addresses of {@code node} in the global database (global nodes only). */
    List<String> addresses(String node) {
        return Values.keys(db.family(GlobalService.ADDRESSES).get(node));
    }

    /** The keys of a family in the global database (global nodes only). */
    List<String> keys(String family) {
        return new ArrayList<>(db.family(family).keySet());
    }
}
