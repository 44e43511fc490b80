package org.aemp.logcatcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;

/**
 * A Logback appender that hands every record it gets to {@link LogTap}, so that nodes that
 * {@linkplain LogCatcher#serve serve} catchers forward it. The choice for applications that log
 * through Logback; add it next to the other appenders, where it sees what they see:
 *
 * <pre>{@code
 * <appender name="AEMP" class="org.aemp.logcatcher.LogCatcherAppender"/>
 * <root level="INFO">
 *   <appender-ref ref="CONSOLE"/>
 *   <appender-ref ref="AEMP"/>
 * </root>
 * }</pre>
 * Only records that pass the loggers' levels reach an appender: a catcher asking for debug gets
 * debug records only from loggers whose level lets them through. Levels map ERROR 4, WARN 5,
 * INFO 7, DEBUG 8, TRACE 9. The message is Logback's formatted message, followed by the stack
 * trace if there is one.
 *
 * <p>Needs logback-classic on the class path (mp-logcatcher does not bring it). Runs on the thread
 * that logs (or Logback's thread, behind an {@code AsyncAppender}) and never blocks.
 */
public class LogCatcherAppender extends AppenderBase<ILoggingEvent> {

    /** The appender, as Logback's configuration creates it. */
    public LogCatcherAppender() {
    }

    @Override
    protected void append(ILoggingEvent event) {
        LogLevel level = level(event.getLevel());
        if (level == null || !LogTap.isEnabled(level)) {
            return;
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        LogTap.publish(event.getTimeStamp(), event.getLoggerName(), level, event.getFormattedMessage(),
                thrown == null ? null : () -> ThrowableProxyUtil.asString(thrown).stripTrailing());
    }

    private static LogLevel level(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> LogLevel.ERROR;
            case Level.WARN_INT -> LogLevel.WARN;
            case Level.INFO_INT -> LogLevel.INFO;
            case Level.DEBUG_INT -> LogLevel.DEBUG;
            case Level.TRACE_INT -> LogLevel.TRACE;
            default -> null;
        };
    }
}
