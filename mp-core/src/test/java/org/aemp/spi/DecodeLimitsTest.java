package org.aemp.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecodeLimitsTest {

    @Test
    void theDefaultsFollowTheFrameLength() {
        DecodeLimits l = DecodeLimits.of(64 << 20);
        assertThat(l.maxFrameLength()).isEqualTo(64 << 20);
        assertThat(l.maxElements()).isEqualTo(1_000_000);
        assertThat(l.bufferBudget()).isEqualTo(256L << 20);
        assertThat(l.bufferedBytes()).isZero();
        assertThat(DecodeLimits.of(1000).maxElements()).as("at most one value per byte").isEqualTo(1000);
        assertThat(DecodeLimits.of(Integer.MAX_VALUE).bufferBudget()).isEqualTo(4L * Integer.MAX_VALUE);
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> DecodeLimits.of(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxFrameLength must be > 0: 0");
        assertThatThrownBy(() -> DecodeLimits.of(100, 0, 100)).hasMessage("maxElements must be > 0: 0");
        assertThatThrownBy(() -> DecodeLimits.of(100, 10, -1)).hasMessage("bufferBudget must be >= 0: -1");
        assertThat(DecodeLimits.of(100, 500, 0).maxElements()).isEqualTo(100);
    }

    @Test
    void theBudgetIsReservedAndReleasedWithoutEverGoingOver() {
        DecodeLimits l = DecodeLimits.of(100, 10, 1000);
        assertThat(l.reserve(600)).isTrue();
        assertThat(l.reserve(401)).isFalse();
        assertThat(l.reserve(400)).isTrue();
        assertThat(l.reserve(1)).isFalse();
        assertThat(l.bufferedBytes()).isEqualTo(1000);
        l.release(1000);
        assertThat(l.bufferedBytes()).isZero();
        assertThat(l.toString()).isEqualTo("DecodeLimits[maxFrameLength=100, maxElements=10, bufferBudget=1000,"
                + " bufferedBytes=0]");
    }
}
