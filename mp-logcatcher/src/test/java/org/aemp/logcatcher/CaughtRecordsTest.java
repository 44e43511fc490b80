package org.aemp.logcatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.aemp.Node;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testing.logging.LogEvent;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

/**
 * The catching side against a hand-made sender: the caught node answers connect with its own
 * function and sends the records a Perl node would send, and records no node should send. The
 * catcher logs what it catches again, at the record's level; the test's log ({@link TestLogs})
 * holds it.
 */
@Timeout(60)
class CaughtRecordsTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private static final String ORIGIN = "\\[perlish(?:[+-]\\d+\\.\\d{3}s)?\\]";

    private Node catcherNode;
    private Node sender;
    private PortId port;
    private TestLogs logs;

    @BeforeEach
    void connect(TestLogs logs) {
        this.logs = logs;
        catcherNode = nodes.start("catcher", b -> b.binds(List.of("127.0.0.1:0")).secret(LogCatcherTest.SECRET)
                .framingFormat(List.of("json")).global(true));
        sender = nodes.start("perlish", b -> b.binds(List.of("127.0.0.1:0")).secret(LogCatcherTest.SECRET)
                .framingFormat(List.of("json")).seeds(catcherNode.listenAddresses()));
        Probe<List<Object>> connects = new Probe<>();
        sender.register(LogCatcher.CONNECT, (ctx, args) -> connects.put(List.copyOf(args)));
        LogCatcher.catchLogs(catcherNode, LogLevel.NOTE);
        List<Object> args = connects.next();
        assertThat(args).hasSize(3);
        assertThat(args.get(0)).isEqualTo(0);
        assertThat(args.get(2)).isEqualTo(6);
        port = PortId.parse((String) args.get(1));
        assertThat(port.node()).isEqualTo("catcher");
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    /** Waits for the caught record logged at {@code level} whose text contains {@code text}. */
    private Caught next(Level level, String text) {
        return Caught.await(logs, level, "perlish", Pattern.quote(text));
    }

    @Test
    void perlLevelsMapToSlf4jAndKeepTheirNumber() {
        sender.send(port, now(), "AnyEvent::MP::Kernel", 6, "a note");
        sender.send(port, now(), "main", "3", "critical, as a string");
        sender.send(port, now(), "main", 1, "fatal");
        sender.send(port, now(), "main", 9, "trace");
        sender.send(port, String.valueOf(now()), "main", 8.0, "debug, time as a string");

        Caught note = next(Level.INFO, "a note");
        assertThat(note.text()).matches(ORIGIN + " AnyEvent::MP::Kernel: a note");
        assertThat(note.event().level()).isEqualTo(Level.INFO);
        assertThat(note.aempLevel()).isEqualTo(6);
        assertThat(note.context()).isEqualTo("AnyEvent::MP::Kernel");
        assertThat(note.event().logger()).isEqualTo("org.aemp.logcatcher.remote.perlish");

        Caught critical = next(Level.ERROR, "critical");
        assertThat(critical.event().level()).isEqualTo(Level.ERROR);
        assertThat(critical.aempLevel()).isEqualTo(3);
        Caught fatal = next(Level.ERROR, "fatal");
        assertThat(fatal.event().level()).isEqualTo(Level.ERROR);
        assertThat(fatal.aempLevel()).isEqualTo(1);
        // the sender decides what to send; the catcher logs what comes
        assertThat(next(Level.TRACE, "trace").event().level()).isEqualTo(Level.TRACE);
        assertThat(next(Level.DEBUG, "debug, time").event().level()).isEqualTo(Level.DEBUG);
    }

    @Test
    void anOldRecordShowsHowOldItIs() {
        sender.send(port, now() - 2.5, "main", 5, "late");
        assertThat(next(Level.WARN, "late").text()).matches("\\[perlish\\+2\\.5\\d\\ds\\] main: late");
    }

    @Test
    void peerTextIsEscapedAndCut() {
        sender.send(port, now(), "ma\nin", 5, "line1\nline2\u001b[31m red \u0085 \u2028 tab\t");
        sender.send(port, now(), "c".repeat(1000), 5, "y".repeat(100_000));
        Caught escaped = next(Level.WARN, "line1");
        assertThat(escaped.text().replaceFirst(ORIGIN, "[perlish]"))
                .isEqualTo("[perlish] ma\\x0ain: line1\\x0aline2\\x1b[31m red \\x85 \\x{2028} tab\\x09");
        assertThat(escaped.context()).isEqualTo("ma\\x0ain");
        Caught cut = next(Level.WARN, "yyy");
        assertThat(cut.text()).hasSizeLessThan(LogTap.MAX_MESSAGE_CHARS + Catcher.MAX_CONTEXT_CHARS + 100)
                .endsWith("...[" + (100_000 - LogTap.MAX_MESSAGE_CHARS) + " more chars]")
                .contains("c".repeat(Catcher.MAX_CONTEXT_CHARS) + "...[744 more chars]: yyy");
    }

    @Test
    void badRecordsAreDroppedWithOneWarningAndThePortLives() {
        sender.send(port, "yesterday", "main", 5, "bad time");
        sender.send(port, now(), "main", "loud", "bad level");
        sender.send(port, now(), "main", 0, "level 0");
        sender.send(port, now(), "main", 10, "level 10");
        sender.send(port, now(), "main", null, "no level");
        sender.send(port, now(), List.of("main"), 5, "context is a list");
        sender.send(port, now(), "main", 5, Map.of("message", "is a map"));
        sender.send(port, now(), "main", 5);
        sender.send(port);
        catcherNode.send(port, now(), "main", 5, "from the wrong node");
        sender.send(port, now(), "main", 5, "good after bad");

        // local delivery may overtake the link: either the wrong sender or the first bad record is reported
        LogEvent warning = logs.await(Caught.PATIENCE, Level.WARN, "^log record (from|for the port of) node perlish ");
        assertThat(warning.logger()).isEqualTo(Catcher.class.getName());
        assertThat(warning.message()).isIn("log record from node perlish ignored: expected [time,"
                + " context, level, message], got time String yesterday, context String main, level Integer 5,"
                + " message String bad time", "log record for the port of node perlish sent by node catcher: ignored");
        Caught good = next(Level.WARN, "good after bad");
        assertThat(good.text()).matches(ORIGIN + " main: good after bad");
        List<LogEvent> all = Caught.after(logs, Duration.ofMillis(500),
                e -> e.logger().startsWith("org.aemp.logcatcher") && e.level().toInt() >= Level.INFO.toInt());
        assertThat(all).as("no more warnings, no bad record logged").containsExactlyInAnyOrder(warning, good.event());
    }
}
