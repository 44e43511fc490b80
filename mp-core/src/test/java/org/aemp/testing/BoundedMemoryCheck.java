package org.aemp.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.List;
import java.util.Map;
import org.aemp.spi.Codec;
import org.aemp.spi.CodecException;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameDecoder;

/**
 * The half of {@link CodecConformance}'s memory test that runs in a JVM of its own with a small
 * heap: it encodes one message of about 60 MiB made of empty maps (JSON's {@code [{},{},...]}),
 * under the default frame limit of 64 MiB, and feeds it to a decoder with the default limits in
 * chunks of 64 KiB, as a link would. Before the element limit, a decoder built 20 million maps
 * from it and the JVM died of {@link OutOfMemoryError}.
 *
 * <p>Usage: {@code BoundedMemoryCheck <codec class>}. Prints one line, {@code ok ...} with the
 * time taken and the heap kept (exit status 0) or {@code fail ...} with the reason (status 1).
 */
public final class BoundedMemoryCheck {
    static final int FRAME_BYTES = 60 << 20;
    static final String ELEMENT_LIMIT = "a message of more than 1000000 values (limit max_frame_elements)";

    private BoundedMemoryCheck() {
    }

    public static void main(String[] args) throws Exception {
        Codec codec = (Codec) Class.forName(args[0]).getConstructor().newInstance();
        byte[] frame = frameOfEmptyMaps(codec, FRAME_BYTES);
        long before = usedAfterGc();
        DecodeLimits limits = DecodeLimits.of(64 << 20);
        FrameDecoder decoder = codec.newDecoder(limits);
        ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
        long[] delivered = new long[1];
        String failure = null;
        long start = System.nanoTime();
        try {
            for (int off = 0; off < frame.length; off += chunk.capacity()) {
                chunk.clear();
                chunk.put(frame, off, Math.min(chunk.capacity(), frame.length - off)).flip();
                decoder.decode(chunk, (m, n) -> delivered[0]++);
            }
            failure = "the frame of " + frame.length + " bytes was decoded (" + delivered[0] + " messages)";
        } catch (CodecException e) {
            if (!e.getMessage().equals(codec.name() + ": " + ELEMENT_LIMIT)) {
                failure = "unexpected error: " + e;
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        long kept = usedAfterGc() - before; // the decoder is still reachable here
        long reserved = limits.bufferedBytes();
        decoder.close();
        if (failure == null && reserved != 0) {
            failure = reserved + " bytes of the budget still reserved after the failure";
        }
        System.out.println(failure == null
                ? "ok " + frame.length + " bytes failed in " + millis + " ms, heap kept " + (kept >> 20) + " MiB"
                : "fail " + failure);
        System.exit(failure == null ? 0 : 1);
    }

    /**
     * One message, {@code ["p", {}, {}, ...]}, of about {@code bytes} bytes in this codec, encoded
     * without the maps ever existing (the list makes them up as the encoder asks).
     */
    static byte[] frameOfEmptyMaps(Codec codec, int bytes) throws IOException {
        int one = encode(codec, emptyMaps(1)).length;
        double perMap = (encode(codec, emptyMaps(1001)).length - one) / 1000.0;
        int maps = 1 + (int) ((bytes - one) / perMap);
        return encode(codec, emptyMaps(maps));
    }

    private static List<Object> emptyMaps(int maps) {
        return new AbstractList<>() {
            @Override
            public Object get(int index) {
                return index == 0 ? "p" : Map.of();
            }

            @Override
            public int size() {
                return 1 + maps;
            }
        };
    }

    private static byte[] encode(Codec codec, List<Object> message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.newEncoder().encode(message, out);
        return out.toByteArray();
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
