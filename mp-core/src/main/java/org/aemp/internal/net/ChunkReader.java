package org.aemp.internal.net;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.aemp.spi.CodecException;
import org.aemp.spi.DecodeLimits;

/**
 * Reads the records of the {@linkplain ChunkFraming chunked framing} from a link's bytes, across
 * arbitrary read boundaries, and hands on the codec's stream: STREAM payloads as they arrive, in
 * place, and each chunked message's frame whole, once its last chunk is in. Not thread-safe;
 * confined to its link's event loop.
 *
 * <p>Everything here comes from the peer and is checked: a record type that does not exist, a
 * message longer than the frame limit or of no bytes, a chunk past its message's end, a chunk of a
 * message never begun, an id begun twice, more than {@value ChunkFraming#MAX_PARTIALS} messages
 * open at once, or open messages longer together than the frame limit: each throws a
 * {@link CodecException} that names the fault, and so does every later call. The frame of an open
 * message is reserved from the node's decode budget when it begins (so that a peer cannot make
 * the node hold more than the budget, however it spreads its chunks) and given back when it
 * completes or the reader closes.
 */
final class ChunkReader implements AutoCloseable {
    /** Where the codec's stream goes; called on the reader's thread, in stream order. */
    interface Sink {
        /** Bytes of STREAM records, valid only during the call. */
        void stream(ByteBuffer bytes);

        /** The whole frame of a message that came in chunks, valid only during the call. */
        void message(ByteBuffer frame);
    }

    /** A message whose chunks are still arriving. */
    private static final class Partial {
        final int id;
        final byte[] bytes;
        int received;

        Partial(int id, int total) {
            this.id = id;
            this.bytes = new byte[total];
        }
    }

    private final DecodeLimits limits;
    private final int maxFrameLength;
    private final byte[] head = new byte[ChunkFraming.BEGIN_HEADER];
    private int headLength; // bytes of the current record's header read so far
    private int headNeeded = 1; // the header's length once its type is known; 1 before
    private long payloadLeft; // bytes of the current record's payload still to come
    private boolean inPayload;
    private byte type;
    private Partial current; // the message the current chunk belongs to
    private final List<Partial> open = new ArrayList<>(ChunkFraming.MAX_PARTIALS);
    private long openBytes; // the frames of the open messages together; reserved from the budget
    private boolean failed;
    private boolean closed;

    ChunkReader(DecodeLimits limits) {
        this.limits = limits;
        this.maxFrameLength = limits.maxFrameLength();
    }

    /** Messages whose chunks are still arriving. */
    int openMessages() {
        return open.size();
    }

    /**
     * Reads every readable byte of {@code in} (without moving its reader index).
     *
     * @throws CodecException if the bytes break the framing, or an earlier call failed
     */
    void read(ByteBuf in, Sink sink) {
        if (failed || closed) {
            throw new CodecException("chunked framing: the stream already failed");
        }
        try {
            int i = in.readerIndex();
            int end = in.writerIndex();
            while (i < end) {
                if (!inPayload) {
                    head[headLength++] = in.getByte(i++);
                    if (headLength == 1) {
                        int n = ChunkFraming.headerLength(head[0]);
                        if (n < 0) {
                            throw new CodecException("chunked framing: no record type " + (head[0] & 0xff));
                        }
                        headNeeded = n;
                    }
                    if (headLength == headNeeded) {
                        startRecord();
                        if (payloadLeft == 0) {
                            endPayload(sink);
                        }
                    }
                    continue;
                }
                int n = (int) Math.min(payloadLeft, end - i);
                if (type == ChunkFraming.STREAM) {
                    if (in.nioBufferCount() == 1) {
                        sink.stream(in.nioBuffer(i, n));
                    } else {
                        for (ByteBuffer b : in.nioBuffers(i, n)) {
                            sink.stream(b);
                        }
                    }
                } else {
                    in.getBytes(i, current.bytes, current.received, n);
                    current.received += n;
                }
                i += n;
                payloadLeft -= n;
                if (payloadLeft == 0) {
                    endPayload(sink);
                }
            }
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /** The header is complete: check it and set up for the payload. */
    private void startRecord() {
        type = head[0];
        long len = Integer.toUnsignedLong(readInt(1));
        if (type == ChunkFraming.STREAM) {
            payloadLeft = len;
            inPayload = true;
            return;
        }
        int id = readInt(5);
        if (type == ChunkFraming.BEGIN) {
            long total = Integer.toUnsignedLong(readInt(9));
            if (total == 0 || total > maxFrameLength) {
                throw new CodecException("chunked framing: message " + Integer.toUnsignedString(id) + " of " + total
                        + " bytes; the frame limit is " + maxFrameLength + " bytes (max_frame_length)");
            }
            if (find(id) != null) {
                throw new CodecException("chunked framing: message " + Integer.toUnsignedString(id)
                        + " begun while it is still open");
            }
            if (open.size() == ChunkFraming.MAX_PARTIALS) {
                throw new CodecException("chunked framing: more than " + ChunkFraming.MAX_PARTIALS
                        + " messages in chunks at once");
            }
            if (openBytes + total > maxFrameLength) {
                throw new CodecException("chunked framing: messages in chunks of " + (openBytes + total)
                        + " bytes together; the frame limit is " + maxFrameLength + " bytes (max_frame_length)");
            }
            if (!limits.reserve(total)) {
                throw new CodecException("chunked framing: cannot hold a message of " + total
                        + " bytes: the node's decoders hold " + limits.bufferedBytes() + " bytes, and their budget is "
                        + limits.bufferBudget() + " bytes (decode_buffer_budget)");
            }
            openBytes += total;
            current = new Partial(id, (int) total);
            open.add(current);
        } else {
            current = find(id);
            if (current == null) {
                throw new CodecException("chunked framing: a chunk of message " + Integer.toUnsignedString(id)
                        + ", which is not open");
            }
        }
        if (len > current.bytes.length - current.received) {
            throw new CodecException("chunked framing: a chunk of " + len + " bytes past the end of message "
                    + Integer.toUnsignedString(id) + " (" + current.received + " of " + current.bytes.length
                    + " bytes in)");
        }
        payloadLeft = len;
        inPayload = true;
    }

    /** The current record's payload is all in. */
    private void endPayload(Sink sink) {
        inPayload = false;
        headLength = 0;
        headNeeded = 1;
        if (type == ChunkFraming.STREAM) {
            return;
        }
        Partial p = current;
        current = null;
        if (p.received < p.bytes.length) {
            return;
        }
        open.remove(p);
        openBytes -= p.bytes.length;
        limits.release(p.bytes.length);
        sink.message(ByteBuffer.wrap(p.bytes));
    }

    private Partial find(int id) {
        for (Partial p : open) {
            if (p.id == id) {
                return p;
            }
        }
        return null;
    }

    private int readInt(int at) {
        return (head[at] & 0xff) << 24 | (head[at + 1] & 0xff) << 16 | (head[at + 2] & 0xff) << 8 | head[at + 3] & 0xff;
    }

    /** Lets go of the open messages and gives their reservation back. Idempotent; a later read throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        limits.release(openBytes);
        openBytes = 0;
        open.clear();
        current = null;
    }
}
