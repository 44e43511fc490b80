package org.aemp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonArgumentsTest {

    private static List<Object> rewrite(String... args) {
        return JsonArguments.rewrite(List.of(args));
    }

    @Test
    void oneArgumentStartingWithABracketIsTheWholeArgumentList() {
        assertThat(rewrite("[\"setmonitor_timeout\", 20, \"secure\", true, null, {\"a\":[1.5]}]"))
                .containsExactly("setmonitor_timeout", 20L, "secure", true, null, Map.of("a", List.of(1.5)));
    }

    @Test
    void elementsOfTheWholeListAreNotDecodedAgain() {
        assertThat(rewrite("[\"secret\", \"[abc\"]")).containsExactly("secret", "[abc");
    }

    @Test
    void withSeveralArgumentsEachJsonLookingOneIsDecoded() {
        assertThat(rewrite("secret", "\"text\"", "binds", "[\"a\"]", "x", "{\"k\":null}", "20", "true", "null", ""))
                .containsExactly("secret", "text", "binds", List.of("a"), "x", mapWithNull(), "20", "true", "null", "");
    }

    private static Map<String, Object> mapWithNull() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("k", null);
        return m;
    }

    @Test
    void aLoneNonArrayArgumentIsDecodedByTheSecondRule() {
        assertThat(rewrite("\"showconfig\"")).containsExactly("showconfig");
        assertThat(rewrite("{\"a\":1}")).containsExactly(Map.of("a", 1L));
    }

    @Test
    void numbersFollowJsonXs() {
        assertThat(rewrite("[1, -5, 1.5, 1e3, 18446744073709551615, 18446744073709551616]"))
                .containsExactly(1L, -5L, 1.5, 1000.0, new BigInteger("18446744073709551615"), "18446744073709551616");
    }

    @Test
    void decodingIsStrict() {
        for (String bad : List.of("[1,]", "[1] x", "[1] [2]", "{'a':1}", "[NaN]", "\"a", "[\"\\ud800\"]",
                "[# c\n1]", "[01]", "\"tab\there\"", "{", "[")) {
            assertThatThrownBy(() -> rewrite("x", bad)).as(bad)
                    .isInstanceOfSatisfying(CommandException.class, e -> assertThat(e.status()).isEqualTo(2))
                    .hasMessageStartingWith("malformed JSON in argument 2 ");
        }
    }

    @Test
    void theErrorNamesTheArgumentAndTheOffset() {
        assertThatThrownBy(() -> rewrite("seeds", "{bad")).hasMessageStartingWith("malformed JSON in argument 2 '{bad': ")
                .hasMessageContaining("character offset 1");
        assertThatThrownBy(() -> rewrite("[\"a\", oops]")).hasMessageContaining("argument 1");
    }

    @Test
    void theValueOfASecretOrCertCommandIsNeverQuoted() {
        for (String command : List.of("setsecret", "secret", "setcert", "cert")) {
            assertThatThrownBy(() -> rewrite("nodeid", "n", command, "[topsecret]")).as(command)
                    .isInstanceOfSatisfying(CommandException.class, e -> assertThat(e.status()).isEqualTo(2))
                    .hasMessage("malformed JSON in argument 4, the value of " + command
                            + " (not shown, it may hold a secret) (at character offset 1)");
        }
        // a JSON-form command word counts too
        assertThatThrownBy(() -> rewrite("\"secret\"", "\"abc")).message().doesNotContain("abc");
        // the whole-list form is hidden if it may hold a secret
        assertThatThrownBy(() -> rewrite("[\"secret\", topsecret]")).message()
                .startsWith("malformed JSON in argument 1 (not shown").doesNotContain("topsecret");
    }

    @Test
    void argumentsWithReplacementCharactersAreRefused() {
        assertThatThrownBy(() -> rewrite("secret", "caf\uFFFD"))
                .isInstanceOfSatisfying(CommandException.class, e -> assertThat(e.status()).isEqualTo(2))
                .hasMessageStartingWith("argument 2 is not valid in the locale's character encoding");
        assertThatThrownBy(() -> rewrite("[\"secret\", \"caf\uFFFD\"]"))
                .hasMessageStartingWith("argument 1 is not valid in the locale's character encoding");
        // the JSON escape is the way to pass U+FFFD itself
        assertThat(rewrite("secret", "\"\\ufffd\"")).containsExactly("secret", "\uFFFD");
    }

    @Test
    void nestingDeeperThan512Fails() {
        String deep = "[".repeat(513) + "]".repeat(513);
        assertThatThrownBy(() -> rewrite(deep)).isInstanceOf(CommandException.class);
        assertThat(rewrite("[".repeat(512) + "]".repeat(512))).hasSize(1);
    }

    @Test
    void splittingKeepsInnerEmptyPiecesAndDropsTrailingOnes() {
        assertThat(Words.listArgument(",a,,b,,")).isEqualTo(List.of("", "a", "", "b"));
        assertThat(Words.listArgument("")).isEqualTo(List.of());
        assertThat(Words.listArgument(",,,")).isEqualTo(List.of());
        assertThat(Words.listArgument("a")).isEqualTo(List.of("a"));
        assertThat(Words.listArgument(null)).isEqualTo(List.of());
        assertThat(Words.listArgument(4040L)).isEqualTo(List.of("4040"));
        assertThat(Words.listArgument(12.5)).isEqualTo(List.of("12.5"));
        assertThat(Words.listArgument(true)).isEqualTo(true);
        assertThat(Words.listArgument(Map.of("a", 1L))).isEqualTo(Map.of("a", 1L));
    }

    @Test
    void perlEqualityComparesScalarsAsText() {
        assertThat(Words.perlEquals("4040", 4040L)).isTrue();
        assertThat(Words.perlEquals("1", true)).isTrue();
        assertThat(Words.perlEquals("", null)).isTrue();
        assertThat(Words.perlEquals(List.of("a"), List.of("a"))).isFalse();
    }
}
