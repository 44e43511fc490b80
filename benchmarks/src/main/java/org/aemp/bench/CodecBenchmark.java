package org.aemp.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.aemp.spi.Codec;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameDecoder;
import org.aemp.spi.FrameEncoder;
import org.aemp.spi.FrameSink;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encoding and decoding one benchmark message, as it goes on the wire:
 * {@code ["echo", "client/xK3b9ZQ2pA#pM4cQ8zX1a", 4711, "xxx..."]} (destination port, reply port,
 * sequence number, payload of {@code size} bytes), with each codec's per-connection encoder and
 * decoder. Decoding reads from a direct buffer, as a link's decoder does (Netty's socket buffers
 * are direct), or from a heap buffer ({@code buffer=heap}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    @Param({"json", "cbor", "kryo"})
    public String codec;

    @Param({"16", "1024"})
    public int size;

    @Param({"direct"})
    public String buffer;

    private List<Object> message;
    private FrameEncoder encoder;
    private FrameDecoder decoder;
    private final Sink sink = new Sink();
    private ByteBuffer encoded;
    private FrameSink out;

    @Setup
    public void setup(Blackhole bh) throws IOException {
        Codec c = codec(codec);
        message = List.of("echo", "client/xK3b9ZQ2pA#pM4cQ8zX1a", 4711, "x".repeat(size));
        encoder = c.newEncoder();
        decoder = c.newDecoder(DecodeLimits.of(64 << 20));
        encoder.encode(message, sink);
        byte[] bytes = Arrays.copyOf(sink.buf, sink.count);
        encoded = buffer.equals("heap") ? ByteBuffer.allocate(bytes.length) : ByteBuffer.allocateDirect(bytes.length);
        encoded.put(bytes).flip();
        out = (m, n) -> bh.consume(m);
    }

    static Codec codec(String name) {
        for (Codec c : ServiceLoader.load(Codec.class)) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no codec named '" + name + "' on the class path");
    }

    @Benchmark
    public int encode() throws IOException {
        sink.count = 0;
        encoder.encode(message, sink);
        return sink.count;
    }

    @Benchmark
    public void decode() {
        encoded.clear();
        decoder.decode(encoded, out);
    }

    /** A reusable byte sink; not thread-safe. */
    static final class Sink extends OutputStream {
        byte[] buf = new byte[4096];
        int count;

        @Override
        public void write(int b) {
            if (count == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (buf.length - count < len) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + len));
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }
    }
}
