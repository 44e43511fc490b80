package org.aemp.observe;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aemp.Guard;
import org.aemp.LinkStats;
import org.aemp.Node;
import org.aemp.PortId;

/**
 * Answers observers with the numbers of this node's links ({@link Node#stats()}): a port,
 * registered in the database family {@value #FAMILY}, that answers {@code ["stats", <reply port>]}
 * with
 *
 * <pre>{@code
 * ["stats", "<node id>", [{"node": "b", "up": true, "framing": "kryo", "auth": "hmac_sha3_512",
 *   "tls": false, "messagesIn": 10, "messagesOut": 12, "bytesIn": 800, "bytesOut": 950,
 *   "backlog": 0, "busy": false}, ...]]
 * }</pre>
 *
 * One snapshot per request, read when it comes: a node nobody observes pays nothing, and an
 * observer asks about once a second. Anything else sent to the port is ignored. Thread-safe.
 */
public final class StatsAgent {
    /** The database family where agents register their ports (key: the port id). */
    public static final String FAMILY = "aemp_observe";
    /** The request, and the first element of the answer. */
    public static final String STATS = "stats";

    private StatsAgent() {
    }

    /**
     * Starts answering on {@code node}.
     *
     * @return a guard that stops answering and removes the port from the family
     */
    public static Guard serve(Node node) {
        requireNonNull(node, "node");
        PortId port = node.newPort((ctx, m) -> {
            if (m.size() == 2 && STATS.equals(m.get(0)) && m.get(1) instanceof String reply) {
                PortId to;
                try {
                    to = PortId.parse(reply);
                } catch (IllegalArgumentException e) {
                    return; // not a port id: nobody to answer
                }
                ctx.send(to, STATS, node.id(), links(node));
            }
        });
        Guard registration = node.db().register(FAMILY, port);
        return () -> {
            registration.close();
            node.kill(port);
        };
    }

    /** This node's links as plain values, one map per other node it knows. */
    static List<Object> links(Node node) {
        List<Object> out = new ArrayList<>();
        for (LinkStats l : node.stats().links()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", l.node());
            m.put("up", l.up());
            m.put("framing", l.framing());
            m.put("auth", l.auth());
            m.put("tls", l.tls());
            m.put("messagesIn", l.messagesIn());
            m.put("messagesOut", l.messagesOut());
            m.put("bytesIn", l.bytesIn());
            m.put("bytesOut", l.bytesOut());
            m.put("backlog", l.backlogBytes());
            m.put("busy", l.busy());
            out.add(m);
        }
        return out;
    }
}
