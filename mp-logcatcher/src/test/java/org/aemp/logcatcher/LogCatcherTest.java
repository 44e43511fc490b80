package org.aemp.logcatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testing.logging.LogEvent;
import org.aemp.testing.logging.TestLogProvider;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Java catches Java: two nodes in this JVM over loopback (JSON, hmac_sha3_512), a global node that
 * catches and a node under it that serves. The tests log on {@code test.app}, a logger of
 * {@link LogCatcherServiceProvider} wrapping the test provider ({@link #tapped}), so each record
 * reaches the serving node, which forwards it to the catcher, which logs it again on
 * {@code org.aemp.logcatcher.remote.served}, where the test's log ({@link TestLogs}) holds it.
 */
@Timeout(60)
class LogCatcherTest {
    static final String SECRET = "logcatcher-secret";
    private static final String APP = "test.app";
    private static final Logger app = tapped(APP);
    private static final Duration SHORT = Duration.ofMillis(500);
    /** The origin, with the age of the record when it is 1 ms or more (on loopback, it often is). */
    static final String OFFSET = "\\[served(?:[+-]\\d+\\.\\d{3}s)?\\]";
    private static ILoggerFactory tappedLoggers; // guarded by LogCatcherTest.class

    @RegisterExtension
    final TestNodes nodes = new TestNodes();
    private TestLogs logs;

    /**
     * A logger whose records reach {@link LogTap}, as records do in an application that selects
     * {@link LogCatcherServiceProvider}: the provider wraps aemp-test-logging's, so each record also
     * lands in the running test's log. (This JVM's own SLF4J provider is the test provider, which
     * hands nothing to LogTap: only these loggers are forwarded.)
     */
    static synchronized Logger tapped(String name) {
        if (tappedLoggers == null) {
            System.setProperty(LogCatcherServiceProvider.DELEGATE_PROPERTY, TestLogProvider.class.getName());
            LogCatcherServiceProvider provider = new LogCatcherServiceProvider();
            try {
                provider.initialize();
            } finally {
                System.clearProperty(LogCatcherServiceProvider.DELEGATE_PROPERTY);
            }
            tappedLoggers = provider.getLoggerFactory();
        }
        return tappedLoggers.getLogger(name);
    }

    /** What the tests log on {@code test.app} is meant to be forwarded, warnings and errors included. */
    @BeforeEach
    void allowTheAppsOwnRecords(TestLogs logs) {
        this.logs = logs;
        logs.allow(Level.WARN, APP, "").allow(Level.ERROR, APP, "");
    }

    private Node node(String id, UnaryOperator<NodeConfig.Builder> more) {
        return nodes.start(id, b -> more.apply(b.binds(List.of("127.0.0.1:0")).secret(SECRET)
                .framingFormat(List.of("json"))));
    }

    /** A global node, and a node seeded to it, linked: both appear in the family 'l. */
    private Node[] network() {
        Node catcher = node("catcher", b -> b.global(true));
        Node served = node("served", b -> b.seeds(catcher.listenAddresses()));
        await(() -> catcher.upNodes().contains("served"), "the link between the nodes");
        return new Node[] {catcher, served};
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
            try {
                Thread.sleep(10); // polls the condition itself; nothing to wait on here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @Test
    void javaCatchesJavaAtTheChosenLevelWithLevelsMapped() {
        Node[] n = network();
        LogForwarding forwarding = LogCatcher.serve(n[1]);
        Catcher catcher = LogCatcher.catchLogs(n[0], LogLevel.INFO);
        await(() -> forwarding.catchers().size() == 1, "the catcher to connect");
        assertThat(catcher.nodes()).containsExactly("served");
        assertThat(forwarding.catchers().get(0).node()).isEqualTo("catcher");

        app.debug("below-1");
        app.info("at-1 {}", 42);
        app.warn("warn-1");
        app.error("error-1", new IllegalStateException("boom"));

        Caught info = Caught.await(logs, Level.INFO, "served", "test.app: at-1");
        assertThat(info.text()).matches(OFFSET + " test.app: at-1 42");
        assertThat(info.event().level()).isEqualTo(Level.INFO);
        assertThat(info.aempLevel()).isEqualTo(7);
        assertThat(info.node()).isEqualTo("served");
        assertThat(info.context()).isEqualTo("test.app");
        assertThat(info.time()).isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(60.0));

        Caught warn = Caught.await(logs, Level.WARN, "served", "test.app: warn-1");
        assertThat(warn.text()).endsWith("warn-1");
        assertThat(warn.event().level()).isEqualTo(Level.WARN);
        assertThat(warn.aempLevel()).isEqualTo(5);

        Caught error = Caught.await(logs, Level.ERROR, "served", "test.app: error-1");
        assertThat(error.event().level()).isEqualTo(Level.ERROR);
        assertThat(error.aempLevel()).isEqualTo(4);
        // one sender, one port: records arrive in order, and a forwarded debug record would have come first
        assertThat(List.of(info.event().sequence(), warn.event().sequence(), error.event().sequence())).isSorted();
        assertThat(logs.events()).noneMatch(Caught.from("served", "below-1"));
        // the stack trace travels with the message; its newlines come out escaped
        String text = error.text().replaceFirst(OFFSET, "[served]");
        String start = "[served] test.app: error-1\\x0ajava.lang.IllegalStateException: boom\\x0a\\x09at ";
        assertThat(text.substring(0, start.length())).isEqualTo(start);
        assertThat(text.contains("\n")).isFalse();
    }

    @Test
    void forwardingStopsWhenTheCatcherCloses() {
        Node[] n = network();
        LogForwarding forwarding = LogCatcher.serve(n[1]);
        Catcher catcher = LogCatcher.catchLogs(n[0], "info");
        await(() -> forwarding.catchers().size() == 1, "the catcher to connect");
        app.info("before-close");
        Caught.await(logs, Level.INFO, "served", "before-close");

        catcher.close();
        await(() -> forwarding.catchers().isEmpty(), "the serving node to see the catcher port die");
        assertThat(catcher.nodes()).isEmpty();
        app.info("after-close");
        assertThat(Caught.after(logs, SHORT, Caught.from("served", "after-close"))).isEmpty();
    }

    @Test
    void forwardingStopsWhenTheCatchingNodeGoes() {
        Node[] n = network();
        LogForwarding forwarding = LogCatcher.serve(n[1]);
        LogCatcher.catchLogs(n[0], LogLevel.WARN);
        await(() -> forwarding.catchers().size() == 1, "the catcher to connect");
        n[0].close();
        await(() -> forwarding.catchers().isEmpty(), "the serving node to see the link go");
    }

    @Test
    void aSecondCatchReplacesTheFirst() {
        Node[] n = network();
        LogForwarding forwarding = LogCatcher.serve(n[1]);
        Catcher first = LogCatcher.catchLogs(n[0], LogLevel.INFO);
        await(() -> forwarding.catchers().size() == 1, "the first catcher to connect");
        PortId firstPort = forwarding.catchers().get(0);
        Catcher second = LogCatcher.catchLogs(n[0], LogLevel.WARN);
        assertThat(first.isClosed()).isTrue();
        await(() -> forwarding.catchers().size() == 1 && !forwarding.catchers().contains(firstPort),
                "the second catcher to take over");
        app.info("info-after-replace");
        app.warn("warn-after-replace");
        // one sender, one port: a forwarded info record would have come before the warning
        assertThat(Caught.await(logs, Level.WARN, "served", "test.app: ").text()).endsWith("warn-after-replace");
        assertThat(logs.events()).noneMatch(Caught.from("served", "info-after-replace"));
        LogCatcher.stopCatching(n[0]);
        assertThat(second.isClosed()).isTrue();
        await(() -> forwarding.catchers().isEmpty(), "catching to stop");
    }

    @Test
    void servicesInAProfileServeAndCatch() {
        Node catcher = node("catcher", b -> b.global(true).services(List.of(List.of("AnyEvent::MP::LogCatcher::catch", "warn"))));
        node("served", b -> b.seeds(catcher.listenAddresses()).services(List.of("AnyEvent::MP::LogCatcher::")));
        logs.allow(Level.WARN, Catcher.remoteLoggerName("served"), "service-");
        // nothing to wait on but the records themselves: log until one comes through
        LogEvent got = null;
        for (int i = 0; got == null; i++) {
            app.warn("service-{}", i);
            List<LogEvent> seen = Caught.after(logs, Duration.ofMillis(100), Caught.from("served", "service-"));
            got = seen.isEmpty() ? null : seen.get(0);
            assertThat(i).as("attempts").isLessThan(150);
        }
        assertThat(got.level()).isEqualTo(Level.WARN);
    }

    @Test
    void catchingRefusesWhatIsNoLevel() {
        Node node = node("catcher", b -> b);
        assertThatThrownBy(() -> LogCatcher.catchLogs(node, "loud"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid log level 'loud'");
        assertThatThrownBy(() -> node("bad", b -> b.services(List.of(List.of("AnyEvent::MP::LogCatcher::catch", "x")))))
                .hasMessageContaining("invalid log level String x");
    }

    /**
     * A port listed in {@link LogForwarding#catchers()} gets the records logged from then on.
     * Regression: the port used to be listed before forwarding to it was set up, and a record logged
     * in between was lost ({@link #aSecondCatchReplacesTheFirst} failed that way once in CI). The
     * test holds LogTap's lock, which stalls the connect inside that set-up, so the window stays
     * open until it lets go; a second thread logs the moment the port is listed.
     */
    @Test
    void aListedPortGetsTheNextRecord() throws Exception {
        Node[] n = network();
        LogForwarding forwarding = LogCatcher.serve(n[1]);
        forgetClosedNodes(); // so that no catcher of an earlier test keeps warnings wanted
        Probe<List<Object>> got = new Probe<>();
        PortId port = n[0].newPort((ctx, m) -> {
            if ("test.app".equals(m.get(1))) {
                got.put(m);
            }
        });
        CompletableFuture<Void> logger = CompletableFuture.runAsync(() -> {
            await(() -> forwarding.catchers().contains(port), "the port to be listed");
            app.warn("logged-when-listed");
        });
        synchronized (LogTap.class) { // LogTap.recompute() needs it
            n[0].send(n[1].nodePort(), LogCatcher.CONNECT, 0, port.toString(), "warn");
            await(LogCatcherTest::aThreadWaitsInRecompute, "the connect to reach LogTap.recompute");
        }
        logger.get(20, TimeUnit.SECONDS);
        assertThat(got.next().get(3)).isEqualTo("logged-when-listed");
    }

    /** Stops the forwarding of nodes closed by earlier tests, which would otherwise wait for their next report. */
    private static void forgetClosedNodes() {
        for (Subscription s : LogTap.subscriptions()) {
            if (s.node.isClosed()) {
                s.owner.detach(s, "closed by an earlier test");
            }
        }
    }

    private static boolean aThreadWaitsInRecompute() {
        return Thread.getAllStackTraces().entrySet().stream()
                .anyMatch(e -> e.getKey().getState() == Thread.State.BLOCKED && Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getClassName().equals(LogTap.class.getName())
                                && f.getMethodName().equals("recompute")));
    }

    /** The serving side's wire shape, as a raw port on the catching node sees it. */
    @Test
    void connectGetsPerlShapedRecordsAndRepeatedConnectsChangeTheLevel() {
        Node[] n = network();
        LogForwarding forwarding = LogCatcher.serve(n[1]);
        Probe<List<Object>> got = new Probe<>();
        PortId port = n[0].newPort((ctx, m) -> {
            if ("test.app".equals(m.get(1))) {
                got.put(m);
            }
        });
        n[0].send(n[1].nodePort(), LogCatcher.CONNECT, 0, port.toString(), "warn");
        await(() -> forwarding.catchers().equals(List.of(port)), "the connect");

        app.info("not-sent");
        app.warn("sent {}", "here");
        List<Object> record = got.next();
        assertThat(record).hasSize(4);
        assertThat(record.get(0)).isInstanceOf(Double.class);
        assertThat((Double) record.get(0)).isCloseTo(System.currentTimeMillis() / 1000.0,
                org.assertj.core.data.Offset.offset(10.0));
        assertThat(record.subList(1, 4)).containsExactly("test.app", 5, "sent here");

        // the same port again, at debug: one subscription, each record once
        n[0].send(n[1].nodePort(), LogCatcher.CONNECT, 0, port.toString(), 8);
        await(() -> LogTap.isEnabled(LogLevel.DEBUG) && LogTap.subscriptions().stream()
                .anyMatch(s -> s.catcher.equals(port) && s.level() == 8), "the level change");
        assertThat(forwarding.catchers()).containsExactly(port);
        app.debug("debug-once");
        app.info("marker");
        assertThat(got.next().get(3)).isEqualTo("debug-once");
        assertThat(got.next().get(3)).isEqualTo("marker");

        // level 0: connected, nothing forwarded
        n[0].send(n[1].nodePort(), LogCatcher.CONNECT, 0, port.toString(), "off");
        await(() -> LogTap.subscriptions().stream().anyMatch(s -> s.catcher.equals(port) && s.level() == 0),
                "the level change");
        app.error("not-at-off");
        got.nothingWithin(SHORT);

        n[0].kill(port);
        await(() -> forwarding.catchers().isEmpty(), "the port's death to stop forwarding");
    }

    @Test
    void badConnectRequestsAreRefusedWithOneWarning() {
        Node[] n = network();
        LogForwarding forwarding = LogCatcher.serve(n[1]);
        PortId port = n[0].newPort((ctx, m) -> { });
        PortId to = n[1].nodePort();
        n[0].send(to, LogCatcher.CONNECT, 0, "not a port", 5);
        n[0].send(to, LogCatcher.CONNECT, 0, port.toString(), "loud");
        n[0].send(to, LogCatcher.CONNECT, 0, port.toString(), List.of(5));
        n[0].send(to, LogCatcher.CONNECT, 0, port.toString(), 10);
        n[0].send(to, LogCatcher.CONNECT, 0, port.toString(), true);
        n[0].send(to, LogCatcher.CONNECT);
        n[0].send(to, LogCatcher.CONNECT, 0, "x".repeat(100_000), 5);
        n[0].send(to, LogCatcher.CONNECT, 0, "catcher#", 5);
        // requests run on any worker, so any of them may be the one reported
        LogEvent warning = logs.await(Caught.PATIENCE, Level.WARN, "^log catcher connect from node catcher refused: ");
        assertThat(warning.logger()).isEqualTo(LogForwarding.class.getName());
        assertThat(warning.message()).startsWith("log catcher connect from node catcher refused: ");
        n[0].send(to, LogCatcher.CONNECT, 0, port.toString(), 5);
        await(() -> forwarding.catchers().equals(List.of(port)), "a good connect after the bad ones");
        assertThat(Caught.after(logs, SHORT, e -> e.logger().equals(LogForwarding.class.getName())
                && e.level() == Level.WARN)).as("warnings within a minute").containsExactly(warning);
        assertThat(n[1].isClosed()).isFalse();
    }

    @Test
    void aCatcherThatCannotKeepUpLosesRecordsAndTheLossIsReported() {
        Node[] n = network();
        LogForwarding forwarding = LogCatcher.serve(n[1], new ForwardingLimits(2, 1, 4, Duration.ofMillis(200)));
        PortId port = n[0].newPort((ctx, m) -> { });
        n[0].send(n[1].nodePort(), LogCatcher.CONNECT, 0, port.toString(), 7);
        await(() -> forwarding.catchers().size() == 1, "the connect");
        for (int i = 0; i < 50; i++) {
            app.info("flood {}", i);
        }
        assertThat(forwarding.droppedRecords()).isGreaterThanOrEqualTo(40);
        LogEvent report = logs.await(Caught.PATIENCE, Level.WARN, "^node served dropped ");
        assertThat(report.logger()).isEqualTo(LogForwarding.class.getName());
        assertThat(report.message()).matches(
                "node served dropped \\d+ log records for catcher catcher#\\S+: its queue of 2 records was full");
    }

    @Test
    void tooManyCatchersAreRefused() {
        Node[] n = network();
        LogForwarding forwarding = LogCatcher.serve(n[1], new ForwardingLimits(10, 10, 2, Duration.ofSeconds(10)));
        for (int i = 0; i < 3; i++) {
            n[0].send(n[1].nodePort(), LogCatcher.CONNECT, 0, n[0].newPort((ctx, m) -> { }).toString(), 3);
        }
        LogEvent warning = logs.await(Caught.PATIENCE, Level.WARN, "^log catcher connect from node catcher refused: ");
        assertThat(warning.logger()).isEqualTo(LogForwarding.class.getName());
        assertThat(warning.message()).contains("serves 2 catchers already");
        assertThat(forwarding.catchers()).hasSize(2);
        forwarding.close();
        assertThat(forwarding.catchers()).isEmpty();
    }
}
