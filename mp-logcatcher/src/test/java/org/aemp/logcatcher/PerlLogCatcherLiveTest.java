package org.aemp.logcatcher;

import static org.aemp.logcatcher.RecordingAppender.caught;
import static org.aemp.logcatcher.RecordingAppender.kv;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.aemp.Node;
import org.aemp.testing.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live against Perl AnyEvent::MP 2.02 ({@code src/test/perl/logcatcher-peer.pl}), run only when
 * {@code AEMP_PERL5LIB} is set: Perl's own {@code AnyEvent::MP::LogCatcher::catch} catches a Java
 * node, and a Java catcher catches a Perl node, whose {@code AnyEvent::MP::LogCatcher::connect}
 * Perl loads on demand. The Java node is the network's global node and the Perl node its leaf,
 * over CBOR (Perl's choice) and JSON.
 */
@Timeout(90)
class PerlLogCatcherLiveTest {
    private static final Logger app = LoggerFactory.getLogger("test.live");
    private static final String ORIGIN = "\\[perl(?:[+-]\\d+\\.\\d{3}s)?\\]";

    @RegisterExtension
    final TestNodes nodes = new TestNodes();
    private final List<PerlNode> perls = new ArrayList<>();

    @BeforeEach
    void needsPerl() {
        PerlNode.assumePerl();
        RecordingAppender.clear();
    }

    @AfterEach
    void stopPerl() {
        perls.forEach(PerlNode::close);
    }

    private Node java(String framing) {
        return nodes.start("java", b -> b.binds(List.of("127.0.0.1:0")).secret(LogCatcherTest.SECRET).global(true)
                .framingFormat(framing.equals("json") ? List.of("json") : List.of("cbor", "json")));
    }

    private PerlNode perl(String framing, Node java) throws IOException {
        PerlNode p = PerlNode.start("perl-" + framing, "nodeid=perl", "secret=" + LogCatcherTest.SECRET,
                "seeds=" + java.listenAddresses().get(0), "framing=" + (framing.equals("json") ? "json" : ""));
        perls.add(p);
        return p;
    }

    private static Predicate<Map<String, Object>> logFrom(String ctx, String text) {
        return e -> "log".equals(e.get("event")) && ctx.equals(e.get("ctx")) && String.valueOf(e.get("msg")).contains(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cbor", "json"})
    void perlCatchesJavaAtTheChosenLevel(String framing) throws IOException {
        Node java = java(framing);
        LogForwarding forwarding = LogCatcher.serve(java);
        PerlNode perl = perl(framing, java);
        perl.command("catch", "level", "info");
        LogCatcherTest.await(() -> forwarding.catchers().size() == 1, "Perl's catcher to connect");
        assertThat(forwarding.catchers().get(0).node()).isEqualTo("perl");

        app.debug("below-the-level");
        app.info("info from java {}", 1);
        app.warn("warn from java");
        app.error("error from java", new IllegalStateException("boom"));
        // records of one logger arrive in order: a forwarded debug record would be seen first
        Map<String, Object> info = perl.next(logFrom("test.live", ""), "Java's first record");
        assertThat(info).as("Java's first record").isNotNull();
        assertThat(info.get("level")).isEqualTo(7);
        assertThat((String) info.get("msg")).matches("\\[java(?:[+-]\\d+\\.\\d{3}s)?\\] info from java 1");
        Map<String, Object> warn = perl.next(logFrom("test.live", ""), "Java's warning");
        assertThat(warn.get("level")).isEqualTo(5);
        assertThat((String) warn.get("msg")).endsWith("] warn from java");
        Map<String, Object> error = perl.next(logFrom("test.live", ""), "Java's error");
        assertThat(error.get("level")).isEqualTo(4);
        assertThat((String) error.get("msg")).contains("] error from java\njava.lang.IllegalStateException: boom\n\tat ");

        // catch undef: Perl kills its port, the Java node stops forwarding
        perl.command("catch", "level", null);
        LogCatcherTest.await(() -> forwarding.catchers().isEmpty(), "Perl's catcher to go");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cbor", "json"})
    void javaCatchesPerlWithLevelsMapped(String framing) throws IOException {
        Node java = java(framing);
        Catcher catcher = LogCatcher.catchLogs(java, LogLevel.NOTE);
        PerlNode perl = perl(framing, java);
        LogCatcherTest.await(() -> catcher.nodes().contains("perl"), "the catcher to find the Perl node");

        // nothing tells when Perl has attached its forwarding: log until a record comes through
        ILoggingEvent first = null;
        for (int i = 0; first == null; i++) {
            assertThat(i).as("attempts").isLessThan(100);
            perl.command("log", "level", "warn", "msg", "hello " + i);
            List<ILoggingEvent> seen = RecordingAppender.within(Duration.ofMillis(200), caught("perl", "main: hello "));
            first = seen.isEmpty() ? null : seen.get(0);
        }
        assertThat(first.getLevel()).isEqualTo(Level.WARN);
        assertThat(kv(first, "aemp_level")).isEqualTo(5);
        assertThat(kv(first, "aemp_context")).isEqualTo("main");
        assertThat(first.getLoggerName()).isEqualTo("org.aemp.logcatcher.remote.perl");

        perl.command("log", "level", "debug", "msg", "perl debug");
        perl.command("log", "level", "note", "msg", "perl note");
        perl.command("log", "level", "critical", "msg", "perl critical");
        perl.command("log", "level", "alert", "msg", "two\nlines");
        ILoggingEvent note = RecordingAppender.next(caught("perl", "main: perl "));
        assertThat(note.getFormattedMessage()).matches(ORIGIN + " main: perl note"); // not the debug one
        assertThat(note.getLevel()).isEqualTo(Level.INFO);
        assertThat(kv(note, "aemp_level")).isEqualTo(6);
        ILoggingEvent critical = RecordingAppender.next(caught("perl", "main: perl "));
        assertThat(critical.getFormattedMessage()).endsWith("main: perl critical");
        assertThat(critical.getLevel()).isEqualTo(Level.ERROR);
        assertThat(kv(critical, "aemp_level")).isEqualTo(3);
        ILoggingEvent alert = RecordingAppender.next(caught("perl", "main: two"));
        assertThat(alert.getFormattedMessage()).endsWith("main: two\\x0alines");
        assertThat(kv(alert, "aemp_level")).isEqualTo(2);

        catcher.close();
        // the port is gone: whatever Perl still sends is dropped here
        perl.command("log", "level", "error", "msg", "after close");
        assertThat(RecordingAppender.within(Duration.ofMillis(500), caught("perl", "after close"))).isEmpty();
    }
}
