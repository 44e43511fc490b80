package org.aemp.logcatcher;

import static org.aemp.logcatcher.LogCatcherTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import org.aemp.Node;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testing.logging.LogEvent;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The three ways records reach the forwarding: Logback's appender, the java.util.logging handler
 * and the wrapping SLF4J provider. A raw port on the catching node connects and sees the records
 * as they travel. This JVM's SLF4J provider is aemp-test-logging's, not Logback: the appender's
 * test builds a Logback {@link LoggerContext} of its own.
 */
@Timeout(60)
class AdaptersTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private Node catcherNode;
    private Node served;
    private LogForwarding forwarding;
    private PortId port;
    private final Probe<List<Object>> got = new Probe<>();
    private String context;

    @BeforeEach
    void connect() {
        catcherNode = nodes.start("catcher", b -> b.binds(List.of("127.0.0.1:0")).secret(LogCatcherTest.SECRET)
                .framingFormat(List.of("json")).global(true));
        served = nodes.start("served", b -> b.binds(List.of("127.0.0.1:0")).secret(LogCatcherTest.SECRET)
                .framingFormat(List.of("json")).seeds(catcherNode.listenAddresses()));
        await(() -> catcherNode.upNodes().contains("served"), "the link");
        forwarding = LogCatcher.serve(served);
        port = catcherNode.newPort((ctx, m) -> {
            if (m.get(1).equals(context)) {
                got.put(m);
            }
        });
    }

    private void connectAt(Object level) {
        catcherNode.send(served.nodePort(), LogCatcher.CONNECT, 0, port.toString(), level);
        int wanted = LogLevel.threshold(level);
        await(() -> LogTap.subscriptions().stream().anyMatch(s -> s.catcher.equals(port) && s.level() == wanted)
                && LogTap.isEnabled(LogLevel.of(wanted)), "the connect at " + level);
    }

    @AfterEach
    void stop() {
        forwarding.close();
    }

    @Test
    void logbackAppenderForwardsWithLogbackLevelsMapped() {
        context = "test.logback";
        LoggerContext logback = new LoggerContext();
        LogCatcherAppender appender = new LogCatcherAppender();
        appender.setContext(logback);
        appender.start();
        ch.qos.logback.classic.Logger logger = logback.getLogger(context);
        logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
        logger.addAppender(appender);
        try {
            connectAt("info");
            logger.debug("not forwarded");
            logger.info("info {}", 1);
            logger.warn("warn");
            logger.error("error", new IllegalArgumentException("bad"));
            assertThat(got.next().subList(1, 4)).containsExactly(context, 7, "info 1");
            assertThat(got.next().subList(1, 4)).containsExactly(context, 5, "warn");
            List<Object> error = got.next();
            assertThat(error.subList(1, 3)).containsExactly(context, 4);
            assertThat((String) error.get(3)).startsWith("error\njava.lang.IllegalArgumentException: bad\n\tat ");

            connectAt("trace");
            logger.trace("below the logger's level: never reaches the appender");
            logger.debug("now forwarded");
            assertThat(got.next().subList(1, 4)).containsExactly(context, 8, "now forwarded");
        } finally {
            logback.stop();
        }
    }

    @Test
    void julHandlerForwardsWithJulLevelsMapped() {
        context = "test.jul";
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(context);
        LogCatcherHandler handler = new LogCatcherHandler();
        jul.setUseParentHandlers(false);
        jul.setLevel(java.util.logging.Level.ALL);
        jul.addHandler(handler);
        try {
            connectAt("info");
            jul.fine("not forwarded");
            jul.log(java.util.logging.Level.CONFIG, "config {0}", 1);
            jul.log(java.util.logging.Level.SEVERE, "severe", new IllegalArgumentException("bad"));
            assertThat(got.next().subList(1, 4)).containsExactly(context, 7, "config 1");
            List<Object> severe = got.next();
            assertThat(severe.subList(1, 3)).containsExactly(context, 4);
            assertThat((String) severe.get(3)).startsWith("severe\njava.lang.IllegalArgumentException: bad\n\tat ");
        } finally {
            jul.removeHandler(handler);
        }
    }

    @Test
    void slf4jProviderWrapsAnotherBackendAndForwards() {
        context = "test.wrapped";
        System.setProperty(LogCatcherServiceProvider.DELEGATE_PROPERTY, "org.slf4j.helpers.NOP_FallbackServiceProvider");
        LogCatcherServiceProvider provider = new LogCatcherServiceProvider();
        try {
            provider.initialize();
        } finally {
            System.clearProperty(LogCatcherServiceProvider.DELEGATE_PROPERTY);
        }
        Logger logger = provider.getLoggerFactory().getLogger(context);
        assertThat(provider.getLoggerFactory().getLogger(context)).isSameAs(logger);

        connectAt(7);
        // the NOP backend enables nothing: only the catcher decides
        assertThat(logger.isInfoEnabled()).isTrue();
        assertThat(logger.isDebugEnabled()).isFalse();
        logger.debug("not forwarded");
        logger.info("classic {} {}", 1, "two");
        logger.atWarn().addKeyValue("k", "v").log("fluent {}", 3);
        logger.error("thrown", new IllegalStateException("x"));
        assertThat(got.next().subList(1, 4)).containsExactly(context, 7, "classic 1 two");
        assertThat(got.next().subList(1, 4)).containsExactly(context, 5, "fluent 3 k=v");
        assertThat((String) got.next().get(3)).startsWith("thrown\njava.lang.IllegalStateException: x\n\tat ");

        connectAt("debug");
        assertThat(logger.isDebugEnabled()).isTrue();
        assertThat(logger.isTraceEnabled()).isFalse();
        logger.debug("now forwarded");
        assertThat(got.next().subList(1, 4)).containsExactly(context, 8, "now forwarded");
    }

    @Test
    void slf4jProviderWrappingTheTestProviderHandsEachRecordToBoth(TestLogs logs) {
        context = "test.both";
        Logger logger = LogCatcherTest.tapped(context);
        connectAt("info");
        logger.debug("neither");
        logger.info("info {}", 1);
        logger.atWarn().addKeyValue("k", "v").log("fluent {}", 2);
        assertThat(got.next().subList(1, 4)).containsExactly(context, 7, "info 1");
        assertThat(got.next().subList(1, 4)).containsExactly(context, 5, "fluent 2 k=v");
        // the wrapped backend got them too, the fluent event with its key-value pair
        LogEvent info = logs.await(Caught.PATIENCE, Level.INFO, "^info 1$");
        assertThat(info.logger()).isEqualTo(context);
        LogEvent warn = logs.await(Caught.PATIENCE, Level.WARN, "^k=v fluent 2$");
        assertThat(warn.logger()).isEqualTo(context);
        assertThat(logs.events()).noneMatch(e -> e.message().equals("neither"));
    }
}
