package org.aemp.testing.logging;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.slf4j.event.Level;

/**
 * One recorded log event. {@code message} is the formatted message (SLF4J's
 * {@code MessageFormatter}, key-value pairs first as {@code key=value}), exactly as logged, so it
 * may hold any character; {@link #toString()} is the escaped one-line form that reports print.
 * Immutable, except that the throwable is the one that was logged.
 *
 * @param sequence the event's number in this JVM: later events have larger numbers
 * @param time when it was logged
 * @param level its level
 * @param logger the logger's name
 * @param thread the name of the thread that logged it
 * @param message the formatted message
 * @param throwable the logged throwable, or null
 */
public record LogEvent(long sequence, Instant time, Level level, String logger, String thread, String message,
        Throwable throwable) {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    public LogEvent {
        requireNonNull(time, "time");
        requireNonNull(level, "level");
        requireNonNull(logger, "logger");
        requireNonNull(thread, "thread");
        requireNonNull(message, "message");
    }

    /** The logged throwable, if any. */
    public Optional<Throwable> cause() {
        return Optional.ofNullable(throwable);
    }

    /**
     * The line a report prints, escaped: {@code 18:22:21.435 [thread] WARN  logger - message}, and
     * the throwable's class and message after {@code " | "} if there is one.
     */
    @Override
    public String toString() {
        return throwable == null ? line() : line() + " | " + Printable.escape(throwable.toString());
    }

    /** The line without the throwable, then the throwable's stack trace as Java prints it, each line escaped. */
    String toStringWithStackTrace() {
        if (throwable == null) {
            return line();
        }
        StringWriter trace = new StringWriter();
        throwable.printStackTrace(new PrintWriter(trace));
        StringBuilder b = new StringBuilder(line());
        for (String line : trace.toString().split("\\R")) {
            b.append(System.lineSeparator()).append(Printable.escape(line));
        }
        return b.toString();
    }

    private String line() {
        String clock = LocalTime.ofInstant(time, ZoneId.systemDefault()).format(CLOCK);
        return Printable.escape(clock + " [" + thread + "] " + String.format("%-5s", level) + " " + logger + " - "
                + message);
    }
}
