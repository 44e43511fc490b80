package org.aemp.spi;

import java.nio.ByteBuffer;

/**
 * Turns a byte stream into messages, across arbitrary chunk boundaries, within the
 * {@link DecodeLimits} it was made with. Not thread-safe; confined to one connection's event
 * loop. After it has thrown a {@link CodecException}, the stream is unusable and the connection is
 * closed. Codecs extend {@link BoundedFrameDecoder}, which keeps these rules.
 */
public interface FrameDecoder extends AutoCloseable {

    /**
     * Consumes every remaining byte of {@code chunk} and passes each message completed by it to
     * {@code sink}, in order. Bytes of an incomplete message are kept for the next call. Messages
     * completed before bad bytes in the same chunk are passed on before it throws; an exception
     * from {@code sink} propagates as itself and leaves the decoder usable.
     *
     * @throws CodecException if the bytes are not valid in this framing, a message has more values
     *     than the limit, or the node's budget for incomplete messages is spent
     * @throws FrameTooLongException if a message exceeds the frame limit
     */
    void decode(ByteBuffer chunk, FrameSink sink);

    /** Bytes held for an incomplete message; 0 at a message boundary. */
    int pending();

    /**
     * Lets go of the bytes held and gives their reservation back to the node's budget. Idempotent;
     * a later {@link #decode} throws.
     */
    @Override
    void close();
}
