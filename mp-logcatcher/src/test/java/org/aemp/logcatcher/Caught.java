package org.aemp.logcatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aemp.testing.logging.LogEvent;
import org.aemp.testing.logging.TestLogs;
import org.slf4j.event.Level;

/**
 * A record caught from another node and logged here again by {@link Catcher}, read back out of the
 * running test's log (aemp-test-logging). The test log writes the key-value pairs first, so a
 * caught record's message reads
 * {@code aemp_node=served aemp_context=test.app aemp_level=7 aemp_time=1764000000.125 [served+0.002s] test.app: text};
 * {@link #text()} is what follows the pairs, the message Catcher logged.
 *
 * @param event the logged event
 * @param node the pair {@code aemp_node}
 * @param context the pair {@code aemp_context}
 * @param aempLevel the pair {@code aemp_level}
 * @param time the pair {@code aemp_time}
 * @param text the logged message: {@code [<node><offset>] <context>: <message>}
 */
record Caught(LogEvent event, String node, String context, int aempLevel, double time, String text) {
    static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Pattern SHAPE = Pattern.compile(
            "^aemp_node=(.*?) aemp_context=(.*?) aemp_level=(\\d+) aemp_time=(\\S+) (\\[.*)$", Pattern.DOTALL);

    /** Reads a caught record; fails if {@code e} is none. */
    static Caught of(LogEvent e) {
        Matcher m = SHAPE.matcher(e.message());
        assertThat(m.matches()).as("a caught record: %s", e).isTrue();
        return new Caught(e, m.group(1), m.group(2), Integer.parseInt(m.group(3)), Double.parseDouble(m.group(4)),
                m.group(5));
    }

    /**
     * Waits up to {@link #PATIENCE} for the record from {@code node} logged at {@code level} whose
     * text holds a match of {@code regex} after the origin {@code [<node><offset>] }, and declares
     * such records (as {@link TestLogs#await} does).
     */
    static Caught await(TestLogs logs, Level level, String node, String regex) {
        Caught c = of(logs.await(PATIENCE, level, pattern(node, regex)));
        assertThat(c.event().logger()).isEqualTo(Catcher.remoteLoggerName(node));
        return c;
    }

    /**
     * The regular expression of {@link #await}: a caught record's message, origin {@code node}, then
     * a match of {@code regex} somewhere after it.
     */
    static String pattern(String node, String regex) {
        return "^aemp_node=" + Pattern.quote(node) + " .* \\[" + Pattern.quote(node) + "(?:[+-]\\d+\\.\\d{3}s)?\\] .*?"
                + regex;
    }

    /** A record caught from {@code node} (on its logger) whose message contains {@code text}. */
    static Predicate<LogEvent> from(String node, String text) {
        return e -> e.logger().equals(Catcher.remoteLoggerName(node)) && e.message().contains(text);
    }

    /**
     * Lets {@code d} pass, then returns the events of the running test so far that {@code wanted}
     * accepts: for checks that something did not come. (Nothing signals an absence; the wait is the
     * check.)
     */
    static List<LogEvent> after(TestLogs logs, Duration d, Predicate<LogEvent> wanted) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return logs.events().stream().filter(wanted).toList();
    }
}
