package org.aemp.observe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.aemp.LinkStats;

/**
 * What an observer knows of the network, and the snapshot the page draws. Fed by the
 * {@link Watcher} (database families, node events, {@code up_nodes} and stats answers) and read by
 * {@link #snapshot()}. Every input is peer data: sizes are bounded and text is cut here. Thread-safe:
 * every method holds this object's lock; no method blocks.
 *
 * <p>A node is <em>up</em> while it is in the family {@code 'l} (its global node removes it when
 * its link drops) or the observer has a link to it, and <em>down</em> after that, until it comes
 * back. Links between two nodes come from their {@code up_nodes} answers; a node's answer older
 * than {@code staleAfter} ticks no longer counts.
 */
final class NetworkView {
    /** Events kept for the page's log. */
    static final int MAX_EVENTS = 200;
    /** Nodes kept (up or down); beyond it, the oldest down nodes are forgotten, then new ones ignored. */
    static final int MAX_NODES = 1000;
    /** Neighbours kept per node, links kept per agent answer, keys kept per family. */
    static final int MAX_LIST = 1000;

    private final String self;
    private final LongSupplier clockMillis;
    private final int staleAfter;

    // all guarded by this
    private final Map<String, NodeEntry> nodes = new TreeMap<>();
    private final Map<String, Neighbours> neighbours = new HashMap<>();
    private final Map<String, Map<String, LinkEntry>> agentLinks = new HashMap<>();
    private final Map<String, String> agents = new TreeMap<>(); // node -> agent port
    private final Map<String, Map<String, Object>> families = new TreeMap<>();
    private final Deque<Map<String, Object>> events = new ArrayDeque<>();
    private long eventSeq;
    private long tick;

    /**
     * @param self the observer's node id
     * @param clockMillis wall-clock milliseconds (for "up since" and event times)
     * @param staleAfter ticks after which an unrepeated {@code up_nodes} answer is dropped
     */
    NetworkView(String self, LongSupplier clockMillis, int staleAfter) {
        this.self = self;
        this.clockMillis = clockMillis;
        this.staleAfter = staleAfter;
        NodeEntry me = entry(self);
        me.kind = "java";
        me.observer = true;
        refresh(me, null);
    }

    private static final class NodeEntry {
        final String id;
        List<String> addresses = List.of();
        boolean inDirectory; // in family 'l
        boolean global;
        boolean linked; // the observer has a link up to it
        boolean observer;
        String kind = "unknown"; // java, perl or unknown
        String provider = "";
        String state = "new"; // up, down
        long since;

        NodeEntry(String id) {
            this.id = id;
        }
    }

    private record Neighbours(List<String> nodes, long tick) {
    }

    private record LinkEntry(String framing, String auth, boolean tls, long messages, long bytes, long backlog,
            boolean busy, long atMillis, double messageRate, double byteRate) {
    }

    // ---- inputs ----

    /** The family {@code 'l}: node id to listen addresses. */
    synchronized void directory(Map<String, Object> family) {
        Set<String> present = new TreeSet<>();
        for (Map.Entry<String, Object> e : family.entrySet()) {
            if (present.size() >= MAX_NODES) {
                break;
            }
            NodeEntry n = entry(e.getKey());
            if (n == null) {
                continue;
            }
            present.add(n.id);
            n.inDirectory = true;
            n.addresses = strings(e.getValue());
            refresh(n, null);
        }
        for (NodeEntry n : nodes.values()) {
            if (!present.contains(n.id) && n.inDirectory) {
                n.inDirectory = false;
                refresh(n, "left the network's directory");
            }
        }
        putFamily("'l", family);
    }

    /** The family {@code 'g}: the global nodes. */
    synchronized void globals(Map<String, Object> family) {
        for (NodeEntry n : nodes.values()) {
            n.global = family.containsKey(n.id);
        }
        for (String id : family.keySet()) {
            NodeEntry n = entry(id);
            if (n != null) {
                n.global = true;
            }
        }
        putFamily("'g", family);
    }

    /** The agents' family: port ids, one per Java node that answers stats requests. */
    synchronized void agents(Map<String, Object> family) {
        agents.clear();
        for (String key : family.keySet()) {
            int hash = key.indexOf('#');
            if (hash > 0 && agents.size() < MAX_NODES) {
                agents.put(PeerText.cut(key.substring(0, hash)), key);
            }
        }
        agentLinks.keySet().retainAll(agents.keySet());
        putFamily(StatsAgent.FAMILY, family);
    }

    /** Any other watched family. */
    synchronized void family(String name, Map<String, Object> family) {
        putFamily(name, family);
    }

    /** A link of the observer's node came up or went down. */
    synchronized void linkChanged(String node, boolean up, String reason) {
        NodeEntry n = entry(node);
        if (n != null) {
            n.linked = up;
            refresh(n, up ? null : reason);
        }
    }

    /** The observer's own links: the provider of each peer tells Java from Perl. */
    synchronized void ownLinks(List<LinkStats> links) {
        Map<String, LinkEntry> mine = new HashMap<>();
        for (LinkStats l : links) {
            NodeEntry n = nodes.get(l.node());
            if (n == null || !l.up()) {
                continue;
            }
            n.provider = PeerText.cut(l.provider());
            n.kind = l.provider().startsWith("AE-") ? "perl"
                    : l.provider().startsWith("aemp-java") ? "java" : "unknown";
            mine.put(l.node(), new LinkEntry(l.framing(), l.auth(), l.tls(), l.messagesIn() + l.messagesOut(),
                    l.bytesIn() + l.bytesOut(), l.backlogBytes(), l.busy(), clockMillis.getAsLong(), -1, -1));
        }
        agentLinks.put(self, rated(agentLinks.get(self), mine));
    }

    /** A node's {@code up_nodes} answer: the nodes it has links to. */
    synchronized void upNodes(String node, List<String> linked) {
        if (!nodes.containsKey(node)) {
            return; // asked only of known nodes: a stray answer
        }
        List<String> l = new ArrayList<>();
        for (String s : linked) {
            if (l.size() >= MAX_LIST) {
                break;
            }
            l.add(PeerText.cut(s));
        }
        neighbours.put(node, new Neighbours(List.copyOf(l), tick));
    }

    /** An agent's stats answer: its links (see {@link StatsAgent}). */
    synchronized void agentStats(String node, List<?> links) {
        if (!agents.containsKey(node)) {
            return;
        }
        Map<String, LinkEntry> now = new HashMap<>();
        long at = clockMillis.getAsLong();
        for (Object o : links) {
            if (now.size() >= MAX_LIST) {
                break;
            }
            if (!(o instanceof Map<?, ?> m) || !(m.get("node") instanceof String peer)
                    || !Boolean.TRUE.equals(m.get("up"))) {
                continue;
            }
            now.put(PeerText.cut(peer), new LinkEntry(text(m.get("framing")), text(m.get("auth")),
                    Boolean.TRUE.equals(m.get("tls")), number(m.get("messagesIn")) + number(m.get("messagesOut")),
                    number(m.get("bytesIn")) + number(m.get("bytesOut")), number(m.get("backlog")),
                    Boolean.TRUE.equals(m.get("busy")), at, -1, -1));
        }
        agentLinks.put(node, rated(agentLinks.get(node), now));
        NodeEntry n = nodes.get(node);
        if (n != null && "unknown".equals(n.kind)) {
            n.kind = "java"; // only Java nodes run the agent
        }
    }

    /** One poll round has begun: answers older than {@code staleAfter} rounds stop counting. */
    synchronized void tick() {
        tick++;
        neighbours.values().removeIf(n -> tick - n.tick > staleAfter);
    }

    // ---- what to ask ----

    /** The nodes to ask for {@code up_nodes}: every node that is up, but this one. */
    synchronized List<String> nodesToAsk() {
        List<String> out = new ArrayList<>();
        for (NodeEntry n : nodes.values()) {
            if ("up".equals(n.state) && !n.id.equals(self)) {
                out.add(n.id);
            }
        }
        return out;
    }

    /** The agents' ports, node id to port id. */
    synchronized Map<String, String> agentsToAsk() {
        return new TreeMap<>(agents);
    }

    // ---- output ----

    /** The page's picture: nodes, links, families and the latest events, as plain values for JSON. */
    synchronized Map<String, Object> snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("self", self);
        out.put("time", clockMillis.getAsLong());
        List<Object> ns = new ArrayList<>();
        for (NodeEntry n : nodes.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", n.id);
            m.put("state", n.state);
            m.put("since", n.since);
            m.put("kind", n.kind);
            m.put("provider", n.provider);
            m.put("global", n.global);
            m.put("observer", n.observer);
            m.put("agent", agents.containsKey(n.id));
            m.put("addresses", n.addresses);
            ns.add(m);
        }
        out.put("nodes", ns);
        out.put("links", links());
        List<Object> fs = new ArrayList<>();
        families.forEach((name, entries) -> {
            List<Object> keys = new ArrayList<>();
            entries.forEach((k, v) -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("key", k);
                e.put("owner", owner(name, k));
                e.put("value", v == null ? "" : PeerText.cut(String.valueOf(v)));
                keys.add(e);
            });
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("family", name);
            f.put("keys", keys);
            fs.add(f);
        });
        out.put("families", fs);
        out.put("events", new ArrayList<>(events));
        return out;
    }

    /** Each pair of up nodes that either end says is linked, with the numbers one end gave. */
    private List<Object> links() {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        Map<String, List<String>> said = new HashMap<>();
        neighbours.forEach((n, nb) -> said.put(n, nb.nodes()));
        agentLinks.forEach((n, links) -> said.merge(n, new ArrayList<>(links.keySet()), (a, b) -> {
            List<String> u = new ArrayList<>(a);
            b.forEach(x -> {
                if (!u.contains(x)) {
                    u.add(x);
                }
            });
            return u;
        }));
        said.forEach((a, peers) -> {
            for (String b : peers) {
                NodeEntry na = nodes.get(a);
                NodeEntry nb = nodes.get(b);
                if (na == null || nb == null || a.equals(b) || !"up".equals(na.state) || !"up".equals(nb.state)) {
                    continue;
                }
                String from = a.compareTo(b) < 0 ? a : b;
                String to = from.equals(a) ? b : a;
                Map<String, Object> l = out.computeIfAbsent(from + "|" + to, k -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", k);
                    m.put("a", from);
                    m.put("b", to);
                    m.put("observer", from.equals(self) || to.equals(self));
                    return m;
                });
                LinkEntry e = detail(a, b);
                if (e != null && !l.containsKey("framing")) {
                    l.put("measuredBy", a);
                    l.put("framing", e.framing());
                    l.put("auth", e.auth());
                    l.put("tls", e.tls());
                    l.put("messageRate", e.messageRate());
                    l.put("byteRate", e.byteRate());
                    l.put("backlog", e.backlog());
                    l.put("busy", e.busy());
                }
            }
        });
        return new ArrayList<>(out.values());
    }

    private LinkEntry detail(String a, String b) {
        Map<String, LinkEntry> m = agentLinks.get(a);
        return m == null ? null : m.get(b);
    }

    /** Who set a key: a port id's node, a node id in {@code 'l} and {@code 'g}, else unknown. */
    private static String owner(String family, String key) {
        if (family.equals("'l") || family.equals("'g")) {
            return key;
        }
        int hash = key.indexOf('#');
        return hash > 0 ? key.substring(0, hash) : "";
    }

    // ---- helpers ----

    private NodeEntry entry(String id) {
        String clean = PeerText.cut(id);
        NodeEntry n = nodes.get(clean);
        if (n == null) {
            if (nodes.size() >= MAX_NODES && !forgetOneDown()) {
                return null;
            }
            n = new NodeEntry(clean);
            nodes.put(clean, n);
        }
        return n;
    }

    private boolean forgetOneDown() {
        NodeEntry oldest = null;
        for (NodeEntry n : nodes.values()) {
            if ("down".equals(n.state) && (oldest == null || n.since < oldest.since)) {
                oldest = n;
            }
        }
        if (oldest == null) {
            return false;
        }
        nodes.remove(oldest.id);
        return true;
    }

    /** Sets the node's state from what is known, and logs a change. */
    private void refresh(NodeEntry n, String reason) {
        String state = n.observer || n.inDirectory || n.linked ? "up" : "down";
        if (state.equals(n.state)) {
            return;
        }
        boolean first = "new".equals(n.state);
        n.state = state;
        n.since = clockMillis.getAsLong();
        if (first && state.equals("down")) {
            return;
        }
        if (state.equals("down")) {
            neighbours.remove(n.id);
            agentLinks.remove(n.id);
        }
        event(n.id, state, reason == null ? "" : PeerText.cut(reason));
    }

    private void event(String node, String what, String reason) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("seq", ++eventSeq);
        e.put("time", clockMillis.getAsLong());
        e.put("node", node);
        e.put("event", what);
        e.put("reason", reason);
        events.addLast(e);
        while (events.size() > MAX_EVENTS) {
            events.removeFirst();
        }
    }

    private void putFamily(String name, Map<String, Object> family) {
        if (!families.containsKey(name) && families.size() >= MAX_LIST) {
            return;
        }
        Map<String, Object> copy = new TreeMap<>();
        for (Map.Entry<String, Object> e : family.entrySet()) {
            if (copy.size() >= MAX_LIST) {
                break;
            }
            copy.put(PeerText.cut(e.getKey()), e.getValue() == null ? null : PeerText.cut(String.valueOf(e.getValue())));
        }
        families.put(PeerText.cut(name), copy);
    }

    /** The new samples with rates against the previous ones. */
    private static Map<String, LinkEntry> rated(Map<String, LinkEntry> before, Map<String, LinkEntry> now) {
        Map<String, LinkEntry> out = new HashMap<>();
        now.forEach((peer, e) -> {
            LinkEntry b = before == null ? null : before.get(peer);
            double messageRate = 0;
            double byteRate = 0;
            if (b != null && e.atMillis() > b.atMillis() && e.messages() >= b.messages() && e.bytes() >= b.bytes()) {
                double secs = (e.atMillis() - b.atMillis()) / 1000.0;
                messageRate = (e.messages() - b.messages()) / secs;
                byteRate = (e.bytes() - b.bytes()) / secs;
            }
            out.put(peer, new LinkEntry(e.framing(), e.auth(), e.tls(), e.messages(), e.bytes(), e.backlog(),
                    e.busy(), e.atMillis(), messageRate, byteRate));
        });
        return out;
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object x : l) {
                if (out.size() >= 16) {
                    break;
                }
                out.add(PeerText.cut(String.valueOf(x)));
            }
        }
        return List.copyOf(out);
    }

    private static String text(Object o) {
        return o instanceof String s ? PeerText.cut(s) : "";
    }

    private static long number(Object o) {
        return o instanceof Number n ? Math.max(0, n.longValue()) : 0;
    }
}
