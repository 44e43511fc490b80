package org.aemp.logcatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogLevelTest {

    @Test
    void aliasesAsAnyEventLogKnowsThem() {
        assertThat(LogLevel.parse("emerg")).contains(LogLevel.FATAL);
        assertThat(LogLevel.parse("crit")).contains(LogLevel.CRITICAL);
        assertThat(LogLevel.parse("err")).contains(LogLevel.ERROR);
        assertThat(LogLevel.parse("warning")).contains(LogLevel.WARN);
        assertThat(LogLevel.parse("notice")).contains(LogLevel.NOTE);
        assertThat(LogLevel.parse("SEVERE")).contains(LogLevel.ERROR);
        assertThat(LogLevel.parse("fine")).contains(LogLevel.DEBUG);
    }

    @Test
    void whatIsNoLevel() {
        for (Object v : new Object[] {null, 0, 10, -1, 9.5, "0", "ten", "", true, List.of(5), Map.of("l", 5),
                new BigInteger("100000000000000000000"), "all", "off"}) {
            assertThat(LogLevel.parse(v)).as(String.valueOf(v)).isEmpty();
        }
    }

    @Test
    void thresholdsAlsoKnowOffAndAll() {
        assertThat(LogLevel.threshold("off")).isZero();
        assertThat(LogLevel.threshold("NONE")).isZero();
        assertThat(LogLevel.threshold(0)).isZero();
        assertThat(LogLevel.threshold("all")).isEqualTo(9);
        assertThat(LogLevel.threshold("info")).isEqualTo(7);
        assertThat(LogLevel.threshold(List.of())).isEqualTo(-1);
    }

    @Test
    void julLevels() {
        assertThat(LogLevel.fromJul(java.util.logging.Level.SEVERE)).isEqualTo(LogLevel.ERROR);
        assertThat(LogLevel.fromJul(java.util.logging.Level.WARNING)).isEqualTo(LogLevel.WARN);
        assertThat(LogLevel.fromJul(java.util.logging.Level.INFO)).isEqualTo(LogLevel.INFO);
        assertThat(LogLevel.fromJul(java.util.logging.Level.CONFIG)).isEqualTo(LogLevel.INFO);
        assertThat(LogLevel.fromJul(java.util.logging.Level.FINE)).isEqualTo(LogLevel.DEBUG);
        assertThat(LogLevel.fromJul(java.util.logging.Level.FINER)).isEqualTo(LogLevel.DEBUG);
        assertThat(LogLevel.fromJul(java.util.logging.Level.FINEST)).isEqualTo(LogLevel.TRACE);
    }

    @Test
    void ofNamesTheValidRange() {
        assertThatThrownBy(() -> LogLevel.of(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid AEMP log level 0: expected 1 (fatal) to 9 (trace)");
    }

    @Test
    void textIsEscapedAndCut() {
        assertThat(Text.safe("plain", 10)).isEqualTo("plain");
        assertThat(Text.safe("a\u0000b\u007f\r\n", 10)).isEqualTo("a\\x00b\\x7f\\x0d\\x0a");
        assertThat(Text.safe("abcdef", 3)).isEqualTo("abc...[3 more chars]");
        assertThat(Text.safe("ab\uD83D\uDE00", 3)).isEqualTo("ab...[2 more chars]"); // a pair is not split
        assertThat(Text.safe("ümlaut € \u2029", 20)).isEqualTo("ümlaut € \\x{2029}");
    }

    @Test
    void tapNeverForwardsCaughtRecordsOrPerMessageTraces() {
        assertThat(LogTap.isExcluded("org.aemp.logcatcher.remote.perl")).isTrue();
        assertThat(LogTap.isExcluded("org.aemp.logcatcher.remote")).isTrue();
        assertThat(LogTap.isExcluded("org.aemp.trace")).isTrue();
        assertThat(LogTap.isExcluded("org.aemp.logcatcher.remoteness")).isFalse();
        assertThat(LogTap.isExcluded("org.aemp.logcatcher.Catcher")).isFalse();
        assertThat(Catcher.remoteLoggerName("perl/host.example.com")).isEqualTo("org.aemp.logcatcher.remote.perl/host_example_com");
    }
}
