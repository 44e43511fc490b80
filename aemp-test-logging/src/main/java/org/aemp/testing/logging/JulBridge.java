package org.aemp.testing.logging;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Sends {@code java.util.logging} records (jqwik's and JUnit's notes, for example) through SLF4J
 * to the recorder, in place of JUL's console handler, so that they too are shown only for a
 * failing test. SEVERE becomes ERROR, WARNING WARN, INFO INFO, CONFIG and FINE DEBUG, the rest
 * TRACE. JUL's own levels still decide what reaches the handler (INFO and above by default).
 * Thread-safe.
 */
final class JulBridge extends Handler {
    private static boolean installed; // guarded by JulBridge.class

    private final SimpleFormatter formatter = new SimpleFormatter();

    private JulBridge() {
    }

    /** Replaces the root logger's console handlers with the bridge; does nothing the second time. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            if (h instanceof ConsoleHandler) {
                root.removeHandler(h);
            }
        }
        root.addHandler(new JulBridge());
        installed = true;
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record)) {
            return;
        }
        String name = record.getLoggerName() == null ? "jul" : record.getLoggerName();
        org.slf4j.Logger logger = LoggerFactory.getLogger(name);
        Level level = level(record.getLevel().intValue());
        if (logger.isEnabledForLevel(level)) {
            logger.atLevel(level).setCause(record.getThrown()).log(formatter.formatMessage(record));
        }
    }

    private static Level level(int jul) {
        if (jul >= java.util.logging.Level.SEVERE.intValue()) {
            return Level.ERROR;
        } else if (jul >= java.util.logging.Level.WARNING.intValue()) {
            return Level.WARN;
        } else if (jul >= java.util.logging.Level.INFO.intValue()) {
            return Level.INFO;
        } else if (jul >= java.util.logging.Level.FINE.intValue()) {
            return Level.DEBUG;
        }
        return Level.TRACE;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
