package org.aemp.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PerlValuesTest {

    @Test
    void splitCommaIsPerlsSplit() {
        assertThat(PerlValues.splitComma(",a,,b,,")).containsExactly("", "a", "", "b");
        assertThat(PerlValues.splitComma("")).isEmpty();
        assertThat(PerlValues.splitComma(",,,")).isEmpty();
        assertThat(PerlValues.splitComma("a")).containsExactly("a");
        List<String> mutable = PerlValues.splitComma("a,b");
        mutable.add("c");
        assertThat(mutable).containsExactly("a", "b", "c");
    }

    @Test
    void describeGivesTheTypeAndShortJson() {
        assertThat(PerlValues.describe(null)).isEqualTo("null");
        assertThat(PerlValues.describe("abc")).isEqualTo("string \"abc\"");
        assertThat(PerlValues.describe(4040L)).isEqualTo("number 4040");
        assertThat(PerlValues.describe(List.of("a"))).isEqualTo("array [ \"a\" ]");
        assertThat(PerlValues.describe("x".repeat(100))).hasSize("string ".length() + 60).endsWith("...");
    }

    static Stream<Arguments> truthTable() {
        return Stream.of(
                Arguments.of(null, false),
                Arguments.of(false, false),
                Arguments.of("", false),
                Arguments.of("0", false),
                Arguments.of(0L, false),
                Arguments.of(0.0, false),
                Arguments.of(-0.0, false),
                Arguments.of(BigDecimal.ZERO, false),
                Arguments.of(true, true),
                Arguments.of("1", true),
                Arguments.of("false", true),
                Arguments.of("0.0", true),
                Arguments.of("00", true),
                Arguments.of(" ", true),
                Arguments.of("no", true),
                Arguments.of(1L, true),
                Arguments.of(-1L, true),
                Arguments.of(0.5, true),
                Arguments.of(List.of(), true),
                Arguments.of(Map.of(), true));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("truthTable")
    void readsTruthThePerlWay(Object value, boolean expected) {
        assertThat(PerlValues.isTrue(value)).isEqualTo(expected);
    }

    @Test
    void numericStringsAreNumbers() {
        for (Object v : Arrays.asList("20", " 20 ", "0.5", "1e3", "-3", "+4", "5.", ".5", 20L, 2.5)) {
            assertThat(PerlValues.toNumber(v)).as(String.valueOf(v)).isPresent();
        }
        assertThat(PerlValues.toNumber("20")).contains(new BigDecimal("20"));
        for (Object v : Arrays.asList("", "abc", "20s", "0x10", "Inf", "NaN", null, true, List.of(1L), Double.NaN)) {
            assertThat(PerlValues.toNumber(v)).as(String.valueOf(v)).isEmpty();
        }
    }
}
