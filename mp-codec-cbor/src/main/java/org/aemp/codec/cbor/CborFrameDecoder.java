package org.aemp.codec.cbor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.aemp.spi.CodecException;
import org.aemp.spi.FrameDecoder;

/**
 * Splits a stream of concatenated CBOR arrays into messages (what CBOR::XS
 * {@code incr_parse_multiple} does). A {@link CborScanner} finds where each item ends; only then
 * is it read, by a {@link CborReader}. Bytes of an incomplete message are kept, at most the frame
 * limit plus one piece of a chunk, because the scanner checks every declared length against the
 * limit as soon as it sees it. A chunk that starts at a message boundary is read in place, and
 * only its incomplete tail is copied.
 *
 * <p>The messages a chunk completes are handed to the consumer once the chunk is read, so an
 * exception the consumer throws is its own, not a failure of the stream. If a chunk holds bad
 * bytes, the messages completed before the bad bytes are delivered, then it throws.
 *
 * <p>Not thread-safe; confined to one connection.
 */
final class CborFrameDecoder implements FrameDecoder {
    private static final int MIN_BUFFER = 256;
    private static final int PIECE = 16 * 1024;

    private final CborScanner scanner;
    private final CborReader reader = new CborReader();
    private final List<List<Object>> ready = new ArrayList<>();
    private byte[] held = new byte[0]; // bytes of the incomplete message, from 0
    private int heldLength;
    private boolean failed;

    CborFrameDecoder(int maxFrameLength) {
        this.scanner = new CborScanner(maxFrameLength);
    }

    @Override
    public void decode(ByteBuffer chunk, Consumer<List<Object>> out) {
        if (failed) {
            throw new CodecException("cbor: the stream already failed");
        }
        CodecException failure = null;
        try {
            while (chunk.hasRemaining()) {
                if (heldLength == 0 && chunk.hasArray()) {
                    byte[] a = chunk.array();
                    int from = chunk.arrayOffset() + chunk.position();
                    int to = chunk.arrayOffset() + chunk.limit();
                    chunk.position(chunk.limit());
                    int rest = split(a, from, to);
                    ensure(to - rest);
                    System.arraycopy(a, rest, held, 0, to - rest);
                    heldLength = to - rest;
                } else {
                    // append a piece at a time, so a message over the limit fails before much of it is held
                    int n = Math.min(chunk.remaining(), PIECE);
                    ensure(heldLength + n);
                    chunk.get(held, heldLength, n);
                    heldLength += n;
                    int rest = split(held, 0, heldLength);
                    if (rest > 0) {
                        System.arraycopy(held, rest, held, 0, heldLength - rest);
                        heldLength -= rest;
                    }
                }
            }
            if (heldLength == 0 && held.length > 4 * PIECE) {
                held = new byte[0]; // don't keep a large message's buffer for the connection's life
            }
        } catch (CodecException e) {
            failure = e;
        } catch (RuntimeException e) { // a bug here must still close only this connection
            failure = new CodecException("cbor: cannot decode: " + e, e);
        }
        if (failure != null) {
            failed = true;
        }
        // hand the messages over outside the try: a consumer's exception is not a codec failure
        FrameDecoder.handOver(ready, out, failure);
    }

    /** Reads every complete message in {@code buf[from, to)} into {@link #ready}; returns where the rest starts. */
    private int split(byte[] buf, int from, int to) {
        int start = from;
        while (start < to) {
            int length = scanner.scan(buf, start, to);
            if (length < 0) {
                break;
            }
            ready.add(reader.readMessage(buf, start, start + length));
            scanner.reset();
            start += length;
        }
        return start;
    }

    private void ensure(int capacity) {
        if (held.length < capacity) {
            byte[] bigger = new byte[Math.max(capacity, Math.max(MIN_BUFFER, held.length * 2))];
            System.arraycopy(held, 0, bigger, 0, heldLength);
            held = bigger;
        }
    }

    @Override
    public int pending() {
        return heldLength;
    }
}
