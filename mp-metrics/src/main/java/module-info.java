/**
 * Micrometer meters and JFR events for {@code org.aemp.core} nodes. Micrometer 1.x ships as an
 * automatic module ({@code micrometer.core}), so an application that binds the meters requires it
 * itself, as it does to make its registry.
 */
module org.aemp.metrics {
    requires transitive org.aemp.core;
    requires micrometer.core;
    requires jdk.jfr;

    exports org.aemp.metrics;
}
