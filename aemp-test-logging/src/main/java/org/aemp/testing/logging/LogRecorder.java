package org.aemp.testing.logging;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.event.Level;

/**
 * The test JVM's one store of log events. An event is kept while some {@link TestLogs} scope is
 * open and dropped once no open scope started before it; events logged while no scope is open are
 * not kept at all. With {@code -Daemp.test.logs=console} every event is also printed as it
 * happens, whether a scope is open or not (that is how a child JVM started by a test gets its log
 * onto its stderr).
 *
 * <p>Thread-safe: loggers record from any thread. All state is guarded by {@code this}; waiting
 * threads wait on it.
 */
final class LogRecorder {
    /** {@code console} prints every event as it happens; {@code buffer}, the default, prints only reports. */
    static final String OUTPUT_PROPERTY = "aemp.test.logs";

    private static final LogRecorder INSTANCE = new LogRecorder(isConsole(System.getProperty(OUTPUT_PROPERTY)),
            System.err);

    private final boolean console;
    private PrintStream out;
    private final List<LogEvent> events = new ArrayList<>(); // sequence numbers first, first + 1, ..., next - 1
    private long first;
    private long next;
    private final List<TestLogs> open = new ArrayList<>(); // in the order they were opened

    LogRecorder(boolean console, PrintStream out) {
        this.console = console;
        this.out = requireNonNull(out, "out");
    }

    static LogRecorder instance() {
        return INSTANCE;
    }

    private static boolean isConsole(String value) {
        if (value == null || value.isBlank() || value.trim().toLowerCase(Locale.ROOT).equals("buffer")) {
            return false;
        }
        if (value.trim().toLowerCase(Locale.ROOT).equals("console")) {
            return true;
        }
        throw new IllegalArgumentException(OUTPUT_PROPERTY + " must be console or buffer: '" + value + "'");
    }

    boolean isConsole() {
        return console;
    }

    /** Records an event logged by the calling thread, and prints it in console mode. */
    void record(Level level, String logger, String message, Throwable throwable) {
        String thread = Thread.currentThread().getName();
        synchronized (this) {
            LogEvent e = new LogEvent(next++, Instant.now(), level, logger, thread, message, throwable);
            if (open.isEmpty()) {
                first = next;
            } else {
                events.add(e);
                notifyAll();
            }
            if (console) {
                out.println(e.toStringWithStackTrace());
            }
        }
    }

    /** Where reports (and, in console mode, events) are printed: the {@code System.err} of this JVM's start. */
    synchronized PrintStream out() {
        return out;
    }

    /** For this module's own tests: prints to {@code to} from now on, and returns the stream used before. */
    synchronized PrintStream redirect(PrintStream to) {
        PrintStream before = out;
        out = requireNonNull(to, "to");
        return before;
    }

    /** Opens {@code scope}; returns the sequence number of the first event it will see. */
    synchronized long open(TestLogs scope) {
        open.add(scope);
        return next;
    }

    /**
     * Closes {@code scope}, which opened at sequence number {@code start}, and returns every event
     * from {@code start} on (that is, all it saw). Events no open scope needs any more are dropped.
     */
    synchronized List<LogEvent> close(TestLogs scope, long start) {
        open.remove(scope);
        List<LogEvent> seen = between(start, next);
        if (open.isEmpty()) {
            events.clear();
            first = next;
        } else {
            long keepFrom = next;
            for (TestLogs s : open) {
                keepFrom = Math.min(keepFrom, s.start());
            }
            if (keepFrom > first) {
                events.subList(0, (int) (keepFrom - first)).clear();
                first = keepFrom;
            }
        }
        return seen;
    }

    /** The innermost open scope, or null. */
    synchronized TestLogs current() {
        return open.isEmpty() ? null : open.get(open.size() - 1);
    }

    /** The kept events with sequence numbers from {@code from} (inclusive) to {@code to} (exclusive). */
    synchronized List<LogEvent> between(long from, long to) {
        int a = (int) (Math.max(from, first) - first);
        int b = (int) (Math.min(to, next) - first);
        return a >= b ? List.of() : List.copyOf(events.subList(a, b));
    }

    /** The sequence number the next event will get. */
    synchronized long next() {
        return next;
    }

    /**
     * Waits up to {@code timeout} for an event from sequence number {@code from} on that
     * {@code wanted} accepts, and returns the first such event; null if none came in time.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    synchronized LogEvent await(long from, Predicate<LogEvent> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long scanned = Math.max(from, first);
        while (true) {
            for (; scanned < first + events.size(); scanned++) { // all of [first, next) while a scope is open
                LogEvent e = events.get((int) (scanned - first));
                if (wanted.test(e)) {
                    return e;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
            scanned = Math.max(scanned, first);
        }
    }
}
