package org.aemp.testing.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class LogLevelsTest {

    private static Properties props(String... keysAndValues) {
        Properties p = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    @Test
    void infoByDefault() {
        assertThat(LogLevels.from(props()).threshold("org.aemp.Node")).isEqualTo(Level.INFO.toInt());
    }

    @Test
    void theMostSpecificLoggerNameWinsAndCoversTheLoggersBelowIt() {
        LogLevels levels = LogLevels.from(props("aemp.test.logs.level", "warn",
                "aemp.test.logs.level.org.aemp", "DEBUG", "aemp.test.logs.level.org.aemp.trace", "trace",
                "aemp.test.logs.level.io.netty", "off", "unrelated", "x"));

        assertThat(levels.threshold("org.aemp.trace")).isEqualTo(Level.TRACE.toInt());
        assertThat(levels.threshold("org.aemp.trace.sub")).isEqualTo(Level.TRACE.toInt());
        assertThat(levels.threshold("org.aemp.tracer")).isEqualTo(Level.DEBUG.toInt());
        assertThat(levels.threshold("org.aemp")).isEqualTo(Level.DEBUG.toInt());
        assertThat(levels.threshold("io.netty.util.ResourceLeakDetector")).isEqualTo(LogLevels.OFF);
        assertThat(levels.threshold("com.example")).isEqualTo(Level.WARN.toInt());
        assertThat(levels.threshold("")).isEqualTo(Level.WARN.toInt());
    }

    @Test
    void aValueThatIsNoLevelIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> LogLevels.from(props("aemp.test.logs.level.org.aemp", "verbose")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("aemp.test.logs.level.org.aemp must be one of trace, debug, info, warn, error, off: 'verbose'");
    }
}
