package org.aemp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTextTest {
    @Test
    void aListIsCompactJsonWithoutItsBracketsAndNumbersLookAsPerlPrintsThem() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", null);
        m.put("b\"", List.of());
        List<Object> values = Arrays.asList("rpc_reply", 1, 2.5, 1795624247.94335, 1e20, true, null, List.of(1, m),
                "tab\there", "é");

        assertThat(JsonText.list(values)).isEqualTo("\"rpc_reply\",1,2.5,1795624247.94335,1e+20,true,null,"
                + "[1,{\"a\":null,\"b\\\"\":[]}],\"tab\\there\",\"é\"");
        assertThat(JsonText.list(List.of())).isEmpty();
    }

    @Test
    void prettyAsciiEscapesEveryNonAsciiCharacterAsJsonXsDoes() {
        assertThat(JsonText.prettyAscii(List.of("é", "\uD83D\uDE00", 7)))
                .isEqualTo("[\n   \"\\u00e9\",\n   \"\\ud83d\\ude00\",\n   7\n]\n");
    }
}
