package org.aemp.codec.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.aemp.spi.DecodeLimits;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The codec vectors written by Perl's JSON::XS (see mp-core's test resources,
 * org/aemp/testing/vectors): every one decodes to the value Perl meant, and what we write for
 * that value decodes back to it.
 */
class PerlJsonVectorsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final JsonCodec codec = new JsonCodec();

    static Stream<JsonNode> vectors() throws IOException {
        InputStream in = PerlJsonVectorsTest.class.getResourceAsStream("/org/aemp/testing/vectors/perl-codec-vectors.jsonl");
        List<JsonNode> all = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    all.add(MAPPER.readTree(line));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void perlsBytesDecodeToTheIntendedValue(JsonNode vector) throws IOException {
        byte[] wire = HexFormat.of().parseHex(vector.get("json_hex").asText());
        List<List<Object>> got = new ArrayList<>();
        codec.newDecoder(DecodeLimits.of(1 << 20)).decode(ByteBuffer.wrap(wire), (m, n) -> got.add(m));
        Object want = MAPPER.convertValue(vector.get("value"), Object.class);
        assertThat(got).hasSize(1);
        assertThat(normalize(got.get(0))).as(vector.get("name").asText()).isEqualTo(normalize(want));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.newEncoder().encode(got.get(0), out);
        List<List<Object>> again = new ArrayList<>();
        codec.newDecoder(DecodeLimits.of(1 << 20)).decode(ByteBuffer.wrap(out.toByteArray()), (m, n) -> again.add(m));
        assertThat(again).isEqualTo(got);
    }

    /** Compares numbers by value: databind reads the vector file's own numbers its own way. */
    private static Object normalize(Object v) {
        if (v instanceof Number n && !(v instanceof java.math.BigInteger)) {
            return n.doubleValue();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(PerlJsonVectorsTest::normalize).toList();
        }
        if (v instanceof java.util.Map<?, ?> m) {
            java.util.Map<Object, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, val) -> out.put(k, normalize(val)));
            return out;
        }
        return v;
    }
}
