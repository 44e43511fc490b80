package org.aemp.logcatcher;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * A java.util.logging handler that hands every record it gets to {@link LogTap}, so that nodes that
 * {@linkplain LogCatcher#serve serve} catchers forward it. The choice for applications whose
 * SLF4J backend is java.util.logging (slf4j-jdk14), or that log through JUL directly. Install it
 * on the root logger, in code:
 *
 * <pre>{@code
 * java.util.logging.Logger.getLogger("").addHandler(new LogCatcherHandler());
 * }</pre>
 * or in {@code logging.properties}: {@code handlers = java.util.logging.ConsoleHandler,
 * org.aemp.logcatcher.LogCatcherHandler}. Levels map as {@link LogLevel#fromJul} says (SEVERE 4,
 * WARNING 5, INFO and CONFIG 7, FINE and FINER 8, FINEST 9); the handler's own level (ALL unless
 * set) filters first. The message is formatted as {@link SimpleFormatter#formatMessage} does, with
 * any stack trace after it.
 *
 * <p>Runs on the thread that logs and never blocks; {@link #flush()} and {@link #close()} do nothing.
 */
public class LogCatcherHandler extends Handler {
    private final Formatter formatter = new SimpleFormatter();

    /** A handler that forwards to every catcher of this JVM's nodes. */
    public LogCatcherHandler() {
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record)) {
            return;
        }
        LogLevel level = LogLevel.fromJul(record.getLevel());
        if (!LogTap.isEnabled(level)) {
            return;
        }
        Throwable thrown = record.getThrown();
        LogTap.publish(record.getInstant().toEpochMilli(), record.getLoggerName(), level, formatter.formatMessage(record),
                thrown == null ? null : () -> LogTap.stackTrace(thrown));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
