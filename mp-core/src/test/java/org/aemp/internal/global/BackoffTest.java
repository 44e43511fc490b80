package org.aemp.internal.global;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @RepeatedTest(20)
    void theSeedsFirstWaitIsTwiceARandomPointOfTheBase() {
        Backoff b = new Backoff(Seeds.RETRY_BASE, Duration.ofSeconds(30));
        b.reset();
        assertThat(b.next()).isBetween(Duration.ofMillis(1200), Duration.ofMillis(2400));
    }

    @RepeatedTest(20)
    void keepalivesFirstWaitIsSixHundredMillisecondsToTwelveHundred() {
        Backoff b = new Backoff(Keepalive.RETRY_BASE, Duration.ofSeconds(30));
        b.reset();
        assertThat(b.next()).isBetween(Duration.ofMillis(600), Duration.ofMillis(1200));
    }

    @Test
    void theWaitDoublesUpToTheCapAndStartsOverOnReset() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(100));
        b.reset();
        Duration first = b.next();
        assertThat(b.next()).isEqualTo(first.multipliedBy(2));
        assertThat(b.next()).isEqualTo(first.multipliedBy(4));
        for (int i = 0; i < 5; i++) {
            b.next();
        }
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(100));
        b.reset();
        assertThat(b.next()).isLessThan(Duration.ofSeconds(4));
    }
}
