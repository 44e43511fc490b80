/**
 * {@code AnyEvent::MP::LogCatcher} for {@code org.aemp.core}: catching other nodes' log records and
 * forwarding this JVM's. The Logback appender needs Logback only when it is used.
 */
module org.aemp.logcatcher {
    requires transitive org.aemp.core;
    // LogCatcherServiceProvider is an SLF4J provider; LogCatcherHandler a java.util.logging handler
    requires transitive org.slf4j;
    requires transitive java.logging;
    requires static transitive ch.qos.logback.classic;
    requires static transitive ch.qos.logback.core;

    exports org.aemp.logcatcher;

    // LogCatcherServiceProvider finds the real SLF4J provider that it wraps
    uses org.slf4j.spi.SLF4JServiceProvider;
    provides org.aemp.Service with org.aemp.logcatcher.LogCatcherService, org.aemp.logcatcher.CatchService;
}
