package org.aemp.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.aemp.LinkStats;
import org.aemp.Node;

/**
 * The meters of the link to one other node (tags {@code node}, {@code peer}), in every registry
 * the binder is bound to. Each reads the node's stats through the {@link StatsReader}, only when
 * the registry reads it. Once the other node has left the node's table, counters keep its last
 * numbers and gauges read 0, until the binder removes these meters.
 *
 * <p>Thread-safe: reads on any thread; {@link #register} and {@link #remove} under the binder's lock.
 */
final class LinkMeters {
    private static final LinkStats NONE = new LinkStats("", false, "", 0, 0, 0, 0, 0, false, Duration.ZERO, 0, 0);

    final String peer;
    private final StatsReader reader;
    private volatile LinkStats last = NONE;
    private final List<Registered> meters = new ArrayList<>(); // guarded by the binder

    /** A meter and the registry it is in. */
    record Registered(MeterRegistry registry, Meter meter) {
        void remove() {
            registry.remove(meter);
        }
    }

    LinkMeters(String peer, StatsReader reader) {
        this.peer = peer;
        this.reader = reader;
    }

    /** The link's numbers now; its last ones, not up, if the node has left the table. */
    LinkStats read() {
        LinkStats now = reader.read().links().get(peer);
        if (now != null) {
            last = now;
            return now;
        }
        LinkStats l = last;
        return new LinkStats(peer, false, "", l.messagesIn(), l.messagesOut(), l.bytesIn(), l.bytesOut(), 0, false,
                l.busyTime(), l.refusals(), l.overflows());
    }

    /**
     * Registers the link's meters in {@code registry}. {@code owner} is what the registry holds
     * weakly, as Micrometer does: once the node is unreachable, the meters read NaN.
     */
    void register(MeterRegistry registry, Node owner, Tags tags) {
        Tags t = tags.and("peer", peer);
        counter(registry, owner, t, AempMetrics.LINK_MESSAGES_SENT, "messages queued for the node",
                BaseUnits.MESSAGES, l -> l.messagesOut());
        counter(registry, owner, t, AempMetrics.LINK_MESSAGES_RECEIVED, "messages received from the node",
                BaseUnits.MESSAGES, l -> l.messagesIn());
        counter(registry, owner, t, AempMetrics.LINK_BYTES_SENT, "bytes handed to the socket",
                BaseUnits.BYTES, l -> l.bytesOut());
        counter(registry, owner, t, AempMetrics.LINK_BYTES_RECEIVED, "bytes received", BaseUnits.BYTES,
                l -> l.bytesIn());
        counter(registry, owner, t, AempMetrics.LINK_BUSY_TIME, "time the link has been busy", "seconds",
                l -> l.busyTime().toNanos() / 1e9);
        counter(registry, owner, t, AempMetrics.LINK_REFUSALS, "sends refused because the link was busy (trySend)",
                BaseUnits.OPERATIONS, l -> l.refusals());
        counter(registry, owner, t, AempMetrics.LINK_OVERFLOWS, "sends that hit the backlog limit, failing the link",
                BaseUnits.EVENTS, l -> l.overflows());
        gauge(registry, owner, t, AempMetrics.LINK_BACKLOG, "bytes queued and not yet taken by the socket",
                BaseUnits.BYTES, l -> l.backlogBytes());
        gauge(registry, owner, t, AempMetrics.LINK_BUSY, "1 while the link is busy, else 0", null,
                l -> l.busy() ? 1 : 0);
        gauge(registry, owner, t, AempMetrics.LINK_UP, "1 while a link is up, else 0", null, l -> l.up() ? 1 : 0);
    }

    private void counter(MeterRegistry registry, Node owner, Tags tags, String name, String description,
            String unit, ToDoubleFunction<LinkStats> value) {
        meters.add(new Registered(registry, FunctionCounter.builder(name, owner, n -> value.applyAsDouble(read()))
                .tags(tags).description(description).baseUnit(unit).register(registry)));
    }

    private void gauge(MeterRegistry registry, Node owner, Tags tags, String name, String description, String unit,
            ToDoubleFunction<LinkStats> value) {
        meters.add(new Registered(registry, Gauge.builder(name, owner, n -> value.applyAsDouble(read()))
                .tags(tags).description(description).baseUnit(unit).register(registry)));
    }

    /** Removes the link's meters from every registry. */
    void remove() {
        meters.forEach(Registered::remove);
        meters.clear();
    }
}
