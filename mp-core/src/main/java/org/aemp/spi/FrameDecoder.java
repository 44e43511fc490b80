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

    /**
     * Hands decoded messages to {@code out}, then throws {@code failure} if there is one: what a
     * decoder calls at the end of {@link #decode}, so that messages completed before bad bytes
     * are still delivered, and a consumer's exception is not taken for a codec failure (it
     * propagates as itself, or is added to {@code failure} as suppressed). Clears {@code ready}.
     *
     * @param failure the codec failure met while decoding this chunk, or null
     */
    static void handOver(List<List<Object>> ready, Consumer<List<Object>> out, CodecException failure) {
        try {
            for (List<Object> m : ready) {
                out.accept(m);
            }
        } catch (RuntimeException consumer) {
            if (failure == null) {
                throw consumer;
            }
            failure.addSuppressed(consumer);
        } finally {
            ready.clear();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
