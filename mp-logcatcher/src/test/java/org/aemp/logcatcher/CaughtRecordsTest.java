package org.aemp.logcatcher;

import static org.aemp.logcatcher.RecordingAppender.caught;
import static org.aemp.logcatcher.RecordingAppender.kv;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.aemp.Node;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The catching side against a hand-made sender: the caught node answers connect with its own
 * function and sends the records a Perl node would send, and records no node should send.
 */
@Timeout(60)
class CaughtRecordsTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private static final String ORIGIN = "\\[perlish(?:[+-]\\d+\\.\\d{3}s)?\\]";

    private Node catcherNode;
    private Node sender;
    private PortId port;

    @BeforeEach
    void connect() {
        RecordingAppender.clear();
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

    private ILoggingEvent next(String text) {
        return RecordingAppender.next(caught("perlish", text));
    }

    @Test
    void perlLevelsMapToSlf4jAndKeepTheirNumber() {
        sender.send(port, now(), "AnyEvent::MP::Kernel", 6, "a note");
        sender.send(port, now(), "main", "3", "critical, as a string");
        sender.send(port, now(), "main", 1, "fatal");
        sender.send(port, now(), "main", 9, "trace");
        sender.send(port, String.valueOf(now()), "main", 8.0, "debug, time as a string");

        ILoggingEvent note = next("a note");
        assertThat(note.getFormattedMessage()).matches(ORIGIN + " AnyEvent::MP::Kernel: a note");
        assertThat(note.getLevel()).isEqualTo(Level.INFO);
        assertThat(kv(note, "aemp_level")).isEqualTo(6);
        assertThat(kv(note, "aemp_context")).isEqualTo("AnyEvent::MP::Kernel");
        assertThat(note.getLoggerName()).isEqualTo("org.aemp.logcatcher.remote.perlish");

        ILoggingEvent critical = next("critical");
        assertThat(critical.getLevel()).isEqualTo(Level.ERROR);
        assertThat(kv(critical, "aemp_level")).isEqualTo(3);
        ILoggingEvent fatal = next("fatal");
        assertThat(fatal.getLevel()).isEqualTo(Level.ERROR);
        assertThat(kv(fatal, "aemp_level")).isEqualTo(1);
        // the sender decides what to send; the catcher logs what comes
        assertThat(next("trace").getLevel()).isEqualTo(Level.TRACE);
        assertThat(next("debug, time").getLevel()).isEqualTo(Level.DEBUG);
    }

    @Test
    void anOldRecordShowsHowOldItIs() {
        sender.send(port, now() - 2.5, "main", 5, "late");
        assertThat(next("late").getFormattedMessage()).matches("\\[perlish\\+2\\.5\\d\\ds\\] main: late");
    }

    @Test
    void peerTextIsEscapedAndCut() {
        sender.send(port, now(), "ma\nin", 5, "line1\nline2\u001b[31m red \u0085 \u2028 tab\t");
        sender.send(port, now(), "c".repeat(1000), 5, "y".repeat(100_000));
        ILoggingEvent escaped = next("line1");
        assertThat(escaped.getFormattedMessage().replaceFirst(ORIGIN, "[perlish]"))
                .isEqualTo("[perlish] ma\\x0ain: line1\\x0aline2\\x1b[31m red \\x85 \\x{2028} tab\\x09");
        assertThat(kv(escaped, "aemp_context")).isEqualTo("ma\\x0ain");
        ILoggingEvent cut = next("yyy");
        assertThat(cut.getFormattedMessage()).hasSizeLessThan(LogTap.MAX_MESSAGE_CHARS + Catcher.MAX_CONTEXT_CHARS + 100)
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

        ILoggingEvent warning = RecordingAppender.next(e -> e.getLoggerName().equals(Catcher.class.getName())
                && e.getLevel() == Level.WARN);
        // local delivery may overtake the link: either the wrong sender or the first bad record is reported
        assertThat(warning.getFormattedMessage()).isIn("log record from node perlish ignored: expected [time,"
                + " context, level, message], got time String yesterday, context String main, level Integer 5,"
                + " message String bad time", "log record for the port of node perlish sent by node catcher: ignored");
        assertThat(next("good after bad").getFormattedMessage()).matches(ORIGIN + " main: good after bad");
        List<ILoggingEvent> more = RecordingAppender.within(Duration.ofMillis(500),
                e -> e.getLoggerName().startsWith("org.aemp.logcatcher") && e.getLevel().isGreaterOrEqual(Level.INFO));
        assertThat(more).as("more warnings or bad records logged").isEmpty();
    }
}
