package org.aemp.spi;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the decoders of one node may spend: bytes per message, decoded values per message, and a
 * budget of bytes that all of the node's decoders together may hold for incomplete messages.
 * One instance is shared by every link of a node; the decoders reserve from its budget and give
 * back (see {@link BoundedFrameDecoder}). Thread-safe.
 *
 * <p>The three limits bound a node's decoding memory whatever its peers send. The frame length
 * bounds the bytes of one message. The element limit bounds the objects one message becomes: a
 * 3-byte {@code {}} in JSON is a map object of some 50 bytes, so a frame of 60 MiB of {@code {},}
 * would be 20 million maps and a few GiB of heap without it. The budget bounds the bytes held for
 * messages still arriving on all links at once, beyond a fixed {@value
 * BoundedFrameDecoder#FREE_BUFFER}-byte buffer per link.
 */
public final class DecodeLimits {
    /**
     * Values per message unless configured: enough for any reasonable message, few enough to keep
     * the objects of one message to some 100 MB.
     */
    public static final int DEFAULT_MAX_ELEMENTS = 1_000_000;

    /** The budget unless configured, in frame limits: four links can each be receiving a message of the largest size. */
    public static final int DEFAULT_BUDGET_FRAMES = 4;

    private final int maxFrameLength;
    private final int maxElements;
    private final long bufferBudget;
    private final AtomicLong reserved = new AtomicLong();

    private DecodeLimits(int maxFrameLength, int maxElements, long bufferBudget) {
        if (maxFrameLength <= 0) {
            throw new IllegalArgumentException("maxFrameLength must be > 0: " + maxFrameLength);
        }
        if (maxElements <= 0) {
            throw new IllegalArgumentException("maxElements must be > 0: " + maxElements);
        }
        if (bufferBudget < 0) {
            throw new IllegalArgumentException("bufferBudget must be >= 0: " + bufferBudget);
        }
        this.maxFrameLength = maxFrameLength;
        this.maxElements = Math.min(maxElements, maxFrameLength);
        this.bufferBudget = bufferBudget;
    }

    /**
     * Limits with a frame length of {@code maxFrameLength} and the defaults for the others: at most
     * {@value #DEFAULT_MAX_ELEMENTS} values per message (fewer if the frame limit is smaller), and a
     * budget of {@value #DEFAULT_BUDGET_FRAMES} times the frame limit.
     *
     * @throws IllegalArgumentException if {@code maxFrameLength} is not positive
     */
    public static DecodeLimits of(int maxFrameLength) {
        return new DecodeLimits(maxFrameLength, DEFAULT_MAX_ELEMENTS, DEFAULT_BUDGET_FRAMES * (long) maxFrameLength);
    }

    /**
     * Limits with every value given.
     *
     * @param maxFrameLength the largest encoded message, in bytes, framing included
     * @param maxElements the most values one message may decode to; above {@code maxFrameLength} it
     *     is taken as {@code maxFrameLength}, as no framing encodes a value in less than a byte
     * @param bufferBudget the most bytes all decoders sharing these limits may hold for incomplete
     *     messages beyond their fixed buffers; a budget below {@code maxFrameLength} means that
     *     messages near the frame limit cannot arrive
     * @throws IllegalArgumentException if {@code maxFrameLength} or {@code maxElements} is not
     *     positive, or {@code bufferBudget} is negative
     */
    public static DecodeLimits of(int maxFrameLength, int maxElements, long bufferBudget) {
        return new DecodeLimits(maxFrameLength, maxElements, bufferBudget);
    }

    /** The largest encoded message, in bytes, framing included (a Kryo length prefix, JSON's brackets). */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    /**
     * The most values one message may decode to. Every value counts once: the message list
     * itself, every list and map in it, every map key and every map value or list element.
     */
    public int maxElements() {
        return maxElements;
    }

    /** The most bytes the decoders sharing these limits may hold at once for incomplete messages. */
    public long bufferBudget() {
        return bufferBudget;
    }

    /** The bytes reserved from the budget now, by all decoders together. */
    public long bufferedBytes() {
        return reserved.get();
    }

    /**
     * Takes {@code bytes} from the budget if that many are left; never blocks. For decoders and for
     * the layers beneath them that hold bytes of incomplete messages (a link reassembling a
     * message sent in chunks); every reservation is given back with {@link #release}.
     *
     * @return false, taking nothing, if fewer than {@code bytes} are left
     */
    public boolean reserve(long bytes) {
        while (true) {
            long now = reserved.get();
            if (bytes > bufferBudget - now) {
                return false;
            }
            if (reserved.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Gives back {@code bytes} taken with {@link #reserve}. */
    public void release(long bytes) {
        reserved.addAndGet(-bytes);
    }

    @Override
    public String toString() {
        return "DecodeLimits[maxFrameLength=" + maxFrameLength + ", maxElements=" + maxElements + ", bufferBudget="
                + bufferBudget + ", bufferedBytes=" + reserved.get() + "]";
    }
}
