package org.aemp.codec.cbor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameDecoder;
import org.junit.jupiter.api.Test;

/**
 * Every CBOR message two Perl 2.02 nodes exchanged in the {@code cbor-default} session (copies of
 * the shared transcripts in src/test/resources/transcripts) decodes to Perl's own JSON rendering
 * of it, both frame by frame and as the stream arrived, chunk by chunk, after the handshake.
 */
class PerlCborTranscriptTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private final CborCodec codec = new CborCodec();

    /** A decoded.txt message: Perl's frame and its JSON rendering. */
    private record Frame(String hex, String json) {
    }

    @Test
    void everyFrameDecodesToPerlsRendering() throws IOException {
        Map<String, List<Frame>> frames = frames();
        assertThat(frames.keySet()).containsExactly("1 >", "1 <");
        int n = 0;
        for (List<Frame> direction : frames.values()) {
            for (Frame f : direction) {
                List<List<Object>> got = new ArrayList<>();
                codec.newDecoder(DecodeLimits.of(1 << 20)).decode(ByteBuffer.wrap(HEX.parseHex(f.hex())),
                        (m, size) -> got.add(m));
                assertThat(got).as(f.hex()).hasSize(1);
                assertThat(PerlValues.normalize(got.get(0))).as(f.json())
                        .isEqualTo(PerlValues.normalize(MAPPER.readValue(f.json(), Object.class)));
                n++;
            }
        }
        assertThat(n).isEqualTo(58);
    }

    @Test
    void theStreamDecodesChunkByChunkAsItCrossedTheSocket() throws IOException {
        Map<String, List<Frame>> frames = frames();
        Map<String, List<byte[]>> chunks = chunks();
        for (Map.Entry<String, List<byte[]>> e : chunks.entrySet()) {
            FrameDecoder d = codec.newDecoder(DecodeLimits.of(1 << 20));
            List<List<Object>> got = new ArrayList<>();
            int lines = 0; // greeting line 1, nonce line, auth line: then the CBOR stream starts
            StringBuilder wire = new StringBuilder();
            for (byte[] chunk : e.getValue()) {
                int from = 0;
                while (lines < 3 && from < chunk.length) {
                    if (chunk[from++] == '\n') {
                        lines++;
                    }
                }
                wire.append(HEX.formatHex(chunk, from, chunk.length));
                d.decode(ByteBuffer.wrap(chunk, from, chunk.length - from), (m, n) -> got.add(m));
            }
            assertThat(d.pending()).isZero();
            List<Frame> want = frames.get(e.getKey());
            assertThat(wire.toString()).isEqualTo(String.join("", want.stream().map(Frame::hex).toList()));
            assertThat(got).hasSameSizeAs(want);
            for (int i = 0; i < want.size(); i++) {
                assertThat(PerlValues.normalize(got.get(i))).as(e.getKey() + " msg " + (i + 1))
                        .isEqualTo(PerlValues.normalize(MAPPER.readValue(want.get(i).json(), Object.class)));
            }
        }
    }

    /** decoded.txt: the frames per "CONN DIR", in order. */
    private static Map<String, List<Frame>> frames() throws IOException {
        Map<String, List<Frame>> out = new LinkedHashMap<>();
        List<Frame> current = null;
        String hex = null;
        for (String line : lines("cbor-default.decoded.txt")) {
            if (line.startsWith("== connection ")) {
                String[] w = line.split(" ");
                current = out.computeIfAbsent(w[2] + " " + w[4], k -> new ArrayList<>());
            } else if (line.startsWith("msg ") && line.contains(" cbor-hex: ")) {
                hex = line.substring(line.indexOf(": ") + 2).trim();
            } else if (line.startsWith("msg ") && line.contains(" as-json: ")) {
                current.add(new Frame(hex, line.substring(line.indexOf(": ") + 2)));
            }
        }
        return out;
    }

    /** .hex: the TCP chunks per "CONN DIR", in the order they were read. */
    private static Map<String, List<byte[]>> chunks() throws IOException {
        Map<String, List<byte[]>> out = new LinkedHashMap<>();
        for (String line : lines("cbor-default.hex")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] w = line.split(" ");
            byte[] payload = HEX.parseHex(w[4]);
            assertThat(payload).hasSize(Integer.parseInt(w[3]));
            out.computeIfAbsent(w[1] + " " + w[2], k -> new ArrayList<>()).add(payload);
        }
        return out;
    }

    private static List<String> lines(String name) throws IOException {
        InputStream in = PerlCborTranscriptTest.class.getResourceAsStream("/transcripts/" + name);
        assertThat(in).as(name).isNotNull();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().toList();
        }
    }
}
