package org.aemp.spi;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The frame decoder every codec extends: it owns the byte accumulation, the limits, the failure
 * latch, the wrapping of errors and the hand-over of messages, so that a codec only says where a
 * frame ends ({@link #frameLength}) and what a whole frame means ({@link #parse}). Not
 * thread-safe; one per connection, confined to its event loop.
 *
 * <h2>Frame detection</h2>
 * The decoder asks {@link #frameLength} where the frame starting at a given byte ends, over the
 * bytes it has; {@link #NEED_MORE} means the frame goes on. Frames wholly inside a heap chunk are
 * found and parsed in place, without a copy. Only the bytes of an incomplete frame are kept, in a
 * buffer of the decoder, and the question is asked again, about the same frame, as more bytes
 * arrive (a direct chunk is taken a piece of 16 KiB at a time):
 *
 * <pre>
 *   chunk:  [ frame | frame | fra ]       whole frames parsed in place; "fra" copied and held
 *   chunk:  [ me | frame | ... ]          "me" appended until frameLength finds the end; then
 *                                         "frame | ..." is read in place again
 * </pre>
 *
 * <h2>Limits</h2>
 * Each frame is checked against the {@link DecodeLimits} the decoder was made with:
 * <ul>
 *   <li>its length, as soon as it is known: a codec checks declared lengths in
 *       {@link #frameLength}, and the decoder fails a frame whose bytes so far exceed the limit;
 *   <li>the values it becomes: {@link #parse} calls {@link #countElements} for what it builds, a
 *       container's declared size before allocating it, and a scanner may fail earlier with
 *       {@link #checkElements};
 *   <li>the node's budget: a buffer beyond {@value #FREE_BUFFER} bytes is reserved from the
 *       budget before it grows, and given back when the frame completes or the decoder closes.
 * </ul>
 *
 * <h2>Failures and hand-over</h2>
 * Messages completed by a chunk are passed to the sink once the chunk is read, with their encoded
 * length. If the chunk holds bad bytes, the messages before them are passed on first, then the
 * {@link CodecException} is thrown, and every later call throws too ("the stream already failed").
 * A {@link RuntimeException} from the codec becomes a {@link CodecException} named after the
 * codec. An exception from the sink propagates as itself and the decoder stays usable.
 *
 * <h2>Pitfalls</h2>
 * <ul>
 *   <li>Positions handed to {@link #frameLength} and {@link #parse} are absolute indices into
 *       {@code buf}, which may be the caller's chunk or the decoder's buffer; state kept between
 *       calls must be relative to {@code start}, as the frame moves from one to the other.
 *   <li>The bytes are valid only during the call: a message must not keep a reference to them.
 *   <li>One instance per connection, never shared.
 * </ul>
 */
public abstract class BoundedFrameDecoder implements FrameDecoder {
    /** What {@link #frameLength} returns for a frame that is not complete yet. */
    protected static final int NEED_MORE = -1;

    /**
     * Bytes of buffer a decoder may keep without reserving them from the node's budget: a fixed
     * amount per link, like the socket's own buffers, which spares small messages the bookkeeping.
     */
    public static final int FREE_BUFFER = 64 * 1024;

    /** Bytes of a direct chunk copied at a time, so a frame over the limit fails with little of it held. */
    private static final int PIECE = 16 * 1024;
    private static final int MIN_BUFFER = 256;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final byte[] EMPTY = new byte[0];

    private final String codec;
    private final DecodeLimits limits;
    private final int maxFrameLength;
    private final int maxElements;
    private final long maxBuffer;
    private final List<List<Object>> ready = new ArrayList<>(); // messages completed by the current chunk
    private int[] sizes = new int[16]; // their encoded lengths
    private byte[] held = EMPTY; // the bytes of an incomplete frame, from 0
    private int heldLength;
    private long reserved; // bytes of the budget this decoder holds: the buffer's capacity beyond FREE_BUFFER
    private boolean inFrame; // frameLength has seen the start of the frame at the head of the bytes
    private long elements; // values counted in the frame being parsed
    private boolean failed;
    private boolean closed;

    /**
     * @param codec the framing's name, which starts every error message
     * @param limits the node's limits, shared by all its decoders
     */
    protected BoundedFrameDecoder(String codec, DecodeLimits limits) {
        this.codec = requireNonNull(codec, "codec");
        this.limits = requireNonNull(limits, "limits");
        this.maxFrameLength = limits.maxFrameLength();
        this.maxElements = limits.maxElements();
        this.maxBuffer = Math.min(MAX_ARRAY, (long) maxFrameLength + PIECE);
    }

    /**
     * Finds where the frame that starts at {@code buf[start]} ends. Called again for the same frame,
     * with more bytes, until it returns a length; a scanner may keep its progress between such calls
     * (relative to {@code start}) and must forget it once it returns a length. It should throw
     * {@link FrameTooLongException} as soon as a declared length shows the frame will be longer
     * than {@link DecodeLimits#maxFrameLength()}.
     *
     * @param buf the bytes
     * @param start where the frame starts
     * @param end the end of the bytes available
     * @return the frame's length in bytes, at most {@code end - start}, or {@link #NEED_MORE}
     * @throws CodecException if the bytes cannot start or continue a frame of this framing
     */
    protected abstract int frameLength(byte[] buf, int start, int end);

    /**
     * Builds the message of one whole frame, the one {@link #frameLength} has just delimited.
     * Counts what it builds with {@link #countElements}, starting from zero for each frame.
     *
     * @return the message, a list holding no reference to {@code buf}
     * @throws CodecException if the frame is not a valid message
     */
    protected abstract List<Object> parse(byte[] buf, int start, int length);

    /**
     * The number of bytes to pass over before the frame that starts at {@code buf[start]}: filler a
     * framing allows between messages (JSON's whitespace). Called only between frames; they are
     * dropped, never held. The default skips nothing.
     */
    protected int skip(byte[] buf, int start, int end) {
        return 0;
    }

    /**
     * Counts {@code n} more values of the frame being parsed; call it for each value built, or with
     * a container's declared size before allocating the container.
     *
     * @throws CodecException if the frame now has more values than {@link DecodeLimits#maxElements()}
     *     (a negative {@code n}, an unsigned size read as a long, counts as too many)
     */
    protected final void countElements(long n) {
        if (n < 0 || n > maxElements - elements) {
            throw tooManyElements();
        }
        elements += n;
    }

    /**
     * Fails if a frame of at least {@code count} values is over the limit: for a scanner that
     * counts values before the frame is parsed, so that such a frame fails before it is held whole.
     */
    protected final void checkElements(long count) {
        if (count > maxElements) {
            throw tooManyElements();
        }
    }

    /** The limits this decoder checks. */
    protected final DecodeLimits limits() {
        return limits;
    }

    @Override
    public final void decode(ByteBuffer chunk, FrameSink sink) {
        requireNonNull(chunk, "chunk");
        requireNonNull(sink, "sink");
        if (failed || closed) {
            throw new CodecException(codec + (failed ? ": the stream already failed" : ": the decoder is closed"));
        }
        CodecException failure = null;
        try {
            read(chunk);
        } catch (CodecException e) {
            failure = e;
        } catch (RuntimeException e) { // a bug in a codec must still close only this connection
            failure = new CodecException(codec + ": cannot decode: " + e, e);
        }
        if (failure != null) {
            failed = true;
            chunk.position(chunk.limit());
            letGo();
        } else if (held.length > FREE_BUFFER && heldLength <= FREE_BUFFER / 2) {
            shrink(); // a large message is done: don't keep its buffer, or its reservation, for the link's life
        }
        // hand the messages over outside the try: the sink's exception is not a codec failure
        handOver(sink, failure);
    }

    private void read(ByteBuffer chunk) {
        while (chunk.hasRemaining()) {
            if (heldLength == 0 && chunk.hasArray()) {
                byte[] a = chunk.array();
                int from = chunk.arrayOffset() + chunk.position();
                int to = chunk.arrayOffset() + chunk.limit();
                chunk.position(chunk.limit());
                int rest = split(a, from, to);
                if (rest < to) {
                    ensure(to - rest);
                    System.arraycopy(a, rest, held, 0, to - rest);
                    heldLength = to - rest;
                }
            } else {
                int n = Math.min(chunk.remaining(), PIECE);
                ensure(heldLength + n);
                chunk.get(held, heldLength, n);
                heldLength += n;
                int rest = split(held, 0, heldLength);
                if (rest > 0) {
                    // a frame ended in the piece: what follows it goes back to the chunk, to be read
                    // in place (heap) or appended again from the start of the buffer (direct)
                    chunk.position(chunk.position() - (heldLength - rest));
                    heldLength = 0;
                }
            }
        }
    }

    /** Parses every whole frame in {@code buf[from, to)} into {@link #ready}; returns where the rest starts. */
    private int split(byte[] buf, int from, int to) {
        int start = from;
        while (start < to) {
            if (!inFrame) {
                start += skip(buf, start, to);
                if (start >= to) {
                    break;
                }
                inFrame = true;
            }
            int length = frameLength(buf, start, to);
            if (length == NEED_MORE) {
                if (to - start > maxFrameLength) {
                    throw new FrameTooLongException(codec, to - start, maxFrameLength);
                }
                break;
            }
            if (length > maxFrameLength) {
                throw new FrameTooLongException(codec, length, maxFrameLength);
            }
            if (length <= 0 || length > to - start) {
                throw new IllegalStateException("frameLength returned " + length + " for " + (to - start) + " bytes");
            }
            inFrame = false;
            elements = 0;
            List<Object> message = parse(buf, start, length);
            if (ready.size() == sizes.length) {
                sizes = Arrays.copyOf(sizes, sizes.length * 2);
            }
            sizes[ready.size()] = length;
            ready.add(message);
            start += length;
        }
        return start;
    }

    /**
     * Makes room for {@code capacity} bytes in the buffer, reserving what lies beyond
     * {@link #FREE_BUFFER} first. It doubles, or grows by just what it needs if the budget is short.
     */
    private void ensure(int capacity) {
        if (capacity <= held.length) {
            return;
        }
        int grown = (int) Math.max(capacity, Math.min(Math.max(MIN_BUFFER, 2L * held.length), maxBuffer));
        if (!reserveFor(grown)) {
            grown = capacity;
            if (!reserveFor(grown)) {
                throw new CodecException(codec + ": cannot hold " + (grown - FREE_BUFFER - reserved)
                        + " more bytes of an incomplete message: the node's decoders hold " + limits.bufferedBytes()
                        + " bytes, and their budget is " + limits.bufferBudget() + " bytes (decode_buffer_budget)");
            }
        }
        byte[] bigger = new byte[grown];
        System.arraycopy(held, 0, bigger, 0, heldLength);
        held = bigger;
    }

    /** Reserves what a buffer of {@code capacity} bytes needs beyond this decoder's; false if the budget is short. */
    private boolean reserveFor(int capacity) {
        long more = Math.max(0, capacity - FREE_BUFFER) - reserved;
        if (more <= 0) {
            return true;
        }
        if (!limits.reserve(more)) {
            return false;
        }
        reserved += more;
        return true;
    }

    /** Moves the bytes held into a buffer of at most {@link #FREE_BUFFER} and gives the reservation back. */
    private void shrink() {
        held = heldLength == 0 ? EMPTY : Arrays.copyOf(held, Math.max(MIN_BUFFER, 2 * heldLength));
        if (reserved > 0) {
            limits.release(reserved);
            reserved = 0;
        }
    }

    /** Drops the buffer and gives its reservation back. */
    private void letGo() {
        held = EMPTY;
        heldLength = 0;
        inFrame = false;
        if (reserved > 0) {
            limits.release(reserved);
            reserved = 0;
        }
    }

    private void handOver(FrameSink sink, CodecException failure) {
        try {
            for (int i = 0; i < ready.size(); i++) {
                sink.accept(ready.get(i), sizes[i]);
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

    private CodecException tooManyElements() {
        return new CodecException(codec + ": a message of more than " + maxElements
                + " values (limit max_frame_elements)");
    }

    @Override
    public final int pending() {
        return heldLength;
    }

    @Override
    public final void close() {
        closed = true;
        letGo();
    }
}
