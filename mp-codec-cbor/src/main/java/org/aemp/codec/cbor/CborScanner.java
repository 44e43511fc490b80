package org.aemp.codec.cbor;

import java.util.function.LongConsumer;
import org.aemp.spi.CodecException;
import org.aemp.spi.FrameTooLongException;

/**
 * Finds where one top-level CBOR item ends, across calls, without building any value. It reads
 * only item heads (the initial byte and its argument), skips string payloads by their declared
 * length, and counts the items still owed to each open array or map, so a frame is parsed only
 * once it is complete. Every declared length is checked against the frame limit as soon as its
 * head is seen: a byte string announcing 1 GB fails at once, with nothing buffered. It also counts
 * the values the frame will decode to, as the element limit counts them (the message array, the
 * declared items of each array and map, two per map entry, each item of an indefinite-length array
 * or map), and has them checked as the count grows: an array header announcing two million items
 * fails at once too.
 *
 * <p>Positions are offsets from the start of the frame, so the caller may move its buffer
 * between calls. Not thread-safe; one per decoder.
 */
final class CborScanner {
    /** Deepest nesting of arrays, maps and indefinite strings accepted (the reader recurses). */
    static final int MAX_DEPTH = 512;

    private static final long INDEFINITE = -1; // an indefinite-length array or map
    private static final long INDEFINITE_STRING = -2; // an indefinite-length string: its chunks are not values

    private final int maxFrameLength;
    private final LongConsumer checkValues;
    private final long[] owed = new long[MAX_DEPTH]; // items still due per open container, or INDEFINITE...
    private int depth;
    private long values = 1; // the values of the frame so far, the message array included
    private long scanned; // offset of the next head to read; may lie beyond the bytes seen (a payload)
    private boolean complete;

    /**
     * @param maxFrameLength the frame limit
     * @param checkValues called with the frame's count of values whenever it grows; throws if the
     *     count is over the element limit
     */
    CborScanner(int maxFrameLength, LongConsumer checkValues) {
        this.maxFrameLength = maxFrameLength;
        this.checkValues = checkValues;
    }

    /**
     * Scans on from where the last call stopped.
     *
     * @param buf the bytes
     * @param frameStart where the current frame starts in {@code buf}
     * @param end the end of the bytes available in {@code buf}
     * @return the length of the frame if it is complete within {@code buf[frameStart, end)}, else -1
     * @throws CodecException if the bytes are not a CBOR array
     * @throws FrameTooLongException if the frame will be longer than the limit
     * @throws CodecException if the frame will hold more values than the element limit (from {@code checkValues})
     */
    int scan(byte[] buf, int frameStart, int end) {
        int available = end - frameStart;
        while (!complete) {
            if (scanned >= available) {
                return -1;
            }
            int p = frameStart + (int) scanned;
            int initial = buf[p] & 0xff;
            int major = initial >>> 5;
            int info = initial & 0x1f;
            int headLength = headLength(info);
            if (scanned + headLength > available) {
                checkLength(scanned + headLength);
                return -1;
            }
            long arg = argument(buf, p, info);
            long next = scanned + headLength;
            if (depth == 0 && major != 4 && major != 6) {
                throw new CodecException("cbor: expected a message array, got " + describe(major, info));
            }
            if (depth > 0 && owed[depth - 1] == INDEFINITE && major != 6 && initial != 0xff) {
                checkValues.accept(++values); // an item of an indefinite-length array or map (a tag is not one)
            }
            boolean itemDone;
            switch (major) {
                case 0, 1 -> {
                    if (info == 31) {
                        throw invalid(scanned, "an integer cannot have indefinite length");
                    }
                    itemDone = true;
                }
                case 2, 3 -> {
                    if (info == 31) {
                        push(INDEFINITE_STRING);
                        itemDone = false;
                    } else {
                        if (arg < 0 || arg > maxFrameLength) {
                            throw new FrameTooLongException("cbor", arg < 0 ? Long.MAX_VALUE : next + arg, maxFrameLength);
                        }
                        next += arg;
                        itemDone = true;
                    }
                }
                case 4, 5 -> {
                    if (info == 31) {
                        push(INDEFINITE);
                        itemDone = false;
                    } else {
                        // each item takes at least one byte, so the count bounds the frame's length
                        if (arg < 0 || arg > maxFrameLength) {
                            throw new FrameTooLongException("cbor", arg < 0 ? Long.MAX_VALUE : next + arg, maxFrameLength);
                        }
                        long items = major == 4 ? arg : 2 * arg;
                        checkLength(next + items);
                        if (items > 0) {
                            values += items;
                            checkValues.accept(values);
                        }
                        if (items == 0) {
                            itemDone = true;
                        } else {
                            push(items);
                            itemDone = false;
                        }
                    }
                }
                case 6 -> {
                    if (info == 31) {
                        throw invalid(scanned, "a tag cannot have indefinite length");
                    }
                    itemDone = false; // the tagged item follows and stands in its place
                }
                default -> {
                    if (info == 31) {
                        if (depth == 0 || owed[depth - 1] >= 0) {
                            throw invalid(scanned, "a break (0xff) outside an indefinite-length item");
                        }
                        depth--;
                    }
                    itemDone = true;
                }
            }
            checkLength(next);
            scanned = next;
            while (itemDone) {
                if (depth == 0) {
                    complete = true;
                    break;
                }
                long left = owed[depth - 1];
                if (left < 0) { // indefinite: it ends with a break
                    break;
                }
                owed[depth - 1] = --left;
                if (left > 0) {
                    break;
                }
                depth--; // that container is complete: one more item for its parent
            }
        }
        return scanned <= available ? (int) scanned : -1;
    }

    /** Forgets the frame just returned by {@link #scan}, to scan the next one. */
    void reset() {
        depth = 0;
        scanned = 0;
        complete = false;
        values = 1;
    }

    private void push(long items) {
        if (depth == MAX_DEPTH) {
            throw new CodecException("cbor: invalid input: nested more than " + MAX_DEPTH + " levels deep");
        }
        owed[depth++] = items;
    }

    private void checkLength(long length) {
        if (length > maxFrameLength) {
            throw new FrameTooLongException("cbor", length, maxFrameLength);
        }
    }

    private static CodecException invalid(long offset, String what) {
        return new CodecException("cbor: invalid input at byte " + offset + " of the message: " + what);
    }

    /** Length of an item head: the initial byte and the argument bytes that follow it. */
    static int headLength(int info) {
        if (info < 24 || info == 31) {
            return 1;
        }
        return switch (info) {
            case 24 -> 2;
            case 25 -> 3;
            case 26 -> 5;
            case 27 -> 9;
            default -> throw new CodecException("cbor: invalid input: reserved additional information " + info);
        };
    }

    /** The argument of the head at {@code p}, unsigned (a negative long means 2^63 or more). */
    static long argument(byte[] buf, int p, int info) {
        if (info < 24) {
            return info;
        }
        return switch (info) {
            case 24 -> buf[p + 1] & 0xffL;
            case 25 -> (buf[p + 1] & 0xffL) << 8 | (buf[p + 2] & 0xffL);
            case 26 -> (buf[p + 1] & 0xffL) << 24 | (buf[p + 2] & 0xffL) << 16 | (buf[p + 3] & 0xffL) << 8
                    | (buf[p + 4] & 0xffL);
            case 27 -> {
                long v = 0;
                for (int i = 1; i <= 8; i++) {
                    v = v << 8 | (buf[p + i] & 0xffL);
                }
                yield v;
            }
            default -> 0; // 31: indefinite length or break
        };
    }

    static String describe(int major, int info) {
        return switch (major) {
            case 0, 1 -> "an integer";
            case 2 -> "a byte string";
            case 3 -> "a text string";
            case 4 -> "an array";
            case 5 -> "a map";
            case 6 -> "a tag";
            default -> switch (info) {
                case 20, 21 -> "a boolean";
                case 22 -> "null";
                case 23 -> "undefined";
                case 25, 26, 27 -> "a float";
                case 31 -> "a break";
                default -> "a simple value";
            };
        };
    }
}
