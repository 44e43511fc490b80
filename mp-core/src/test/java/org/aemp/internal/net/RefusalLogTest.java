package org.aemp.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.event.Level;
import org.aemp.testing.logging.LogEvent;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Repeated refusals make one line at once and one summary per interval and kind, never a line each. */
class RefusalLogTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void aThousandRefusalsFromOneSourceMakeTwoLines(TestLogs logs) {
        logs.allow(Level.WARN, ".*");
        RefusalLog refusals = new RefusalLog(LoggerFactory.getLogger("refusal-test"), Duration.ofMillis(300), timer);
        for (int i = 0; i < 1000; i++) {
            refusals.warn("10.0.0.1", "failed authentications", "handshake with 10.0.0.1:" + i + " failed: wrong secret");
        }
        refusals.warn("10.0.0.2", "failed authentications", "handshake with 10.0.0.2:1 failed: wrong\nsecret");
        LogEvent summary = logs.await(Duration.ofSeconds(5), Level.WARN, "failed authentications from 10\\.0\\.0\\.1: 999 more");
        assertThat(summary.message()).contains("the last: handshake with 10.0.0.1:999 failed");
        assertThat(logs.events().stream().filter(e -> e.logger().equals("refusal-test")).count()).isEqualTo(3);
        assertThat(logs.events().stream().anyMatch(e -> e.message().contains("wrong\\x0asecret")))
                .as("peer text escaped").isTrue();
    }
}
