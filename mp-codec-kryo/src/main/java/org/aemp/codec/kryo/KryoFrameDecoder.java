package org.aemp.codec.kryo;

import java.util.ArrayList;
import java.util.List;
import org.aemp.spi.BoundedFrameDecoder;
import org.aemp.spi.CodecException;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameTooLongException;

/**
 * Splits a stream of length-prefixed Kryo frames into messages. The frame limit is checked as soon
 * as the prefix is complete, before any of the body is held (the body buffer then grows with the
 * bytes that actually arrive). Each frame is read by a {@link BoundedInput}; the list and map
 * serializers count their declared sizes against the element limit before they allocate, and
 * every failure inside Kryo becomes a {@link CodecException}. Not thread-safe; owns its Kryo
 * instance.
 */
final class KryoFrameDecoder extends BoundedFrameDecoder {
    private static final int MAX_PREFIX = 5;

    private final MessageKryo kryo;
    private final PlainSerializers.ListSerializer list = new PlainSerializers.ListSerializer();
    private final BoundedInput input = new BoundedInput();
    private int prefixLength; // of the frame frameLength delimited last

    KryoFrameDecoder(MessageKryo kryo, DecodeLimits limits) {
        super("kryo", limits);
        this.kryo = kryo;
        kryo.valueCounter(this::countElements);
    }

    /** Reads the prefix (again, while the frame is incomplete: it is at most 5 bytes). */
    @Override
    protected int frameLength(byte[] buf, int start, int end) {
        long length = 0;
        int n = 0;
        while (true) {
            if (start + n == end) {
                return NEED_MORE;
            }
            byte b = buf[start + n];
            length |= (long) (b & 0x7f) << (7 * n);
            n++;
            if ((b & 0x80) == 0) {
                break;
            }
            if (n == MAX_PREFIX) {
                throw new CodecException("kryo: invalid length prefix: longer than " + MAX_PREFIX + " bytes");
            }
        }
        if (n + length > limits().maxFrameLength()) {
            throw new FrameTooLongException("kryo", n + length, limits().maxFrameLength());
        }
        if (length == 0) {
            throw new CodecException("kryo: invalid frame: length 0");
        }
        prefixLength = n;
        return end - start >= n + length ? (int) (n + length) : NEED_MORE;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected List<Object> parse(byte[] buf, int start, int length) {
        int offset = start + prefixLength;
        int end = start + length;
        input.frame(buf, offset, length - prefixLength);
        try {
            countElements(1);
            List<Object> message = kryo.readObject(input, ArrayList.class, list);
            if (input.position() != end) {
                throw new CodecException("kryo: invalid frame: " + (end - input.position())
                        + " bytes left over after the message");
            }
            return message;
        } catch (RuntimeException e) {
            throw KryoCodec.failure(e, "invalid frame");
        } finally {
            input.release();
        }
    }
}
