package org.aemp.testing.logging;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/** Hands out one {@link RecordingLogger} per name, at the level {@link LogLevels} gives it. Thread-safe. */
final class RecordingLoggerFactory implements ILoggerFactory {
    private final LogRecorder recorder;
    private final LogLevels levels;
    private final ConcurrentMap<String, RecordingLogger> loggers = new ConcurrentHashMap<>();

    RecordingLoggerFactory(LogRecorder recorder, LogLevels levels) {
        this.recorder = requireNonNull(recorder, "recorder");
        this.levels = requireNonNull(levels, "levels");
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new RecordingLogger(n, levels.threshold(n), recorder));
    }
}
