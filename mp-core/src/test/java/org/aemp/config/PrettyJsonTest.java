package org.aemp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrettyJsonTest {

    @Test
    void nestsWithThreeSpacesAndSpacedColons() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("d", List.of(List.of(1L, List.of()), Map.of()));
        m.put("o", true);
        m.put("p", null);
        // the layout JSON::XS 4.04 printed for the same structure
        assertThat(PrettyJson.write(m)).isEqualTo("""
                {
                   "d" : [
                      [
                         1,
                         []
                      ],
                      {}
                   ],
                   "o" : true,
                   "p" : null
                }
                """);
    }

    @Test
    void emptyTopLevelObject() {
        assertThat(PrettyJson.write(Map.of())).isEqualTo("{}\n");
    }

    @Test
    void escapesStringsAsJsonXs() {
        // JSON::XS->new->pretty->utf8 wrote: "x\u0000\u0001\b\t\n\f\r\u001f<DEL>/\"\\é€😀"
        String s = "x\u0000\u0001\b\t\n\f\r\u001f\u007f/\"\\\u00e9\u20ac\uD83D\uDE00";
        assertThat(PrettyJson.write(Arrays.asList(s)))
                .isEqualTo("[\n   \"x\\u0000\\u0001\\b\\t\\n\\f\\r\\u001f\u007f/\\\"\\\\\u00e9\u20ac\uD83D\uDE00\"\n]\n");
    }

    /** Each expected text was printed by Perl's JSON::XS for the same double. */
    @ParameterizedTest
    @CsvSource({
        "0.1, 0.1", "0.000123, 0.000123", "1e-5, 1e-05", "1e20, 1e+20", "1e23, 1e+23", "1e15, 1e+15",
        "1e14, 100000000000000", "1.5, 1.5", "3.0, 3", "-2.5e-300, -2.5e-300", "-0.0, -0",
        "0.30000000000000004, 0.3", "123456789.123456789, 123456789.123457"
    })
    void writesDoublesAsPerlPrintsThem(double value, String perl) {
        assertThat(PrettyJson.formatG15(value)).isEqualTo(perl);
    }

    @Test
    void writesIntegersExactly() {
        assertThat(PrettyJson.write(List.of(123456789012345678L, new BigInteger("18446744073709551615"), 7)))
                .isEqualTo("[\n   123456789012345678,\n   18446744073709551615,\n   7\n]\n");
    }

    @Test
    void rejectsWhatJsonCannotHold() {
        assertThatThrownBy(() -> PrettyJson.write(Map.of("a", List.of(Double.NaN))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-finite")
                .hasMessageContaining("$.a[0]");
        assertThatThrownBy(() -> PrettyJson.write(Map.of(1, "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a string");
        assertThatThrownBy(() -> PrettyJson.write(Map.of("a", new StringBuilder())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.StringBuilder");
    }
}
