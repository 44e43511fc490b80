package org.aemp.testing.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Runs the sample classes below on the JUnit Platform, in this JVM, as the build runs tests (the
 * extension found by auto-detection, the jqwik hook through its service file), and checks the
 * verdicts and what was printed. The samples run only when asked to: several fail on purpose.
 */
@Timeout(60)
class TestLogsExtensionTest {
    private static final String SAMPLES = "aemp.test.logging.samples";
    private static final Logger log = LoggerFactory.getLogger("sample");

    /** What a run gave: each test method's result, and what the extension printed. */
    private record Run(Map<String, TestExecutionResult> results, String printed) {
        TestExecutionResult result(String method) {
            assertThat(results).containsKey(method);
            return results.get(method);
        }

        String failure(String method) {
            TestExecutionResult r = result(method);
            assertThat(r.getStatus()).as(method).isEqualTo(TestExecutionResult.Status.FAILED);
            return r.getThrowable().orElseThrow().getMessage();
        }
    }

    private static Run run(Class<?> samples) {
        Map<String, TestExecutionResult> results = new TreeMap<>();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream before = LogRecorder.instance().redirect(new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.setProperty(SAMPLES, "true");
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(samples))
                    .configurationParameter("jqwik.reporting.usejunitplatform", "true") // not on System.out
                    .build(), new TestExecutionListener() {
                        @Override
                        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                            id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                                    .ifPresent(m -> results.put(m.getMethodName(), result));
                            if (id.isContainer() && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                                results.put("<class>", result);
                            }
                        }
                    });
        } finally {
            System.clearProperty(SAMPLES);
            LogRecorder.instance().redirect(before);
        }
        return new Run(results, printed.toString(StandardCharsets.UTF_8));
    }

    @EnabledIfSystemProperty(named = SAMPLES, matches = "true")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class JupiterSamples {
        @BeforeAll
        static void allowForTheWholeClass(TestLogs logs) {
            logs.allow(Level.WARN, "class-wide");
        }

        @Test
        void logsAnUnexpectedError() {
            log.error("sample error");
        }

        @Test
        void declaresWhatItLogs(TestLogs logs) {
            logs.allow(Level.WARN, "sample warn");
            log.warn("sample warn 1");
            log.warn("class-wide warn");
        }

        @Test
        void failsOnItsOwn() {
            log.info("before the failure");
            fail("boom");
        }

        @Test
        void expectsWhatNeverComes(TestLogs logs) {
            logs.expect(Level.WARN, "never");
        }

        @Test
        void awaitsAWarnFromAnotherThread(TestLogs logs) {
            new Thread(() -> log.warn("late warn"), "late-thread").start();
            logs.await(Duration.ofSeconds(10), Level.WARN, "late warn");
        }

        static final CountDownLatch release = new CountDownLatch(1);
        static final CountDownLatch logged = new CountDownLatch(1);

        @Test
        @Order(1)
        void leavesAThreadBehind() {
            Thread t = new Thread(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    return;
                }
                log.warn("straggler of the earlier test");
                logged.countDown();
            }, "left-behind");
            t.setDaemon(true);
            t.start();
        }

        @Test
        @Order(2)
        void runsWhileTheStragglerLogs() throws InterruptedException {
            release.countDown();
            logged.await();
        }
    }

    private static Run jupiter;

    private static synchronized Run jupiter() {
        if (jupiter == null) {
            jupiter = run(JupiterSamples.class);
        }
        return jupiter;
    }

    @Test
    void aTestThatLogsAnUnexpectedErrorFailsWithTheEventInTheMessage() {
        Run run = jupiter();

        assertThat(run.failure("logsAnUnexpectedError"))
                .startsWith("JupiterSamples.logsAnUnexpectedError(): 1 unexpected log event")
                .contains("ERROR sample - sample error");
        assertThat(run.printed()).contains("==== log of JupiterSamples.logsAnUnexpectedError(): 1 event, ! marks");
    }

    @Test
    void declaredEventsPassAndClassRulesApplyToEachTest() {
        Run run = jupiter();

        assertThat(run.result("declaresWhatItLogs").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        assertThat(run.result("awaitsAWarnFromAnotherThread").getStatus())
                .isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        assertThat(run.printed()).doesNotContain("declaresWhatItLogs", "awaitsAWarnFromAnotherThread");
    }

    @Test
    void aFailingTestKeepsItsOwnFailureAndGetsItsLogPrinted() {
        Run run = jupiter();

        assertThat(run.failure("failsOnItsOwn")).isEqualTo("boom");
        assertThat(run.printed()).contains("==== log of JupiterSamples.failsOnItsOwn(): 1 event ====",
                "INFO  sample - before the failure");
    }

    @Test
    void anExpectationThatIsNotMetFailsTheTest() {
        assertThat(jupiter().failure("expectsWhatNeverComes"))
                .isEqualTo("JupiterSamples.expectsWhatNeverComes(): expected but not logged: [WARN matching /never/]");
    }

    @Test
    void anEventCountsForTheTestDuringWhichItWasLoggedWhateverTheThread() {
        Run run = jupiter();

        assertThat(run.result("leavesAThreadBehind").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        assertThat(run.result("runsWhileTheStragglerLogs").getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(run.printed()).contains("[left-behind] WARN  sample - straggler of the earlier test");
        assertThat(run.results()).doesNotContainKey("<class>");
    }

    /** jqwik's counterpart of {@code @EnabledIfSystemProperty}, which jqwik does not process. */
    public static final class OnlyWhenAsked implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return System.getProperty(SAMPLES) != null ? SkipResult.doNotSkip() : SkipResult.skip("a sample");
        }
    }

    @AddLifecycleHook(OnlyWhenAsked.class)
    static class JqwikSamples {
        @Property(tries = 5)
        boolean logsAnUnexpectedWarn(@ForAll int i) {
            log.warn("property warn {}", i);
            return true;
        }

        @Property(tries = 5)
        boolean declaresItsWarn(@ForAll int i) {
            TestLogs.current().allow(Level.WARN, "property warn");
            log.warn("property warn {}", i);
            return true;
        }
    }

    @Test
    void jqwikPropertiesAreJudgedAndPrintedLikeTests() {
        Run run = run(JqwikSamples.class);

        assertThat(run.failure("logsAnUnexpectedWarn"))
                .startsWith("JqwikSamples.logsAnUnexpectedWarn(): 5 unexpected log events");
        assertThat(run.result("declaresItsWarn").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        assertThat(run.printed()).contains("==== log of JqwikSamples.logsAnUnexpectedWarn(): ")
                .doesNotContain("declaresItsWarn");
    }
}
