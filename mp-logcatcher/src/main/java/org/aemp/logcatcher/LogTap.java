package org.aemp.logcatcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Where this JVM's log records enter log forwarding: the logging backend's adapter
 * ({@link LogCatcherAppender} for Logback, {@link LogCatcherHandler} for java.util.logging,
 * {@link LogCatcherServiceProvider} for any SLF4J backend) calls {@link #publish} for every record,
 * and the tap hands it to every catcher that asked for its level, on every node of this JVM that
 * {@linkplain LogCatcher#serve serves} catchers. A logging backend is one per JVM, so the tap is
 * too: each serving node forwards every record of the JVM, not only those of its own code.
 *
 * <h2>Cost</h2>
 * {@link #publish} returns at once when no catcher wants the level (one volatile read). Otherwise
 * it formats the record once, offers it to each catcher's bounded queue and returns; it never
 * blocks and never throws. Records are sent by one daemon thread, {@code aemp-logcatcher-forwarder},
 * at most {@link ForwardingLimits#recordsPerSecond()} per catcher; a record that finds its
 * catcher's queue full is dropped and counted, and the count is logged once per
 * {@link ForwardingLimits#reportInterval()}.
 *
 * <h2>No feedback</h2>
 * These records are never forwarded: those logged while the tap itself runs on the same thread
 * (a backend that logs from inside {@code publish}, or mp-core logging while a record is being
 * sent), records of caught remote logs (loggers under {@value LogCatcher#REMOTE_LOGGER_PREFIX},
 * as Perl's catcher does not pass caught records on either), and mp-core's per-message trace
 * logger {@value #TRACE_LOGGER} (each forwarded record would make another one).
 *
 * <p>Thread-safe: call it from any thread.
 */
public final class LogTap {
    /** mp-core's per-message trace logger, never forwarded. */
    public static final String TRACE_LOGGER = "org.aemp.trace";
    /** Forwarded message text (with any stack trace) is cut to this many characters. */
    public static final int MAX_MESSAGE_CHARS = 16 * 1024;

    private static final CopyOnWriteArrayList<Subscription> SUBSCRIPTIONS = new CopyOnWriteArrayList<>();
    private static final ThreadLocal<boolean[]> BUSY = ThreadLocal.withInitial(() -> new boolean[1]);
    private static volatile int threshold; // the highest level number any catcher wants; 0: none
    private static ScheduledThreadPoolExecutor executor; // guarded by LogTap.class

    private LogTap() {
    }

    /**
     * True if some catcher wants records of {@code level}: lets an adapter skip building a record
     * nobody forwards. A hint only, since catchers come and go at any time.
     */
    public static boolean isEnabled(LogLevel level) {
        return level.number() <= threshold;
    }

    /**
     * Forwards one log record to the catchers that want its level.
     *
     * @param epochMillis when it was logged, milliseconds since the epoch
     * @param loggerName the logger's name; sent as the record's context (AEMP's context title)
     * @param level its level
     * @param message the formatted message
     * @param thrown the exception logged with it, or null; its stack trace is appended to the message
     */
    public static void publish(long epochMillis, String loggerName, LogLevel level, String message, Throwable thrown) {
        publish(epochMillis, loggerName, level, message, thrown == null ? null : () -> stackTrace(thrown));
    }

    /** {@link #publish(long, String, LogLevel, String, Throwable)} with the stack trace as text, made only if needed. */
    static void publish(long epochMillis, String loggerName, LogLevel level, String message, Supplier<String> details) {
        if (level == null || level.number() > threshold || isExcluded(loggerName)) {
            return;
        }
        boolean[] busy = BUSY.get();
        if (busy[0]) {
            return;
        }
        busy[0] = true;
        try {
            String text = message == null ? "" : message;
            if (details != null) {
                String d = details.get();
                if (d != null && !d.isEmpty()) {
                    text = text + "\n" + d;
                }
            }
            if (text.length() > MAX_MESSAGE_CHARS) {
                text = text.substring(0, MAX_MESSAGE_CHARS) + "...[" + (text.length() - MAX_MESSAGE_CHARS)
                        + " more chars]";
            }
            // AEMP's wire shape: [time (float seconds), context title, level number, message]
            List<Object> record = List.of(epochMillis / 1000.0, loggerName == null ? "" : loggerName,
                    level.number(), text);
            for (Subscription s : SUBSCRIPTIONS) {
                s.offer(record, level.number());
            }
        } catch (RuntimeException | LinkageError e) {
            // never fail the application's logging call; there is no safe place to report this
        } finally {
            busy[0] = false;
        }
    }

    static boolean isExcluded(String loggerName) {
        if (loggerName == null) {
            return false;
        }
        String remote = LogCatcher.REMOTE_LOGGER_PREFIX;
        return loggerName.equals(TRACE_LOGGER) || (loggerName.startsWith(remote)
                && (loggerName.length() == remote.length() || loggerName.charAt(remote.length()) == '.'));
    }

    static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    static void attach(Subscription s) {
        SUBSCRIPTIONS.add(s);
        for (Subscription old : SUBSCRIPTIONS) {
            if (old.node.isClosed()) {
                old.owner.detach(old, "the node closed"); // a closed node has no way to tell us
            }
        }
        recompute();
    }

    static void detach(Subscription s) {
        SUBSCRIPTIONS.remove(s);
        recompute();
    }

    static synchronized void recompute() {
        int max = 0;
        for (Subscription s : SUBSCRIPTIONS) {
            max = Math.max(max, s.level());
        }
        threshold = max;
    }

    /** Runs {@code task} on the forwarder thread after {@code delayNanos}, with this thread's records not forwarded. */
    static ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return executor().schedule(guarded(task), delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} on the forwarder thread every {@code periodNanos}; its own logging is forwarded. */
    static ScheduledFuture<?> every(Runnable task, long periodNanos) {
        return executor().scheduleAtFixedRate(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // keep the schedule; the task logs its own failures
            }
        }, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            boolean[] busy = BUSY.get();
            busy[0] = true;
            try {
                task.run();
            } catch (RuntimeException e) {
                // a failed send is the catcher's loss only
            } finally {
                busy[0] = false;
            }
        };
    }

    private static synchronized ScheduledThreadPoolExecutor executor() {
        if (executor == null) {
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "aemp-logcatcher-forwarder");
                t.setDaemon(true);
                return t;
            });
            e.setRemoveOnCancelPolicy(true);
            e.setKeepAliveTime(30, TimeUnit.SECONDS);
            e.allowCoreThreadTimeOut(true); // no thread is left behind once nothing is forwarded
            executor = e;
        }
        return executor;
    }

    /** Snapshot of the subscriptions, for tests. */
    static List<Subscription> subscriptions() {
        return List.copyOf(SUBSCRIPTIONS);
    }
}
