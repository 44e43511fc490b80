package org.aemp.spi;

import java.util.List;

/**
 * Receives the messages a {@link FrameDecoder} completes, each with the number of bytes it took
 * on the wire. Called on the decoder's thread (a link's event loop), one message at a time, in the
 * order the messages arrived; it should not block. An exception it throws propagates out of
 * {@link FrameDecoder#decode} as itself and is not a failure of the stream.
 */
@FunctionalInterface
public interface FrameSink {

    /**
     * Takes one message.
     *
     * @param message the decoded message: a list whose first element is the destination port
     * @param encodedBytes the bytes of its frame, framing included (what a node accounts for it)
     */
    void accept(List<Object> message, int encodedBytes);
}
