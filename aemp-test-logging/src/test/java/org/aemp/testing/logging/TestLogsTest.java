package org.aemp.testing.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The scopes themselves, opened inside the scope of each of these tests: an inner scope's events
 * never count for the outer one.
 */
@Timeout(10)
class TestLogsTest {
    private static final Logger log = LoggerFactory.getLogger("sample.logger");
    private static final Logger child = LoggerFactory.getLogger("sample.logger.child");
    private static final Logger other = LoggerFactory.getLogger("sample.other");

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private PrintStream before;

    @BeforeEach
    void capturePrints() {
        before = LogRecorder.instance().redirect(new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restorePrints() {
        LogRecorder.instance().redirect(before);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPassingTestThatLoggedAnUnexpectedWarnGetsAVerdictAndItsLogPrinted() {
        TestLogs logs = TestLogs.open("inner");
        log.info("setting up");
        log.warn("peer {} misbehaved", "p1");

        AssertionError verdict = logs.close(TestLogs.Outcome.PASSED);

        assertThat(verdict).hasMessageStartingWith("inner: 1 unexpected log event (declare the expected ones")
                .hasMessageContaining("WARN  sample.logger - peer p1 misbehaved")
                .hasMessageNotContaining("setting up");
        assertThat(printed()).contains("==== log of inner: 2 events, ! marks the unexpected ====",
                "  ", "INFO  sample.logger - setting up", "! ", "WARN  sample.logger - peer p1 misbehaved",
                "==== end of the log of inner ====");
    }

    @Test
    void aQuietPassingTestPrintsNothing() {
        TestLogs logs = TestLogs.open("inner");
        log.info("lifecycle only");

        assertThat(logs.close(TestLogs.Outcome.PASSED)).isNull();
        assertThat(printed()).isEmpty();
    }

    @Test
    void allowedEventsPassButAnAllowedWarnDoesNotAllowAnError() {
        TestLogs logs = TestLogs.open("inner").allow(Level.WARN, "refused: .*secure mode");
        log.warn("eval request from x refused: remote execution not allowed (secure mode)");
        log.error("eval request from y refused: remote execution not allowed (secure mode)");

        AssertionError verdict = logs.close(TestLogs.Outcome.PASSED);

        assertThat(verdict).hasMessageContaining("1 unexpected log event").hasMessageContaining("ERROR sample.logger");
    }

    @Test
    void aLoggerRuleCoversThatLoggerAndTheOnesBelowItOnly() {
        TestLogs logs = TestLogs.open("inner").allow(Level.WARN, "sample.logger", "dropped");
        log.warn("dropped 1");
        child.warn("dropped 2");
        other.warn("dropped 3");

        AssertionError verdict = logs.close(TestLogs.Outcome.PASSED);

        assertThat(verdict).hasMessageContaining("1 unexpected log event").hasMessageContaining("dropped 3");
    }

    @Test
    void anExpectedEventThatNeverCameFailsTheTest() {
        TestLogs logs = TestLogs.open("inner").expect(Level.ERROR, "died unmonitored");
        log.error("a#b died unmonitored: [boom]");
        TestLogs second = TestLogs.open("second").expect(Level.WARN, "never logged");

        assertThat(second.close(TestLogs.Outcome.PASSED)).hasMessage("second: expected but not logged: "
                + "[WARN matching /never logged/]");
        assertThat(logs.close(TestLogs.Outcome.PASSED)).isNull();
    }

    @Test
    void awaitReturnsAnEventThatAnotherThreadLogsAndAllowsIt() throws InterruptedException {
        TestLogs logs = TestLogs.open("inner");
        CountDownLatch waiting = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                waiting.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.warn("connection to x closed");
        }, "background-1");
        t.start();
        waiting.countDown();

        LogEvent e = logs.await(Duration.ofSeconds(5), Level.WARN, "connection .* closed");
        t.join();

        assertThat(e.thread()).isEqualTo("background-1");
        assertThat(e.logger()).isEqualTo("sample.logger");
        assertThat(logs.close(TestLogs.Outcome.PASSED)).isNull();
    }

    @Test
    void awaitThatTimesOutListsWhatWasLogged() {
        TestLogs logs = TestLogs.open("inner");
        log.info("something else");

        assertThatThrownBy(() -> logs.await(Duration.ofMillis(20), Level.WARN, "never"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("no WARN matching /never/ logged within PT0.02S in inner; logged:")
                .hasMessageContaining("INFO  sample.logger - something else");
        logs.close(TestLogs.Outcome.PASSED);
    }

    @Test
    void eventsBelongToTheScopeThatIsOpenWhenTheyAreLogged() {
        TestLogs first = TestLogs.open("first");
        log.info("one");
        first.close(TestLogs.Outcome.PASSED);
        TestLogs second = TestLogs.open("second");
        log.info("two");

        assertThat(first.events()).extracting(LogEvent::message).containsExactly("one");
        assertThat(second.events()).extracting(LogEvent::message).containsExactly("two");
        second.close(TestLogs.Outcome.PASSED);
    }

    @Test
    void anInnerScopesEventsDoNotCountForTheOuterOneButItsRulesApplyInside() {
        TestLogs outer = TestLogs.open("class").allow(Level.WARN, "class-wide");
        TestLogs inner = TestLogs.open("test");
        log.warn("class-wide rule");
        log.error("inner only");

        assertThat(TestLogs.current()).isSameAs(inner);
        assertThat(inner.close(TestLogs.Outcome.PASSED)).hasMessageContaining("1 unexpected log event")
                .hasMessageContaining("inner only");
        assertThat(TestLogs.current()).isSameAs(outer);
        assertThat(outer.close(TestLogs.Outcome.PASSED)).isNull();
    }

    @Test
    void aFailedTestGetsItsLogPrintedWithStackTracesAndEscapesButNoVerdict() {
        TestLogs logs = TestLogs.open("inner");
        log.warn("got 'HELO\u0000\u0007\nworld'", new IOException("reset\r\nby peer"));

        assertThat(logs.close(TestLogs.Outcome.FAILED)).isNull();

        assertThat(printed()).contains("WARN  sample.logger - got 'HELO\\x00\\x07\\x0aworld'" + System.lineSeparator()
                        + "java.io.IOException: reset" + System.lineSeparator() + "by peer" + System.lineSeparator()
                        + "\tat org.aemp.testing.logging.TestLogsTest.")
                .doesNotContain("\u0000", "\u0007");
    }

    @Test
    void anAbortedTestIsNeitherJudgedNorPrinted() {
        TestLogs logs = TestLogs.open("inner");
        log.error("skipped anyway");

        assertThat(logs.close(TestLogs.Outcome.ABORTED)).isNull();
        assertThat(printed()).isEmpty();
    }

    @Test
    void keyValuePairsOfTheFluentApiComeFirst() {
        TestLogs logs = TestLogs.open("inner");
        log.atInfo().addKeyValue("file", "/tmp/rc").setCause(new IOException("full")).log("cannot keep {}", "x");
        logs.close(TestLogs.Outcome.PASSED);

        assertThat(logs.events()).singleElement().satisfies(e -> {
            assertThat(e.message()).isEqualTo("file=/tmp/rc cannot keep x");
            assertThat(e.cause()).get().asString().isEqualTo("java.io.IOException: full");
        });
    }

    @Test
    void aThrowableAfterTheArgumentsIsTheCauseNotAnArgument() {
        TestLogs logs = TestLogs.open("inner");
        log.info("from {} failed", "peer", new IOException("eof"));
        logs.close(TestLogs.Outcome.PASSED);

        assertThat(logs.events()).singleElement().satisfies(e -> {
            assertThat(e.message()).isEqualTo("from peer failed");
            assertThat(e.cause()).get().asString().isEqualTo("java.io.IOException: eof");
        });
    }

    @Test
    void javaUtilLoggingRecordsAreRecordedToo() {
        TestLogs logs = TestLogs.open("inner").expect(Level.WARN, "jul says 1");
        java.util.logging.Logger.getLogger("sample.jul").log(java.util.logging.Level.WARNING, "jul says {0}", 1);

        assertThat(logs.close(TestLogs.Outcome.PASSED)).isNull();
        assertThat(logs.events()).singleElement().extracting(LogEvent::logger).isEqualTo("sample.jul");
    }

    @Test
    void rulesCannotBeAddedOnceClosed() {
        TestLogs logs = TestLogs.open("inner");
        logs.close(TestLogs.Outcome.PASSED);

        assertThatThrownBy(() -> logs.allow(Level.WARN, "x")).isInstanceOf(IllegalStateException.class)
                .hasMessage("the logs of inner are closed");
    }

    @Test
    void theRunningTestsScopeIsCurrentAndResolvesAsAParameter(TestLogs logs) {
        assertThat(TestLogs.current()).isSameAs(logs);
        assertThat(logs).hasToString("TestLogsTest.theRunningTestsScopeIsCurrentAndResolvesAsAParameter()");
    }

    @Test
    void waitingIsBoundedByTheTimeoutNotBySleeping() {
        TestLogs logs = TestLogs.open("inner");
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> logs.await(Duration.ofMillis(200), Level.WARN, "x")).isInstanceOf(AssertionError.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(190L, 5_000L);
        logs.close(TestLogs.Outcome.PASSED);
    }
}
