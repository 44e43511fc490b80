package org.aemp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValuesTest {
    @Test
    void decodesAnyValueAsTheRcFileReaderDoes() throws JsonSyntaxException {
        assertThat(JsonValues.parseStrict("\"text\"")).isEqualTo("text");
        assertThat(JsonValues.parseStrict("null")).isNull();
        assertThat(JsonValues.parseStrict("true")).isEqualTo(true);
        assertThat(JsonValues.parseStrict("[1, -5, 1.5, 1e3, 18446744073709551615, 18446744073709551616, 1e400]"))
                .isEqualTo(List.of(1L, -5L, 1.5, 1000.0, new BigInteger("18446744073709551615"),
                        "18446744073709551616", new BigDecimal("1e400")));
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("k", null);
        withNull.put("a", 2L);
        assertThat(JsonValues.parseStrict("{\"k\":null,\"a\":1,\"a\":2}")).isEqualTo(withNull);
    }

    @Test
    void decodingIsStrict() {
        for (String bad : List.of("[1,]", "[1] x", "[1] [2]", "{'a':1}", "[NaN]", "\"a", "[\"\\ud800\"]",
                "[# c\n1]", "[01]", "\"tab\there\"", "{", "[", "", "  ")) {
            assertThatThrownBy(() -> JsonValues.parseStrict(bad)).as(bad).isInstanceOf(JsonSyntaxException.class);
        }
    }

    @Test
    void theErrorGivesTheProblemAndTheOffsetWithoutJacksonsAdvice() {
        assertThatThrownBy(() -> JsonValues.parseStrict("[1] [2]"))
                .isInstanceOfSatisfying(JsonSyntaxException.class, e -> {
                    assertThat(e.problem()).isEqualTo("garbage after the JSON value");
                    assertThat(e.offset()).isEqualTo(4);
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.column()).isEqualTo(5);
                });
        assertThatThrownBy(() -> JsonValues.parseStrict("[1,]"))
                .isInstanceOfSatisfying(JsonSyntaxException.class, e -> {
                    assertThat(e.problem()).doesNotContain("enable");
                    assertThat(e.offset()).isEqualTo(3);
                });
        assertThatThrownBy(() -> JsonValues.parseStrict("[\"\\ud800\"]"))
                .hasMessage("unpaired UTF-16 surrogate escape in a string");
    }

    @Test
    void nestingDeeperThan512Fails() throws JsonSyntaxException {
        assertThat(JsonValues.MAX_DEPTH).isEqualTo(512);
        assertThatThrownBy(() -> JsonValues.parseStrict("[".repeat(513) + "]".repeat(513)))
                .isInstanceOf(JsonSyntaxException.class);
        assertThat(JsonValues.parseStrict("[".repeat(512) + "]".repeat(512))).isInstanceOf(List.class);
    }

    @Test
    void theRelaxedModeStillAcceptsWhatTheStrictOneRefuses() throws RcFileException {
        assertThat(RcFile.parse("{\"a\":[1,], # c\n}", "t")).isEqualTo(Map.of("a", List.of(1L)));
    }
}
