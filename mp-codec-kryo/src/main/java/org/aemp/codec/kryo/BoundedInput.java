package org.aemp.codec.kryo;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

/**
 * A Kryo input over one complete frame that checks every length read from the wire against the
 * bytes left before allocating: Kryo's own {@code readString} or {@code readBytes} would allocate
 * whatever a hostile length says (2^31 chars) before finding the bytes missing.
 *
 * <p>Not thread-safe; one per decoder.
 */
final class BoundedInput extends Input {
    private static final int KEEP_CHARS = 8 * 1024;
    private static final byte[] NONE = new byte[0];

    /** Reads {@code buf[offset, offset + length)}. */
    void frame(byte[] buf, int offset, int length) {
        setBuffer(buf, offset, length);
    }

    /** Lets go of the frame and of a large scratch buffer. */
    void release() {
        setBuffer(NONE); // shared and empty: nothing can be read from or written to it
        if (chars.length > KEEP_CHARS) {
            chars = new char[32];
        }
    }

    private void need(long bytes, String what) {
        if (bytes < 0 || bytes > limit - position) {
            throw new KryoException("invalid frame: " + what + " longer than the rest of its frame");
        }
    }

    @Override
    public String readString() {
        checkStringLength();
        return super.readString();
    }

    @Override
    public StringBuilder readStringBuilder() {
        checkStringLength();
        return super.readStringBuilder();
    }

    /** A UTF-8 string's head holds its length in chars; each char takes at least one byte. */
    private void checkStringLength() {
        if (!readVarIntFlag()) {
            return; // ASCII: read up to the byte with its top bit set, within the buffer
        }
        int start = position;
        int head = readVarIntFlag(true); // 0 = null, 1 = "", else length + 1
        position = start;
        if (head < 0 || head > 1) {
            need(head < 0 ? -1 : head - 1L, "a string of " + (head < 0 ? "2^31 or more" : head - 1) + " chars is");
        }
    }

    @Override
    public byte[] readBytes(int length) {
        need(length, "a byte array of " + length + " is");
        return super.readBytes(length);
    }

    @Override
    public int[] readInts(int length) {
        need(4L * length, "an int array of " + length + " is");
        return super.readInts(length);
    }

    @Override
    public int[] readInts(int length, boolean optimizePositive) {
        need(length, "an int array of " + length + " is");
        return super.readInts(length, optimizePositive);
    }

    @Override
    public long[] readLongs(int length) {
        need(8L * length, "a long array of " + length + " is");
        return super.readLongs(length);
    }

    @Override
    public long[] readLongs(int length, boolean optimizePositive) {
        need(length, "a long array of " + length + " is");
        return super.readLongs(length, optimizePositive);
    }

    @Override
    public float[] readFloats(int length) {
        need(4L * length, "a float array of " + length + " is");
        return super.readFloats(length);
    }

    @Override
    public double[] readDoubles(int length) {
        need(8L * length, "a double array of " + length + " is");
        return super.readDoubles(length);
    }

    @Override
    public short[] readShorts(int length) {
        need(2L * length, "a short array of " + length + " is");
        return super.readShorts(length);
    }

    @Override
    public char[] readChars(int length) {
        need(2L * length, "a char array of " + length + " is");
        return super.readChars(length);
    }

    @Override
    public boolean[] readBooleans(int length) {
        need(length, "a boolean array of " + length + " is");
        return super.readBooleans(length);
    }
}
