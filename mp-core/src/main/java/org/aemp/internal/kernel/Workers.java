package org.aemp.internal.kernel;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's threads for user code and timers: a pool of worker threads
 * ({@code aemp-<node>-worker-N}, daemons) that runs every callback, and one timer thread
 * ({@code aemp-<node>-timer}) that only hands tasks on. The kernel, the network's event listeners
 * and the global service all run on it. Thread-safe.
 */
public final class Workers implements Executor {
    private static final Logger log = LoggerFactory.getLogger(Workers.class);
    private final String nodeId;
    private final ForkJoinPool pool;
    private final ScheduledThreadPoolExecutor timer;

    /**
     * @param nodeId names the threads
     * @param threads how many worker threads run callbacks
     */
    public Workers(String nodeId, int threads) {
        this.nodeId = nodeId;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ForkJoinPool(threads, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("aemp-" + nodeId + "-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, null, true);
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "aemp-" + nodeId + "-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Runs {@code task} on a worker.
     *
     * @throws RejectedExecutionException once the workers are stopped
     */
    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /** Runs {@code task} on a worker; once the workers are stopped, drops it instead of failing the caller. */
    public void executeOrDrop(Runnable task) {
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("node {} is closed: task dropped", nodeId);
        }
    }

    /**
     * Runs {@code task} on the timer thread after {@code delay}; it must only hand work on.
     *
     * @throws RejectedExecutionException once the workers are stopped
     */
    public ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        return timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Waits up to {@code grace} until no callback runs and no task waits. */
    public void awaitQuiet(Duration grace) {
        pool.awaitQuiescence(grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the timer and the workers, waiting up to {@code grace} for running callbacks. */
    public void stop(Duration grace) {
        timer.shutdownNow();
        awaitQuiet(grace);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("node {}: callbacks still running after {}; abandoning them", nodeId, grace);
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
