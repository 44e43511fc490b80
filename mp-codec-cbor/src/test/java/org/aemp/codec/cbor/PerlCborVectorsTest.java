package org.aemp.codec.cbor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The codec vectors written by Perl's CBOR::XS (mp-core's test resources,
 * org/aemp/testing/vectors): Perl's bytes decode to the value Perl meant, and what we write for
 * that value decodes back to it.
 */
class PerlCborVectorsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final CborCodec codec = new CborCodec();

    static Stream<JsonNode> vectors() throws IOException {
        InputStream in = PerlCborVectorsTest.class.getResourceAsStream("/org/aemp/testing/vectors/perl-codec-vectors.jsonl");
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

    @Test
    void allTwelveVectorsAreThere() throws IOException {
        assertThat(vectors()).hasSize(12);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void perlsBytesDecodeToTheIntendedValueAndOurBytesBackToThem(JsonNode vector) {
        byte[] wire = HexFormat.of().parseHex(vector.get("cbor_hex").asText());
        List<List<Object>> got = decode(wire);
        Object want = MAPPER.convertValue(vector.get("value"), Object.class);
        assertThat(got).hasSize(1);
        assertThat(PerlValues.normalize(got.get(0))).as(vector.get("name").asText()).isEqualTo(PerlValues.normalize(want));

        List<List<Object>> again = decode(CborCodecTest.encodeOne(codec, got.get(0)));
        assertThat(again).isEqualTo(got);
    }

    @Test
    void perlsEdgeIntegersAndFloatsKeepTheirTypes() {
        List<Object> m = decode(HexFormat.of().parseHex("87417000201a80000000facf000000fa5a0000001bffffffffffffffff")).get(0);
        assertThat(m).containsExactly("p", 0, -1, 2147483648L, -2147483648.0, 9007199254740992.0,
                new java.math.BigInteger("18446744073709551615"));
    }

    private List<List<Object>> decode(byte[] wire) {
        List<List<Object>> got = new ArrayList<>();
        codec.newDecoder(DecodeLimits.of(1 << 20)).decode(ByteBuffer.wrap(wire), (m, n) -> got.add(m));
        return got;
    }
}
