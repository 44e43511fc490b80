package org.aemp.spi;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a byte stream into messages, across arbitrary chunk boundaries. Not thread-safe; confined
 * to one connection's event loop. After it has thrown, the stream is unusable and the connection
 * is closed.
 */
public interface FrameDecoder {

    /**
     * Consumes every remaining byte of {@code chunk} and passes each message completed by it to
     * {@code out}, in order. Bytes of an incomplete message are kept for the next call.
     *
     * @throws CodecException if the bytes are not valid in this framing
     * @throws FrameTooLongException if a message exceeds the decoder's limit
     */
    void decode(ByteBuffer chunk, Consumer<List<Object>> out);

    /** Bytes held for an incomplete message; 0 at a message boundary. */
    int pending();
}
