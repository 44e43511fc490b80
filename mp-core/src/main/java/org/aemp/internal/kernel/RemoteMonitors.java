package org.aemp.internal.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The monitors this node holds on ports of other nodes: node, then port name, then actions.
 * The first action on a port is what sends {@code mon1}, the removal of the last one {@code mon0};
 * {@code kil0} fires one port's actions, a lost connection all of a node's. Thread-safe; the
 * callbacks passed in run under the lock, so {@code mon1}/{@code mon0} leave in the order of the
 * changes.
 */
final class RemoteMonitors {
    private final Map<String, Map<String, List<MonitorAction.Entry>>> byNode = new HashMap<>(); // guarded by this

    /** Adds {@code entry}; runs {@code onFirst} (under the lock) if it is the port's first monitor. */
    synchronized void add(String node, String port, MonitorAction.Entry entry, Runnable onFirst) {
        List<MonitorAction.Entry> list = byNode.computeIfAbsent(node, n -> new HashMap<>())
                .computeIfAbsent(port, p -> new ArrayList<>(2));
        list.add(entry);
        if (list.size() == 1) {
            onFirst.run();
        }
    }

    /** Removes {@code entry}; runs {@code onLast} (under the lock) if it was the port's last monitor. */
    synchronized void remove(String node, String port, MonitorAction.Entry entry, Runnable onLast) {
        Map<String, List<MonitorAction.Entry>> ports = byNode.get(node);
        List<MonitorAction.Entry> list = ports == null ? null : ports.get(port);
        if (list != null && list.remove(entry) && list.isEmpty()) {
            ports.remove(port);
            if (ports.isEmpty()) {
                byNode.remove(node);
            }
            onLast.run();
        }
    }

    /** Takes every monitor of one remote port (its {@code kil0} arrived). */
    synchronized List<MonitorAction.Entry> take(String node, String port) {
        Map<String, List<MonitorAction.Entry>> ports = byNode.get(node);
        List<MonitorAction.Entry> list = ports == null ? null : ports.remove(port);
        if (ports != null && ports.isEmpty()) {
            byNode.remove(node);
        }
        return list == null ? List.of() : list;
    }

    /** Takes every monitor of every port of {@code node} (its connection failed). */
    synchronized Map<String, List<MonitorAction.Entry>> takeAll(String node) {
        Map<String, List<MonitorAction.Entry>> ports = byNode.remove(node);
        return ports == null ? Map.of() : ports;
    }
}
