package org.aemp;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.aemp.internal.global.GlobalService;
import org.aemp.internal.kernel.Kernel;
import org.aemp.internal.kernel.Messages;

/**
 * The distributed database of an AEMP network (AEMP 2.02 {@code db_*}): {@code family -> key ->
 * value}. Each node sets its own entries; the global nodes hold the union and answer queries and
 * watches. A node's entries vanish from the network when it leaves. The model is eventually
 * consistent and best effort: there are no transactions, and for a key set by several nodes the
 * last writer wins at each global node. Family names starting with {@code '} are internal
 * ({@code 'l} holds listen addresses, {@code 'g} the global nodes).
 *
 * <p>Get it with {@link Node#db()}. Thread-safe; no method blocks except {@link #grpGet}. Query
 * results and watch callbacks arrive on a worker thread. Queries are sent to the node's master
 * and sent again after a failover; on a node without a master they wait.
 */
public final class Database {
    private final Kernel kernel;
    private final GlobalService global;

    Database(Kernel kernel, GlobalService global) {
        this.kernel = kernel;
        this.global = global;
    }

    /**
     * AEMP {@code db_set}: sets this node's entry {@code family/key} to {@code value} (a plain
     * value, may be null). Setting the value it already has sends nothing.
     *
     * @return a guard that deletes the entry ({@code db_del})
     */
    public Guard set(String family, String key, Object value) {
        check(family, key);
        Messages.checkPlain(java.util.Collections.singletonList(value), t -> false);
        global.set(family, key, value);
        return () -> global.delete(family, List.of(key));
    }

    /** AEMP {@code db_set} with an undefined value. */
    public Guard set(String family, String key) {
        return set(family, key, null);
    }

    /** AEMP {@code db_del}: deletes those of this node's entries that exist. */
    public void delete(String family, String... keys) {
        requireNonNull(family, "family");
        global.delete(family, List.of(keys));
    }

    /**
     * AEMP {@code db_reg}: sets {@code family/port} to {@code value} and deletes it when the port
     * dies; the usual way to form port groups. The guard deletes the entry (the monitor stays).
     */
    public Guard register(String family, PortId port, Object value) {
        requireNonNull(port, "port");
        String key = port.toString();
        Guard set = set(family, key, value);
        kernel.monitor(port.node(), port.name(), reason -> global.delete(family, List.of(key)));
        return set;
    }

    /** AEMP {@code db_reg} with an undefined value. */
    public Guard register(String family, PortId port) {
        return register(family, port, null);
    }

    /** AEMP {@code db_family}: a copy of the family, key to value (empty if it does not exist). */
    @SuppressWarnings("unchecked")
    public CompletableFuture<Map<String, Object>> family(String family) {
        check(family, "-");
        return global.query("family", family).thenApply(v -> v instanceof Map<?, ?> m
                ? (Map<String, Object>) (Map<?, ?>) m : Map.of());
    }

    /** AEMP {@code db_keys}: the keys of the family. */
    public CompletableFuture<List<String>> keys(String family) {
        check(family, "-");
        return global.query("keys", family).thenApply(Database::strings);
    }

    /** AEMP {@code db_values}: the values of the family. */
    @SuppressWarnings("unchecked")
    public CompletableFuture<List<Object>> values(String family) {
        check(family, "-");
        return global.query("values", family).thenApply(v -> v instanceof List<?> l ? (List<Object>) l : List.of());
    }

    /**
     * AEMP {@code db_mon}: watches a family. The listener is called first with the current contents
     * (all reported as added), then with every change. Watches are set up again on a new master.
     *
     * @return a guard that stops watching (the last one for a family sends {@code g_mon0})
     */
    public Guard monitor(String family, DbListener listener) {
        check(family, "-");
        Runnable cancel = global.monitor(family, requireNonNull(listener, "listener")::changed);
        return cancel::run;
    }

    // ---- the 1.x group functions, kept for porting ----

    /** AEMP 1.x {@code grp_reg}: same as {@link #register(String, PortId)}. */
    public Guard grpReg(String group, PortId port) {
        return register(group, port);
    }

    /**
     * AEMP 1.x {@code grp_get}: the ports in this node's copy of the global database, if this node
     * is global and the group is not empty. Waits briefly for the global service's thread.
     */
    public Optional<List<String>> grpGet(String group) {
        check(group, "-");
        List<String> keys = global.globalKeys(group).orTimeout(5, TimeUnit.SECONDS).join();
        return keys.isEmpty() ? Optional.empty() : Optional.of(keys);
    }

    /** A {@link #grpMonitor} callback: the group's ports, and which were added and removed. */
    @FunctionalInterface
    public interface GroupListener {
        void changed(List<String> ports, List<String> added, List<String> removed);
    }

    /** AEMP 1.x {@code grp_mon}: a {@link #monitor} that leaves out the changed keys. */
    public Guard grpMonitor(String group, GroupListener listener) {
        requireNonNull(listener, "listener");
        return monitor(group, (family, added, changed, deleted) ->
                listener.changed(new ArrayList<>(family.keySet()), added, deleted));
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                out.add(String.valueOf(o));
            }
        }
        return out;
    }

    private static void check(String family, String key) {
        requireNonNull(family, "family");
        requireNonNull(key, "key");
        if (family.isEmpty()) {
            throw new IllegalArgumentException("family must not be empty");
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
    }
}
