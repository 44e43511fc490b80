package org.aemp.codec.kryo;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.aemp.spi.CodecException;
import org.aemp.spi.FrameDecoder;
import org.aemp.spi.FrameTooLongException;

/**
 * Reads length-prefixed Kryo frames across arbitrary chunk boundaries. The limit is checked as
 * soon as the prefix is complete, before any of the body is held; the body buffer then grows with
 * the bytes that actually arrive. A frame wholly inside a heap chunk is read in place. Each frame
 * is read by a {@link BoundedInput}, and every failure inside Kryo becomes a
 * {@link CodecException}.
 *
 * <p>The messages a chunk completes are handed to the consumer once the chunk is read, so an
 * exception the consumer throws is its own, not a failure of the stream. If a chunk holds bad
 * bytes, the messages completed before the bad bytes are delivered, then it throws. Not
 * thread-safe; owns its Kryo instance.
 */
final class KryoFrameDecoder implements FrameDecoder {
    private static final int MAX_PREFIX = 5;
    private static final int KEEP = 64 * 1024;

    private final MessageKryo kryo;
    private final int maxFrameLength;
    private final PlainSerializers.ListSerializer list = new PlainSerializers.ListSerializer();
    private final BoundedInput input = new BoundedInput();
    private final List<List<Object>> ready = new ArrayList<>();
    private long prefix; // the length being read
    private int prefixBytes;
    private int bodyLength = -1; // -1 while reading the prefix
    private byte[] body = new byte[0];
    private int received;
    private boolean failed;

    KryoFrameDecoder(MessageKryo kryo, int maxFrameLength) {
        this.kryo = kryo;
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    public void decode(ByteBuffer chunk, Consumer<List<Object>> out) {
        if (failed) {
            throw new CodecException("kryo: the stream already failed");
        }
        CodecException failure = null;
        try {
            while (chunk.hasRemaining()) {
                if (bodyLength < 0) {
                    prefixByte(chunk.get());
                } else if (received == 0 && chunk.hasArray() && chunk.remaining() >= bodyLength) {
                    int at = chunk.position();
                    ready.add(frame(chunk.array(), chunk.arrayOffset() + at, bodyLength));
                    chunk.position(at + bodyLength);
                    endFrame();
                } else {
                    int n = Math.min(chunk.remaining(), bodyLength - received);
                    ensure(received + n);
                    chunk.get(body, received, n);
                    received += n;
                    if (received == bodyLength) {
                        ready.add(frame(body, 0, bodyLength));
                        endFrame();
                    }
                }
            }
        } catch (CodecException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new CodecException("kryo: cannot decode: " + e, e);
        }
        if (failure != null) {
            failed = true;
        }
        // hand the messages over outside the try: a consumer's exception is not a codec failure
        FrameDecoder.handOver(ready, out, failure);
    }

    private void prefixByte(byte b) {
        prefix |= (long) (b & 0x7f) << (7 * prefixBytes);
        prefixBytes++;
        if ((b & 0x80) != 0) {
            if (prefixBytes == MAX_PREFIX) {
                throw new CodecException("kryo: invalid length prefix: longer than " + MAX_PREFIX + " bytes");
            }
            return;
        }
        if (prefix > maxFrameLength) {
            throw new FrameTooLongException("kryo", prefix, maxFrameLength);
        }
        if (prefix == 0) {
            throw new CodecException("kryo: invalid frame: length 0");
        }
        bodyLength = (int) prefix;
        received = 0;
    }

    private void endFrame() {
        bodyLength = -1;
        prefix = 0;
        prefixBytes = 0;
        received = 0;
        if (body.length > KEEP) {
            body = new byte[0];
        }
    }

    private void ensure(int capacity) {
        if (body.length < capacity) {
            int grown = (int) Math.min(bodyLength, Math.max(capacity, Math.max(4096L, 2L * body.length)));
            byte[] bigger = new byte[grown];
            System.arraycopy(body, 0, bigger, 0, received);
            body = bigger;
        }
    }

    @SuppressWarnings("unchecked")
    private List<Object> frame(byte[] buf, int offset, int length) {
        input.frame(buf, offset, length);
        try {
            List<Object> message = kryo.readObject(input, ArrayList.class, list);
            int left = offset + length - input.position();
            if (left != 0) {
                throw new CodecException("kryo: invalid frame: " + left + " bytes left over after the message");
            }
            return message;
        } catch (RuntimeException e) {
            throw KryoCodec.failure(e, "invalid frame");
        } finally {
            input.release();
        }
    }

    @Override
    public int pending() {
        return bodyLength < 0 ? prefixBytes : prefixBytes + received;
    }
}
