package org.aemp.testing.logging;

import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/**
 * A logger that hands each enabled event, formatted with SLF4J's {@link MessageFormatter}, to the
 * {@link LogRecorder}. Events from the fluent API ({@code log.atWarn().addKeyValue(...)}) come
 * through {@link #log(LoggingEvent)}, which puts their key-value pairs first, as
 * {@code key=value}. Markers are ignored. Thread-safe.
 */
final class RecordingLogger extends LegacyAbstractLogger implements LoggingEventAware {
    private static final long serialVersionUID = 1L;

    private final int threshold;
    private final transient LogRecorder recorder;

    RecordingLogger(String name, int threshold, LogRecorder recorder) {
        this.name = name;
        this.threshold = threshold;
        this.recorder = recorder;
    }

    private boolean isEnabled(Level level) {
        return level.toInt() >= threshold;
    }

    @Override
    public boolean isTraceEnabled() {
        return isEnabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return isEnabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return isEnabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return isEnabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return isEnabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
            Throwable throwable) {
        record(level, "", pattern, arguments, throwable);
    }

    @Override
    public void log(LoggingEvent event) {
        if (!isEnabled(event.getLevel())) {
            return;
        }
        StringBuilder pairs = new StringBuilder();
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair kv : event.getKeyValuePairs()) {
                pairs.append(kv.key).append('=').append(kv.value).append(' ');
            }
        }
        record(event.getLevel(), pairs.toString(), event.getMessage(), event.getArgumentArray(), event.getThrowable());
    }

    private void record(Level level, String prefix, String pattern, Object[] arguments, Throwable throwable) {
        FormattingTuple f = MessageFormatter.arrayFormat(pattern, arguments);
        Throwable t = throwable != null ? throwable : f.getThrowable();
        String message = f.getMessage() == null ? "null" : f.getMessage();
        recorder.record(level, name, prefix + message, t);
    }
}
