package org.aemp.internal.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The chunked framing two Java nodes use on a link when both greet with {@code chunks=1}: a layer
 * beneath the codec that lets a large message travel in pieces, so that small messages sent after
 * it need not wait until all of it is on the wire. Perl ignores the greeting key and never sees
 * this framing: a link to a node that does not announce it carries the codec's stream as ever.
 *
 * <p>From the byte after the auth line on, each direction is a sequence of records (integers
 * big-endian, unsigned):
 * <pre>
 *   STREAM  [0x00][len:4]                      [len bytes of the codec's stream]
 *   BEGIN   [0x01][len:4][id:4][total:4]       [len bytes: the start of message id's frame]
 *   MORE    [0x02][len:4][id:4]                [len bytes: the next bytes of message id's frame]
 * </pre>
 * The codec's stream is the concatenation of the STREAM payloads, with each chunked message's
 * frame joining it whole at the point where its last byte arrives. So a chunked message is
 * delivered after everything that came before its last chunk, and nothing of it before then; the
 * sender decides what may overtake it (see {@link Link}). A sender keeps at most
 * {@value #MAX_PARTIALS} messages open at once (ours keeps one), and their frames together at most
 * the receiver's frame limit. Immutable layout; static helpers only.
 */
final class ChunkFraming {
    /** The greeting extension that announces the framing, and its only version. */
    static final String GREETING_KEY = "chunks";
    static final String VERSION = "1";

    static final byte STREAM = 0;
    static final byte BEGIN = 1;
    static final byte MORE = 2;

    static final int STREAM_HEADER = 5;
    static final int BEGIN_HEADER = 13;
    static final int MORE_HEADER = 9;

    /** Messages in chunks a receiver holds open at once, from one link; one more fails the link. */
    static final int MAX_PARTIALS = 4;

    private ChunkFraming() {
    }

    /** Header length of a record of {@code type}, or -1 if there is no such type. */
    static int headerLength(byte type) {
        return switch (type) {
            case STREAM -> STREAM_HEADER;
            case BEGIN -> BEGIN_HEADER;
            case MORE -> MORE_HEADER;
            default -> -1;
        };
    }

    /**
     * Fills the STREAM header reserved at the start of {@code buf} (its first {@value #STREAM_HEADER}
     * bytes, from index 0) for the bytes after it up to its writer index.
     */
    static void fillStreamHeader(ByteBuf buf) {
        buf.setByte(0, STREAM);
        buf.setInt(1, buf.writerIndex() - STREAM_HEADER);
    }

    /** A chunk's header: BEGIN (with the frame's {@code total} length) if {@code first}, else MORE. */
    static ByteBuf chunkHeader(ByteBufAllocator alloc, boolean first, int id, int total, int len) {
        ByteBuf h = alloc.ioBuffer(first ? BEGIN_HEADER : MORE_HEADER);
        h.writeByte(first ? BEGIN : MORE).writeInt(len).writeInt(id);
        if (first) {
            h.writeInt(total);
        }
        return h;
    }
}
