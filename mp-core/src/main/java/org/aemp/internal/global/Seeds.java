package org.aemp.internal.global;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;
import org.aemp.internal.net.NodeLinks;
import org.aemp.internal.net.SelfLinkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's seeds (NETWORK.md §3): it keeps dialling every seed address that is not connected,
 * first at once, then after 1.2 to 2.4 s, doubling up to {@code monitor_timeout}, for as long as
 * it runs, and starts over with the short delay whenever a seed's link goes down. It remembers
 * which node answered at each address; the first seed node with a link becomes the master.
 *
 * <p>Not thread-safe; confined to the global service's executor.
 */
final class Seeds {
    private static final Logger log = LoggerFactory.getLogger(GlobalService.class);
    /** The lower end of the random first delay (AEMP's {@code $SEED_RETRY = (1 + rand) * 0.6}). */
    static final Duration RETRY_BASE = Duration.ofMillis(600);

    /** What the global service does when seeds answer. */
    interface Events {
        /** {@code node}, which answered at a seed address, has a link up that this service did not see come up as a seed's. */
        void seedNodeUp(String node);

        /** A seed address reached this very node: it is one of its own seeds, which makes it global. */
        void ownSeed(String address);
    }

    private final String self;
    private final NodeLinks links;
    private final Executor exec;
    private final Scheduler scheduler;
    private final BooleanSupplier closed;
    private final Events events;
    private final Backoff backoff;
    private final Map<String, String> seedNode = new LinkedHashMap<>(); // seed address -> node id or null
    private final Map<String, String> nodeSeed = new HashMap<>();
    private final Set<String> dialling = new LinkedHashSet<>();
    private ScheduledFuture<?> timer;

    /**
     * @param exec the global service's executor, where dial results are handled
     * @param monitorTimeout the longest delay between rounds
     * @param closed true once the node is closing: then nothing is dialled any more
     */
    Seeds(String self, NodeLinks links, Executor exec, Scheduler scheduler, Duration monitorTimeout,
            BooleanSupplier closed, Events events) {
        this.self = self;
        this.links = links;
        this.exec = exec;
        this.scheduler = scheduler;
        this.closed = closed;
        this.events = events;
        this.backoff = new Backoff(RETRY_BASE, monitorTimeout);
    }

    /** Adds seed addresses ({@code host:port}, comma lists allowed) and starts dialling them. */
    void add(List<String> seeds) {
        for (String s : seeds) {
            for (String entry : s.split(",")) {
                if (!entry.isBlank()) {
                    seedNode.putIfAbsent(entry.trim(), null);
                }
            }
        }
        again();
    }

    /** True if {@code node} answered at one of the seed addresses. */
    boolean isSeedNode(String node) {
        return nodeSeed.containsKey(node);
    }

    /** The nodes that answered at seed addresses, in no particular order. */
    Collection<String> nodes() {
        return nodeSeed.keySet();
    }

    /** Starts over with the short delay ({@code seed_again}): a seed's link went down, or seeds were added. */
    void again() {
        backoff.reset();
        if (timer == null) {
            timer = scheduler.schedule(Duration.ZERO, this::all);
        }
    }

    /** {@code seed_all}: dials every seed address that is not connected, then waits a round. */
    private void all() {
        timer = null;
        if (closed.getAsBoolean()) {
            return;
        }
        List<String> missing = new ArrayList<>();
        seedNode.forEach((seed, node) -> {
            if (node == null || !links.isUp(node)) {
                missing.add(seed);
            }
        });
        if (missing.isEmpty()) {
            return;
        }
        for (String seed : missing) {
            if (dialling.add(seed)) {
                links.dial(seed).whenComplete((node, err) -> exec.execute(() -> dialled(seed, node, err)));
            }
        }
        timer = scheduler.schedule(backoff.next(), this::all);
    }

    private void dialled(String seed, String node, Throwable err) {
        dialling.remove(seed);
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof SelfLinkException) {
            log.info("node {} is one of its own seeds ({}): becoming global", self, seed);
            seedNode.remove(seed);
            events.ownSeed(seed);
            return;
        }
        if (node == null) {
            log.debug("seed {} not reached: {}", seed, cause == null ? "?" : cause.getMessage());
            return;
        }
        seedNode.put(seed, node);
        boolean known = nodeSeed.containsKey(node);
        nodeSeed.put(node, seed);
        if (!known && links.isUp(node)) {
            events.seedNodeUp(node); // the link came up before we knew it was a seed
        }
    }

    /** Stops dialling (the node is closing). */
    void close() {
        Scheduler.cancel(timer);
    }
}
