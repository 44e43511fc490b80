package org.aemp.logcatcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Keeps the records of {@code org.aemp.logcatcher...} loggers (caught records included) for tests
 * to wait on; wired in {@code logback-test.xml}. Tests of this module run one at a time.
 */
public class RecordingAppender extends AppenderBase<ILoggingEvent> {
    private static final BlockingQueue<ILoggingEvent> EVENTS = new LinkedBlockingQueue<>();

    @Override
    protected void append(ILoggingEvent e) {
        if (e.getLoggerName().startsWith("org.aemp.logcatcher")) {
            e.prepareForDeferredProcessing();
            EVENTS.add(e);
        }
    }

    /** Forgets what was recorded so far. */
    static void clear() {
        EVENTS.clear();
    }

    /** Waits up to 10 s for the next record matching {@code wanted}, dropping the others on the way. */
    static ILoggingEvent next(Predicate<ILoggingEvent> wanted) {
        return next(wanted, Duration.ofSeconds(10));
    }

    static ILoggingEvent next(Predicate<ILoggingEvent> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                ILoggingEvent e = left > 0 ? EVENTS.poll(left, TimeUnit.NANOSECONDS) : null;
                assertThat(e).as("a log record within " + timeout).isNotNull();
                if (wanted.test(e)) {
                    return e;
                }
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }

    /** The records matching {@code wanted} that arrive within {@code d}. */
    static List<ILoggingEvent> within(Duration d, Predicate<ILoggingEvent> wanted) {
        List<ILoggingEvent> got = new ArrayList<>();
        long deadline = System.nanoTime() + d.toNanos();
        try {
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                ILoggingEvent e = EVENTS.poll(left, TimeUnit.NANOSECONDS);
                if (e != null && wanted.test(e)) {
                    got.add(e);
                }
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
        return got;
    }

    /** A caught record from {@code node} whose message contains {@code text}. */
    static Predicate<ILoggingEvent> caught(String node, String text) {
        return e -> e.getLoggerName().equals(Catcher.remoteLoggerName(node)) && e.getFormattedMessage().contains(text);
    }

    /** The value of key-value pair {@code key}, or null. */
    static Object kv(ILoggingEvent e, String key) {
        if (e.getKeyValuePairs() == null) {
            return null;
        }
        return e.getKeyValuePairs().stream().filter(p -> p.key.equals(key)).map(p -> p.value).findFirst().orElse(null);
    }
}
