package org.aemp.logcatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.aemp.Node;
import org.aemp.testing.TestNodes;
import org.aemp.testing.logging.LogEvent;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Live against Perl AnyEvent::MP 2.02 ({@code src/test/perl/logcatcher-peer.pl}), run only when
 * {@code AEMP_PERL5LIB} is set: Perl's own {@code AnyEvent::MP::LogCatcher::catch} catches a Java
 * node, and a Java catcher catches a Perl node, whose {@code AnyEvent::MP::LogCatcher::connect}
 * Perl loads on demand. The Java node is the network's global node and the Perl node its leaf,
 * over CBOR (Perl's choice) and JSON. The Java side logs on {@code test.live}, a logger that hands
 * its records to {@link LogTap} ({@link LogCatcherTest#tapped}); what it catches is logged again and
 * read back from the test's log ({@link TestLogs}).
 */
@Timeout(90)
class PerlLogCatcherLiveTest {
    private static final String APP = "test.live";
    private static final Logger app = LogCatcherTest.tapped(APP);
    private static final String ORIGIN = "\\[perl(?:[+-]\\d+\\.\\d{3}s)?\\]";

    @RegisterExtension
    final TestNodes nodes = new TestNodes();
    private final List<PerlNode> perls = new ArrayList<>();

    private TestLogs logs;

    @BeforeEach
    void needsPerl(TestLogs logs) {
        PerlNode.assumePerl();
        this.logs = logs;
        logs.allow(Level.WARN, APP, "").allow(Level.ERROR, APP, ""); // meant to be forwarded
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
        logs.allow(Level.WARN, Catcher.remoteLoggerName("perl"), "main: hello ");
        LogEvent first = null;
        for (int i = 0; first == null; i++) {
            assertThat(i).as("attempts").isLessThan(100);
            perl.command("log", "level", "warn", "msg", "hello " + i);
            List<LogEvent> seen = Caught.after(logs, Duration.ofMillis(200), Caught.from("perl", "main: hello "));
            first = seen.isEmpty() ? null : seen.get(0);
        }
        Caught hello = Caught.of(first);
        assertThat(first.level()).isEqualTo(Level.WARN);
        assertThat(hello.aempLevel()).isEqualTo(5);
        assertThat(hello.context()).isEqualTo("main");
        assertThat(first.logger()).isEqualTo("org.aemp.logcatcher.remote.perl");

        perl.command("log", "level", "debug", "msg", "perl debug");
        perl.command("log", "level", "note", "msg", "perl note");
        perl.command("log", "level", "critical", "msg", "perl critical");
        perl.command("log", "level", "alert", "msg", "two\nlines");
        Caught note = Caught.await(logs, Level.INFO, "perl", "main: perl ");
        assertThat(note.text()).matches(ORIGIN + " main: perl note");
        assertThat(note.event().level()).isEqualTo(Level.INFO);
        assertThat(note.aempLevel()).isEqualTo(6);
        Caught critical = Caught.await(logs, Level.ERROR, "perl", "main: perl ");
        assertThat(critical.text()).endsWith("main: perl critical");
        assertThat(critical.event().level()).isEqualTo(Level.ERROR);
        assertThat(critical.aempLevel()).isEqualTo(3);
        Caught alert = Caught.await(logs, Level.ERROR, "perl", "main: two");
        assertThat(alert.text()).endsWith("main: two\\x0alines");
        assertThat(alert.aempLevel()).isEqualTo(2);
        // one sender, one port: in order, and the debug record (below note) never came
        assertThat(List.of(note.event().sequence(), critical.event().sequence(), alert.event().sequence())).isSorted();
        assertThat(logs.events()).noneMatch(Caught.from("perl", "perl debug"));

        catcher.close();
        // the port is gone: whatever Perl still sends is dropped here
        perl.command("log", "level", "error", "msg", "after close");
        assertThat(Caught.after(logs, Duration.ofMillis(500), Caught.from("perl", "after close"))).isEmpty();
    }
}
