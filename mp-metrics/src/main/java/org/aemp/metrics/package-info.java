/**
 * Metrics and flight recording for a node: {@link org.aemp.metrics.AempMetrics} binds a node's
 * numbers to a Micrometer {@code MeterRegistry}, and {@link org.aemp.metrics.AempJfr} turns its link
 * events and failures into JDK Flight Recorder events. Both read what mp-core exposes
 * ({@link org.aemp.Node#stats()}, {@link org.aemp.Node#monitorNodes},
 * {@link org.aemp.Node#monitorIncidents}); mp-core knows nothing of them, so a node without this
 * module has no Micrometer class loaded and pays nothing.
 */
package org.aemp.metrics;
