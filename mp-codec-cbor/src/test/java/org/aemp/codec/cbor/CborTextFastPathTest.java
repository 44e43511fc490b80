package org.aemp.codec.cbor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.aemp.spi.DecodeLimits;
import org.junit.jupiter.api.Test;

/** ASCII text is copied in bulk both ways; any other char must still take the UTF-8 path. */
class CborTextFastPathTest {
    private final CborCodec codec = new CborCodec();

    @Test
    void oneNonAsciiCharAnywhereIsWrittenAsUtf8AndReadBack() throws IOException {
        for (char odd : new char[] {'\u007f', '\u0080', '\u00e9', '\u0100', '\u0141', '\u20ac'}) {
            for (int length = 1; length <= 40; length++) {
                for (int at = 0; at < length; at++) {
                    char[] text = "a".repeat(length).toCharArray();
                    text[at] = odd;
                    String s = new String(text);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    codec.newEncoder().encode(List.of(s), out);
                    byte[] frame = out.toByteArray();
                    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                    assertThat(Arrays.copyOfRange(frame, frame.length - utf8.length, frame.length))
                            .as("U+%04X at %d of %d", (int) odd, at, length).isEqualTo(utf8);

                    List<List<Object>> got = new ArrayList<>();
                    codec.newDecoder(DecodeLimits.of(1 << 20)).decode(ByteBuffer.wrap(frame), (m, n) -> got.add(m));
                    assertThat(got).containsExactly(List.of(s));
                }
            }
        }
    }
}
