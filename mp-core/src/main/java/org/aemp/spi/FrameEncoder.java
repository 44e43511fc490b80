package org.aemp.spi;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes messages in one framing. Not thread-safe; confined to one connection's event loop. If
 * {@link #encode} throws, the link fails (a message was lost), so an encoder need not be usable
 * afterwards; it should write nothing of the failed message if it can.
 */
@FunctionalInterface
public interface FrameEncoder {

    /**
     * Writes one message: a list whose first element is the destination port name, followed by
     * plain values (null, String, Boolean, Number, byte[], List, Map with String keys).
     *
     * @throws CodecException if an element cannot be written in this framing
     * @throws IOException if {@code out} fails
     */
    void encode(List<?> message, OutputStream out) throws IOException;
}
