package org.aemp.logcatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.slf4j.event.Level;

/** The level mapping: lossless where the class documentation says so, and the documented losses. */
class LogLevelProperties {
    private static final Set<Integer> LOSSLESS = Set.of(4, 5, 7, 8, 9);

    @Property
    void slf4jToAempAndBackIsLossless(@ForAll Level level) {
        assertThat(LogLevel.fromSlf4j(level).toSlf4j()).isEqualTo(level);
    }

    @Property
    void aempToSlf4jAndBackKeepsTheFiveSlf4jLevelsAndLosesTheOthers(@ForAll @IntRange(min = 1, max = 9) int n) {
        LogLevel back = LogLevel.fromSlf4j(LogLevel.of(n).toSlf4j());
        if (LOSSLESS.contains(n)) {
            assertThat(back.number()).isEqualTo(n);
        } else if (n <= 3) {
            assertThat(back).isEqualTo(LogLevel.ERROR); // fatal, alert, critical
        } else {
            assertThat(n).isEqualTo(6);
            assertThat(back).isEqualTo(LogLevel.INFO); // note
        }
    }

    @Property
    void moreSevereNeverMapsToLessSevere(@ForAll @IntRange(min = 1, max = 9) int a, @ForAll @IntRange(min = 1, max = 9) int b) {
        if (a <= b) {
            // SLF4J's toInt grows with severity, AEMP's numbers shrink with it
            assertThat(LogLevel.of(a).toSlf4j().toInt()).isGreaterThanOrEqualTo(LogLevel.of(b).toSlf4j().toInt());
        }
    }

    @Property
    void julMappingIsMonotonic(@ForAll int a, @ForAll int b) {
        if (a <= b) {
            assertThat(LogLevel.fromJul(new JulLevel(a)).number()).isGreaterThanOrEqualTo(LogLevel.fromJul(new JulLevel(b)).number());
        }
    }

    @Property
    void numbersNamesAndTheirTextParseToTheLevel(@ForAll LogLevel level) {
        assertThat(LogLevel.parse(level.number())).contains(level);
        assertThat(LogLevel.parse((long) level.number())).contains(level);
        assertThat(LogLevel.parse(level.number() - 0.0)).contains(level);
        if (level != LogLevel.TRACE) {
            assertThat(LogLevel.parse(level.number() + 0.5)).contains(level); // Perl cuts fractions, up to 9
        }
        assertThat(LogLevel.parse(String.valueOf(level.number()))).contains(level);
        assertThat(LogLevel.parse(level.aempName())).contains(level);
        assertThat(LogLevel.parse(" " + level.aempName().toUpperCase(Locale.ROOT) + " ")).contains(level);
        assertThat(LogLevel.of(level.number())).isEqualTo(level);
    }

    @Property
    void slf4jNamesParseToTheirAempLevel(@ForAll Level level) {
        assertThat(LogLevel.parse(level.name())).contains(LogLevel.fromSlf4j(level));
    }

    @Property
    void anyValueParsesToALevelOrNothingAndNeverThrows(@ForAll("values") Object value) {
        LogLevel.parse(value).ifPresent(l -> assertThat(l.number()).isBetween(1, 9));
        assertThat(LogLevel.threshold(value)).isBetween(-1, 9);
    }

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i), Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false, "all", "off", "none", "NaN", "1e3", "-1", "9.0", "9.5").map(o -> (Object) o),
                Arbitraries.just(null));
    }

    private static final class JulLevel extends java.util.logging.Level {
        private static final long serialVersionUID = 1L;

        JulLevel(int value) {
            super("L" + value, value);
        }
    }
}
