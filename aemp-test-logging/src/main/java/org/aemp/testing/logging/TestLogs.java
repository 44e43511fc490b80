package org.aemp.testing.logging;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The log of one test (or test class, or jqwik property), and what it expects to be logged. The
 * extension opens one before each test and closes it after; when the test fails, its log is
 * printed, and a test that logged a WARN or ERROR it did not declare fails:
 *
 * <pre>{@code
 * @Test
 * void aWrongSecretClosesTheLink(TestLogs logs) {                // or TestLogs.current()
 *     logs.allow(Level.WARN, "handshake with .* failed");      // may happen, any number of times
 *     logs.expect(Level.WARN, "shared secret mismatch");      // must happen before the test ends
 *     ...
 *     LogEvent e = logs.await(Duration.ofSeconds(5), Level.WARN, "connection .* closed"); // waits for it
 * }
 * }</pre>
 *
 * <p><b>Which events belong to a test: a time window.</b> A test's log holds every event logged,
 * by any thread, from its {@code beforeEach} to its {@code afterEach}, that is including its
 * {@code @BeforeEach} and {@code @AfterEach} methods and the closing of what its extensions
 * started. An event that a background thread (an event loop, a worker) of an earlier test logs
 * while this test runs counts for this test. Events logged while no test runs (between test
 * classes, or before the first) are dropped. A test class has a scope of its own around all of its
 * tests: it holds what its {@code @BeforeAll} and {@code @AfterAll} methods log, and what is logged
 * between its tests; a class that logs an unexpected WARN or ERROR there fails as a whole. Rules
 * declared on the class scope (in {@code @BeforeAll}) apply to its tests too. Not for tests that
 * run in parallel: their windows would overlap.
 *
 * <p><b>Matching.</b> A rule names one level (an allowed WARN does not allow an ERROR), a regular
 * expression that must be found in the formatted message ({@link LogEvent#message()}, as
 * {@link java.util.regex.Matcher#find()} does), and optionally a logger, which also covers the
 * loggers below it. INFO, DEBUG and TRACE events never fail a test.
 *
 * <p>Thread-safe: rules may be added and awaited from any thread.
 */
public final class TestLogs {
    private static volatile boolean bindingChecked;

    private final LogRecorder recorder;
    private final String name;
    private final TestLogs parent; // the innermost scope open when this one opened, or null
    private final long start;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<long[]> covered = new ArrayList<>(); // guarded by itself: [start, end) of closed inner scopes
    private volatile List<LogEvent> seen; // null while open

    private TestLogs(LogRecorder recorder, String name) {
        this.recorder = recorder;
        this.name = name;
        synchronized (recorder) {
            this.parent = recorder.current();
            this.start = recorder.open(this);
        }
    }

    /**
     * The innermost open scope: the running test's (or, in {@code @BeforeAll}, the test class's;
     * or the running jqwik property's).
     *
     * @throws IllegalStateException if no test is running
     */
    public static TestLogs current() {
        TestLogs s = LogRecorder.instance().current();
        if (s == null) {
            throw new IllegalStateException("no test is running: TestLogs are open from beforeEach to afterEach "
                    + "(Jupiter, with junit.jupiter.extensions.autodetection.enabled=true) and around each jqwik "
                    + "property");
        }
        return s;
    }

    /**
     * Allows events of {@code level} whose message contains a match of {@code regex}, any number
     * of times, none included.
     *
     * @return this
     * @throws java.util.regex.PatternSyntaxException if {@code regex} is not a regular expression
     * @throws IllegalStateException if this scope is closed
     */
    public TestLogs allow(Level level, String regex) {
        return add(new Rule(level, null, Pattern.compile(requireNonNull(regex, "regex")), false));
    }

    /**
     * Allows events of {@code level} from {@code logger} (or a logger below it, {@code logger.x})
     * whose message contains a match of {@code regex}, any number of times, none included.
     *
     * @return this
     */
    public TestLogs allow(Level level, String logger, String regex) {
        return add(new Rule(level, requireNonNull(logger, "logger"), Pattern.compile(requireNonNull(regex, "regex")),
                false));
    }

    /**
     * Allows events of {@code level} whose message contains a match of {@code regex}, and demands
     * at least one before this scope closes (checked then, without waiting: to wait for an event
     * that another thread logs, use {@link #await}).
     *
     * @return this
     */
    public TestLogs expect(Level level, String regex) {
        return add(new Rule(level, null, Pattern.compile(requireNonNull(regex, "regex")), true));
    }

    /**
     * Waits up to {@code timeout} for an event of {@code level} whose message contains a match of
     * {@code regex}, logged since this scope opened, and returns the first such event (which may
     * have been logged before the call). Such events are allowed, as by {@link #allow(Level, String)}.
     *
     * @throws AssertionError if none came in time; the message lists what was logged
     */
    public LogEvent await(Duration timeout, Level level, String regex) {
        requireNonNull(timeout, "timeout");
        Rule rule = new Rule(level, null, Pattern.compile(requireNonNull(regex, "regex")), false);
        add(rule);
        try {
            LogEvent e = recorder.await(start, rule::matches, timeout);
            if (e == null) {
                throw new AssertionError("no " + rule + " logged within " + timeout + " in " + name + "; logged:"
                        + list(events()));
            }
            return e;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + rule, ex);
        }
    }

    /** Every event of this scope so far (once closed: every event it saw), oldest first. */
    public List<LogEvent> events() {
        List<LogEvent> closed = seen;
        return closed != null ? closed : recorder.between(start, Long.MAX_VALUE);
    }

    /** The test's name. */
    @Override
    public String toString() {
        return name;
    }

    private TestLogs add(Rule rule) {
        if (seen != null) {
            throw new IllegalStateException("the logs of " + name + " are closed");
        }
        rules.add(rule);
        return this;
    }

    long start() {
        return start;
    }

    /** Opens a scope for the test {@code name}, inside the innermost open one. */
    static TestLogs open(String name) {
        return open(LogRecorder.instance(), name);
    }

    static TestLogs open(LogRecorder recorder, String name) {
        if (!bindingChecked) {
            checkBinding();
            JulBridge.install();
            bindingChecked = true;
        }
        return new TestLogs(recorder, requireNonNull(name, "name"));
    }

    /** How the test went, for {@link #close}. */
    enum Outcome { PASSED, FAILED, ABORTED }

    /**
     * Closes this scope and judges its events. A failed test gets its log printed and no verdict
     * (its own failure says more); an aborted one neither; a passed one that logged an unexpected
     * WARN or ERROR, or missed an expected event, gets its log printed and the verdict returned.
     *
     * @return the verdict to throw, or null
     * @throws IllegalStateException if already closed
     */
    AssertionError close(Outcome outcome) {
        if (seen != null) {
            throw new IllegalStateException("the logs of " + name + " are closed");
        }
        List<LogEvent> all = recorder.close(this, start);
        seen = all;
        if (parent != null) {
            parent.cover(start, start + all.size());
        }
        List<LogEvent> own = own(all);
        List<LogEvent> unexpected = new ArrayList<>();
        for (LogEvent e : own) {
            if (e.level().toInt() >= Level.WARN.toInt() && !isAllowed(e)) {
                unexpected.add(e);
            }
        }
        List<Rule> missing = new ArrayList<>();
        for (Rule r : rules) {
            if (r.required && all.stream().noneMatch(r::matches)) {
                missing.add(r);
            }
        }
        if (outcome == Outcome.ABORTED || (outcome == Outcome.PASSED && unexpected.isEmpty() && missing.isEmpty())) {
            return null;
        }
        print(own, unexpected);
        if (outcome == Outcome.FAILED) {
            return null;
        }
        StringBuilder m = new StringBuilder(name).append(": ");
        if (!unexpected.isEmpty()) {
            m.append(unexpected.size()).append(" unexpected log event").append(unexpected.size() == 1 ? "" : "s")
                    .append(" (declare the expected ones with TestLogs.allow or expect):").append(list(unexpected));
        }
        if (!missing.isEmpty()) {
            m.append(unexpected.isEmpty() ? "" : System.lineSeparator()).append("expected but not logged: ")
                    .append(missing);
        }
        return new AssertionError(m.toString());
    }

    private void cover(long from, long to) {
        synchronized (covered) {
            covered.add(new long[] {from, to});
        }
    }

    /** The events that no inner scope saw. */
    private List<LogEvent> own(List<LogEvent> all) {
        List<long[]> ranges;
        synchronized (covered) {
            ranges = List.copyOf(covered);
        }
        if (ranges.isEmpty()) {
            return all;
        }
        List<LogEvent> own = new ArrayList<>();
        for (LogEvent e : all) {
            boolean inner = false;
            for (long[] r : ranges) {
                inner |= e.sequence() >= r[0] && e.sequence() < r[1];
            }
            if (!inner) {
                own.add(e);
            }
        }
        return own;
    }

    private boolean isAllowed(LogEvent e) {
        for (TestLogs s = this; s != null; s = s.parent) {
            for (Rule r : s.rules) {
                if (r.matches(e)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void print(List<LogEvent> own, List<LogEvent> unexpected) {
        if (recorder.isConsole() || own.isEmpty()) {
            return; // every line is on the console already, or there is none
        }
        PrintStream out = recorder.out();
        StringBuilder b = new StringBuilder();
        String nl = System.lineSeparator();
        b.append("==== log of ").append(Printable.escape(name)).append(": ").append(own.size()).append(" event")
                .append(own.size() == 1 ? "" : "s").append(unexpected.isEmpty() ? "" : ", ! marks the unexpected")
                .append(" ====").append(nl);
        for (LogEvent e : own) {
            b.append(unexpected.contains(e) ? "! " : "  ").append(e.toStringWithStackTrace()).append(nl);
        }
        b.append("==== end of the log of ").append(Printable.escape(name)).append(" ====");
        synchronized (out) {
            out.println(b);
            out.flush();
        }
    }

    private static String list(List<LogEvent> events) {
        StringBuilder b = new StringBuilder();
        int shown = Math.min(events.size(), 20);
        for (LogEvent e : events.subList(0, shown)) {
            b.append(System.lineSeparator()).append("  ").append(e);
        }
        if (shown < events.size()) {
            b.append(System.lineSeparator()).append("  ... and ").append(events.size() - shown).append(" more");
        }
        return b.toString();
    }

    private static void checkBinding() {
        ILoggerFactory f = LoggerFactory.getILoggerFactory();
        if (!(f instanceof RecordingLoggerFactory)) {
            throw new IllegalStateException("SLF4J logs through " + f.getClass().getName() + ", not through "
                    + "aemp-test-logging's provider: take the other provider (slf4j-simple, logback) off the test "
                    + "class path, for example with surefire's classpathDependencyExcludes");
        }
    }

    /** One declared event: a level, a regular expression to find in the message, maybe a logger. */
    private static final class Rule {
        final Level level;
        final String logger; // null: any
        final Pattern pattern;
        final boolean required;

        Rule(Level level, String logger, Pattern pattern, boolean required) {
            this.level = requireNonNull(level, "level");
            this.logger = logger;
            this.pattern = pattern;
            this.required = required;
        }

        boolean matches(LogEvent e) {
            return e.level() == level
                    && (logger == null || e.logger().equals(logger) || e.logger().startsWith(logger + "."))
                    && pattern.matcher(e.message()).find();
        }

        @Override
        public String toString() {
            return level + " matching /" + pattern + "/" + (logger == null ? "" : " from " + logger);
        }
    }
}
