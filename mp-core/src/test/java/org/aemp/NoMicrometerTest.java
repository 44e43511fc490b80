package org.aemp;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * mp-core does not depend on Micrometer, not even through another library: its class path (this
 * test's) has none of it. Metrics are mp-metrics' business, so a node without it pays nothing;
 * mp-metrics' NoMetricsCostTest checks that a node loads none of it even when it is there.
 */
class NoMicrometerTest {
    @Test
    void micrometerIsNotOnMpCoresClassPath() {
        assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry"))
                .isInstanceOf(ClassNotFoundException.class);
    }
}
