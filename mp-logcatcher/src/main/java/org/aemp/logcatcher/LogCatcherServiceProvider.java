package org.aemp.logcatcher;

import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPLoggerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.helpers.Reporter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * An SLF4J provider that wraps the real one: every SLF4J logger it hands out passes each record
 * to {@link LogTap} (so that serving nodes forward it) and then to the real backend. The choice for
 * backends without an adapter here (slf4j-simple, Log4j 2's SLF4J binding, ...). Not registered
 * as a service, so it is never picked by accident; select it with the system property SLF4J reads:
 *
 * <pre>{@code
 * java -Dslf4j.provider=org.aemp.logcatcher.LogCatcherServiceProvider ...
 * }</pre>
 * The real provider is the one named by {@value #DELEGATE_PROPERTY} (a class name), else the first
 * other provider on the class path, else none: then records are forwarded and otherwise dropped.
 *
 * <p>A logger reports a level as enabled when the backend or a catcher wants it, so records a
 * catcher asked for are made even if the backend would discard them; the backend still gets only
 * what it enables. Backends that show the caller's location see the application's call for
 * Logback (which reads the SLF4J 2 event's caller boundary); others may show this wrapper.
 * With Logback, prefer {@link LogCatcherAppender}; with java.util.logging, {@link LogCatcherHandler}.
 *
 * <p>SLF4J creates and initializes it once, on the first logger request.
 */
public final class LogCatcherServiceProvider implements SLF4JServiceProvider {
    /** System property naming the class of the SLF4J provider to wrap. */
    public static final String DELEGATE_PROPERTY = "org.aemp.logcatcher.delegate";

    private volatile ILoggerFactory loggerFactory;
    private volatile IMarkerFactory markerFactory;
    private volatile MDCAdapter mdcAdapter;

    /** For {@link ServiceLoader} and the {@code slf4j.provider} property: does nothing until {@link #initialize()}. */
    public LogCatcherServiceProvider() {
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        SLF4JServiceProvider delegate = findDelegate();
        ILoggerFactory factory;
        if (delegate != null) {
            delegate.initialize();
            factory = delegate.getLoggerFactory();
            markerFactory = delegate.getMarkerFactory();
            mdcAdapter = delegate.getMDCAdapter();
        } else {
            Reporter.warn("org.aemp.logcatcher.LogCatcherServiceProvider found no SLF4J provider to wrap: log records"
                    + " are only forwarded to log catchers. Add a backend (logback-classic, slf4j-simple, ...).");
            factory = new NOPLoggerFactory();
            markerFactory = new BasicMarkerFactory();
            mdcAdapter = new NOPMDCAdapter();
        }
        Map<String, Logger> loggers = new ConcurrentHashMap<>();
        loggerFactory = name -> loggers.computeIfAbsent(name, n -> new ForwardingLogger(n, factory.getLogger(n)));
    }

    private static SLF4JServiceProvider findDelegate() {
        ClassLoader loader = LogCatcherServiceProvider.class.getClassLoader();
        String named = System.getProperty(DELEGATE_PROPERTY);
        if (named != null && !named.isBlank()) {
            try {
                Class<?> c = Class.forName(named.trim(), true, loader);
                return (SLF4JServiceProvider) c.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
                Reporter.error("cannot use " + named + " (" + DELEGATE_PROPERTY + ") as the SLF4J provider: " + e, e);
            }
        }
        var it = ServiceLoader.load(SLF4JServiceProvider.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return null;
                }
                SLF4JServiceProvider p = it.next();
                if (!(p instanceof LogCatcherServiceProvider)) {
                    return p;
                }
            } catch (ServiceConfigurationError e) {
                Reporter.error("an SLF4J provider could not be loaded", e);
            }
        }
    }
}
