package org.aemp.logcatcher;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.event.DefaultLoggingEvent;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The logger {@link LogCatcherServiceProvider} hands out: gives each record to {@link LogTap},
 * then to the wrapped backend logger if that enables the level. Thread-safe, as the backend's.
 */
final class ForwardingLogger extends AbstractLogger implements LoggingEventAware {
    private static final long serialVersionUID = 1L;
    private static final String BOUNDARY = AbstractLogger.class.getName();

    private final transient Logger delegate;

    ForwardingLogger(String name, Logger delegate) {
        this.delegate = delegate;
        this.name = name; // not the delegate's: a NOP logger's name is "NOP"
    }

    private static boolean tapped(LogLevel level) {
        return LogTap.isEnabled(level);
    }

    @Override
    public boolean isTraceEnabled() {
        return delegate.isTraceEnabled() || tapped(LogLevel.TRACE);
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
        return delegate.isTraceEnabled(marker) || tapped(LogLevel.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return delegate.isDebugEnabled() || tapped(LogLevel.DEBUG);
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
        return delegate.isDebugEnabled(marker) || tapped(LogLevel.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return delegate.isInfoEnabled() || tapped(LogLevel.INFO);
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
        return delegate.isInfoEnabled(marker) || tapped(LogLevel.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return delegate.isWarnEnabled() || tapped(LogLevel.WARN);
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
        return delegate.isWarnEnabled(marker) || tapped(LogLevel.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return delegate.isErrorEnabled() || tapped(LogLevel.ERROR);
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
        return delegate.isErrorEnabled(marker) || tapped(LogLevel.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
            Throwable thrown) {
        LogLevel l = LogLevel.fromSlf4j(level);
        if (tapped(l)) {
            LogTap.publish(System.currentTimeMillis(), name, l, MessageFormatter.basicArrayFormat(pattern, args), thrown);
        }
        if (!delegate.isEnabledForLevel(level)) {
            return;
        }
        if (delegate instanceof LoggingEventAware aware) {
            DefaultLoggingEvent e = new DefaultLoggingEvent(level, delegate);
            if (marker != null) {
                e.addMarker(marker);
            }
            e.setMessage(pattern);
            if (args != null) {
                e.addArguments(args);
            }
            e.setThrowable(thrown);
            e.setTimeStamp(System.currentTimeMillis());
            e.setCallerBoundary(BOUNDARY); // the application's frame follows AbstractLogger's
            aware.log(e);
        } else {
            LoggingEventBuilder b = delegate.makeLoggingEventBuilder(level);
            if (marker != null) {
                b.addMarker(marker);
            }
            b.setCause(thrown).log(pattern, args == null ? new Object[0] : args);
        }
    }

    /** The fluent API's events ({@code logger.atInfo()...log()}). */
    @Override
    public void log(LoggingEvent event) {
        Level level = event.getLevel();
        LogLevel l = LogLevel.fromSlf4j(level);
        if (tapped(l)) {
            String text = MessageFormatter.basicArrayFormat(event.getMessage(), event.getArgumentArray());
            List<KeyValuePair> kvs = event.getKeyValuePairs();
            if (kvs != null && !kvs.isEmpty()) {
                StringBuilder b = new StringBuilder(text == null ? "" : text);
                for (KeyValuePair kv : kvs) {
                    b.append(' ').append(kv.key).append('=').append(kv.value);
                }
                text = b.toString();
            }
            long ts = event.getTimeStamp();
            LogTap.publish(ts > 0 ? ts : System.currentTimeMillis(), name, l, text, event.getThrowable());
        }
        if (!delegate.isEnabledForLevel(level)) {
            return;
        }
        if (delegate instanceof LoggingEventAware aware) {
            aware.log(event);
        } else {
            LoggingEventBuilder b = delegate.makeLoggingEventBuilder(level);
            List<Marker> markers = event.getMarkers();
            if (markers != null) {
                markers.forEach(b::addMarker);
            }
            List<KeyValuePair> kvs = event.getKeyValuePairs();
            if (kvs != null) {
                kvs.forEach(kv -> b.addKeyValue(kv.key, kv.value));
            }
            Object[] args = event.getArgumentArray();
            b.setCause(event.getThrowable()).log(event.getMessage(), args == null ? new Object[0] : args);
        }
    }
}
