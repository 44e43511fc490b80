package org.aemp.observe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.aemp.Guard;
import org.aemp.Node;
import org.aemp.PortId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link NetworkView} from the observer's node: watches the families {@code 'l},
 * {@code 'g}, the agents' family and those asked for, hears its node's links go up and down, and
 * once per interval asks every node that is up for {@code up_nodes} (the request {@code aemp trace}
 * sends; Perl and Java nodes answer it) and every agent for its stats. It only reads: one small
 * message per node and interval. Thread-safe: callbacks arrive on the node's workers, the poll runs
 * on the observer's timer thread, and all meet in the view.
 */
final class Watcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Watcher.class);
    static final String UP_NODES = "AnyEvent::MP::Kernel::up_nodes";

    private final Node node;
    private final NetworkView view;
    private final Runnable changed;
    private final List<Guard> guards = new ArrayList<>();
    private final PortId upNodesReply;
    private final PortId statsReply;

    Watcher(Node node, NetworkView view, List<String> families, Runnable changed) {
        this.node = node;
        this.view = view;
        this.changed = changed;
        this.upNodesReply = node.newPort((ctx, m) -> upNodesAnswer(m));
        this.statsReply = node.newPort((ctx, m) -> statsAnswer(m));
        guards.add(node.monitorNodes((peer, up, reason) -> {
            view.linkChanged(peer, up, up ? null : String.join(" ", words(reason.values())));
            changed.run();
        }));
        guards.add(watch("'l", view::directory));
        guards.add(watch("'g", view::globals));
        guards.add(watch(StatsAgent.FAMILY, view::agents));
        for (String f : families) {
            guards.add(watch(f, m -> view.family(f, m)));
        }
    }

    private Guard watch(String family, Consumer<Map<String, Object>> to) {
        return node.db().monitor(family, (f, added, chg, deleted) -> {
            to.accept(f);
            changed.run();
        });
    }

    /** Starts polling on {@code timer} every {@code interval}. */
    void start(ScheduledExecutorService timer, Duration interval) {
        long ms = interval.toMillis();
        timer.scheduleWithFixedDelay(this::poll, 0, ms, TimeUnit.MILLISECONDS);
    }

    /** One round: read this node's links, ask the others. Never throws (it would stop the timer). */
    void poll() {
        try {
            view.tick();
            view.ownLinks(node.stats().links());
            for (String n : view.nodesToAsk()) {
                node.send(PortId.nodePort(n), "eval", UP_NODES, upNodesReply.toString(), n);
            }
            for (String port : view.agentsToAsk().values()) {
                try {
                    node.send(PortId.parse(port), StatsAgent.STATS, statsReply.toString());
                } catch (IllegalArgumentException e) {
                    // a key that is no port id: nothing to ask
                }
            }
            changed.run();
        } catch (RuntimeException e) {
            if (!node.isClosed()) {
                log.warn("observer on node {}: a poll round failed", node.id(), e);
            }
        }
    }

    /** {@code [<node>, <error>, <linked nodes>...]}: what the eval request answers. */
    private void upNodesAnswer(List<Object> m) {
        if (m.size() < 2 || !(m.get(0) instanceof String from)) {
            return; // junk: nothing learnt
        }
        if (!"".equals(m.get(1))) {
            // a node that refuses eval (secure) or fails it: its links stay unknown
            log.debug("observer on node {}: node {} answered up_nodes with an error: {}", node.id(),
                    PeerText.escape(from), PeerText.escape(String.valueOf(m.get(1))));
            return;
        }
        List<String> linked = new ArrayList<>();
        for (Object o : m.subList(2, m.size())) {
            if (o instanceof String s && !s.equals(node.id())) {
                linked.add(s);
            }
        }
        view.upNodes(from, linked);
    }

    /** {@code ["stats", <node>, [<link>...]]} from an agent. */
    private void statsAnswer(List<Object> m) {
        if (m.size() == 3 && StatsAgent.STATS.equals(m.get(0)) && m.get(1) instanceof String from
                && m.get(2) instanceof List<?> links) {
            view.agentStats(from, links);
        }
    }

    private static List<String> words(List<Object> values) {
        List<String> out = new ArrayList<>();
        for (Object v : values) {
            out.add(String.valueOf(v));
        }
        return out;
    }

    @Override
    public void close() {
        guards.forEach(Guard::close);
        node.kill(upNodesReply);
        node.kill(statsReply);
    }
}
