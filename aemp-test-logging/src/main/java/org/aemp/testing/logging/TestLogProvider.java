package org.aemp.testing.logging;

import java.util.Properties;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J 2 provider for tests, found through
 * {@code META-INF/services/org.slf4j.spi.SLF4JServiceProvider}: every logger records its enabled
 * events in memory, where {@link TestLogs} finds them; nothing is printed unless a test fails or
 * {@code -Daemp.test.logs=console} is given. Levels come from system properties (see
 * {@link LogLevels}): INFO and above by default, {@code -Daemp.test.logs.level.org.aemp.trace=trace}
 * for one logger. It must be the only provider on the test class path.
 *
 * <p>SLF4J creates and initializes the one instance; thread-safe after that.
 */
public final class TestLogProvider implements SLF4JServiceProvider {
    private ILoggerFactory loggerFactory;
    private IMarkerFactory markerFactory;
    private MDCAdapter mdcAdapter;

    /** For {@link java.util.ServiceLoader}. */
    public TestLogProvider() {
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

    /**
     * Reads the levels from the system properties.
     *
     * @throws IllegalArgumentException for a level property that names no level
     */
    @Override
    public void initialize() {
        Properties system = System.getProperties();
        loggerFactory = new RecordingLoggerFactory(LogRecorder.instance(), LogLevels.from(system));
        markerFactory = new BasicMarkerFactory();
        mdcAdapter = new BasicMDCAdapter();
    }
}
