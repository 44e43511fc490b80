package org.aemp.codec.cbor;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.aemp.spi.CodecException;
import org.aemp.spi.FrameEncoder;

/**
 * Writes messages as CBOR arrays with no separator, in the forms CBOR::XS reads: definite
 * lengths, shortest integer heads, Strings as text strings, {@code byte[]} as byte strings,
 * integers beyond 64 bits as bignum tags 2 and 3 (at most {@value CborReader#MAX_BIGNUM_BYTES}
 * bytes, what the decoder accepts), floats as float32 when that is exact, else float64. A message
 * is built in a buffer kept for the connection and written with one call, so a message that fails
 * to encode writes nothing, and the encoder stays usable. It throws only {@link CodecException}
 * (and what the output stream throws): a message changed while it is written fails as one. Not
 * thread-safe.
 */
final class CborFrameEncoder implements FrameEncoder {
    private static final int MAX_DEPTH = CborScanner.MAX_DEPTH;
    private static final int KEEP = 64 * 1024; // largest buffer kept between messages

    private byte[] buf = new byte[512];
    private int count;

    @Override
    public void encode(List<?> message, OutputStream out) throws IOException {
        count = 0;
        try {
            try {
                writeList(message, 0);
            } catch (CodecException e) {
                throw e;
            } catch (RuntimeException e) { // a message changed while it was written, or a bug
                throw new CodecException("cbor: cannot encode: " + e, e);
            }
            out.write(buf, 0, count);
        } finally {
            count = 0;
            if (buf.length > KEEP) {
                buf = new byte[512];
            }
        }
    }

    private void write(Object v, int depth) {
        if (v == null) {
            put(0xf6);
        } else if (v instanceof String s) {
            writeText(s);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            writeLong(((Number) v).longValue());
        } else if (v instanceof Boolean b) {
            put(b ? 0xf5 : 0xf4);
        } else if (v instanceof Double d) {
            writeDouble(d);
        } else if (v instanceof Float f) {
            put(0xfa);
            putInt(Float.floatToIntBits(f));
        } else if (v instanceof BigInteger b) {
            writeBigInteger(b);
        } else if (v instanceof BigDecimal b) {
            writeBigDecimal(b);
        } else if (v instanceof byte[] bytes) {
            head(2, bytes.length);
            putBytes(bytes, bytes.length);
        } else if (v instanceof List<?> list) {
            writeList(list, depth + 1);
        } else if (v instanceof Map<?, ?> map) {
            writeMap(map, depth + 1);
        } else if (v instanceof Number n) {
            writeOtherNumber(n);
        } else {
            throw new CodecException("cbor: cannot encode a value of type " + v.getClass().getName()
                    + "; messages hold only null, String, Boolean, Number, byte[], List and Map<String, ?>");
        }
    }

    private void writeList(List<?> list, int depth) {
        checkDepth(depth);
        int n = list.size();
        head(4, n);
        int written = 0;
        for (Object o : list) {
            if (written++ == n) {
                break;
            }
            write(o, depth);
        }
        if (written != n) {
            throw new CodecException("cbor: a list changed size while it was encoded");
        }
    }

    private void writeMap(Map<?, ?> map, int depth) {
        checkDepth(depth);
        int n = map.size();
        head(5, n);
        int written = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (written++ == n) {
                break;
            }
            if (!(e.getKey() instanceof String key)) {
                throw new CodecException("cbor: cannot encode a map key of type "
                        + (e.getKey() == null ? "null" : e.getKey().getClass().getName()) + "; keys must be strings");
            }
            writeText(key);
            write(e.getValue(), depth);
        }
        if (written != n) {
            throw new CodecException("cbor: a map changed size while it was encoded");
        }
    }

    /** {@code depth} counts from 0 for the message array: at most {@value #MAX_DEPTH} levels, as the scanner reads. */
    private static void checkDepth(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new CodecException("cbor: cannot encode a value nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    private void writeLong(long v) {
        if (v >= 0) {
            head(0, v);
        } else {
            head(1, -1 - v);
        }
    }

    /** Within ±2^64 as a plain integer (CBOR's range); beyond it as bignum tag 2 or 3. */
    private void writeBigInteger(BigInteger b) {
        boolean negative = b.signum() < 0;
        BigInteger n = negative ? b.not() : b; // a negative integer carries -1 - b
        if (n.bitLength() <= 64) {
            head(negative ? 1 : 0, n.longValue());
            return;
        }
        int bytes = (n.bitLength() + 7) / 8;
        if (bytes > CborReader.MAX_BIGNUM_BYTES) {
            throw new CodecException("cbor: cannot encode an integer of " + n.bitLength() + " bits: a bignum is"
                    + " limited to " + CborReader.MAX_BIGNUM_BYTES + " bytes, as decoders read it");
        }
        head(6, negative ? 3 : 2);
        byte[] magnitude = n.toByteArray();
        int skip = magnitude[0] == 0 ? 1 : 0; // the sign byte
        head(2, magnitude.length - skip);
        ensure(magnitude.length);
        System.arraycopy(magnitude, skip, buf, count, magnitude.length - skip);
        count += magnitude.length - skip;
    }

    /** The most decimal digits of an integer that fits a bignum of {@link CborReader#MAX_BIGNUM_BYTES} bytes. */
    private static final int MAX_INTEGER_DIGITS = (int) Math.ceil(CborReader.MAX_BIGNUM_BYTES * 8 * Math.log10(2));

    /**
     * A plain Perl number (a tag 4 decimal fraction would arrive as an object): an integral value
     * ({@code 2.50E+3}, {@code 1.0}) exactly, as an integer or bignum like a BigInteger; any other
     * as a double, unless that overflows to infinity.
     */
    private void writeBigDecimal(BigDecimal b) {
        long integerDigits = (long) b.precision() - b.scale();
        if (integerDigits > MAX_INTEGER_DIGITS) { // checked before 10^-scale is built
            throw new CodecException("cbor: cannot encode the BigDecimal " + describe(b) + ": it is too large for"
                    + " a double and for a bignum of " + CborReader.MAX_BIGNUM_BYTES + " bytes");
        }
        BigInteger integer;
        try {
            integer = b.toBigIntegerExact();
        } catch (ArithmeticException notAnInteger) {
            double d = b.doubleValue();
            if (Double.isInfinite(d)) {
                throw new CodecException("cbor: cannot encode the BigDecimal " + describe(b)
                        + ": it is not an integer and too large for a double");
            }
            writeDouble(d);
            return;
        }
        writeBigInteger(integer);
    }

    /** The value's text, unless that is long (and slow to make). */
    private static String describe(BigDecimal b) {
        return b.precision() <= 40 ? b.toString() : "of " + b.precision() + " digits with scale " + b.scale();
    }

    /** float32 when that is exact, as CBOR::XS writes; NaN and the infinities too. */
    private void writeDouble(double d) {
        float f = (float) d;
        if (f == d || Double.isNaN(d)) {
            put(0xfa);
            putInt(Float.floatToIntBits(f));
        } else {
            put(0xfb);
            long bits = Double.doubleToLongBits(d);
            putInt((int) (bits >>> 32));
            putInt((int) bits);
        }
    }

    /** Another Number (AtomicLong, LongAdder, ...): an integer if its text is one, else its double value. */
    private void writeOtherNumber(Number n) {
        BigInteger integer;
        try {
            integer = new BigInteger(n.toString());
        } catch (NumberFormatException notAnInteger) {
            writeDouble(n.doubleValue());
            return;
        }
        writeBigInteger(integer);
    }

    /**
     * A text string: UTF-8, written by hand so that a lone surrogate is an error, not a '?'. ASCII
     * text (checked four chars at a time) is copied in bulk.
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exact for the ASCII text it copies
    private void writeText(String s) {
        int chars = s.length();
        if (isAscii(s, chars)) {
            head(3, chars);
            ensure(chars);
            s.getBytes(0, chars, buf, count);
            count += chars;
            return;
        }
        long utf8 = chars;
        for (int i = 0; i < chars; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                utf8 += 1;
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == chars || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new CodecException("cbor: cannot encode a string with a lone surrogate U+"
                            + Integer.toHexString(c).toUpperCase() + " at index " + i + ": text must be valid UTF-8");
                }
                utf8 += 2; // 4 bytes for the pair
                i++;
            } else {
                utf8 += 2;
            }
        }
        if (utf8 > Integer.MAX_VALUE - 16) {
            throw new CodecException("cbor: string too long: " + utf8 + " bytes");
        }
        head(3, utf8);
        ensure((int) utf8);
        byte[] b = buf;
        int p = count;
        for (int i = 0; i < chars; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xc0 | c >> 6);
                b[p++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[p++] = (byte) (0xf0 | cp >> 18);
                b[p++] = (byte) (0x80 | cp >> 12 & 0x3f);
                b[p++] = (byte) (0x80 | cp >> 6 & 0x3f);
                b[p++] = (byte) (0x80 | cp & 0x3f);
            } else {
                b[p++] = (byte) (0xe0 | c >> 12);
                b[p++] = (byte) (0x80 | c >> 6 & 0x3f);
                b[p++] = (byte) (0x80 | c & 0x3f);
            }
        }
        count = p;
    }

    private static boolean isAscii(String s, int n) {
        long all = 0;
        int i = 0;
        for (int last = n - 3; i < last; i += 4) {
            all |= s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32 | (long) s.charAt(i + 3) << 48;
        }
        for (; i < n; i++) {
            all |= s.charAt(i);
        }
        return (all & 0xff80ff80ff80ff80L) == 0;
    }

    /** An item head in its shortest form; {@code arg} is unsigned (negative means 2^63 or more). */
    private void head(int major, long arg) {
        int m = major << 5;
        ensure(9);
        if (arg >= 0 && arg < 24) {
            buf[count++] = (byte) (m | arg);
        } else if (arg >= 0 && arg <= 0xff) {
            buf[count++] = (byte) (m | 24);
            buf[count++] = (byte) arg;
        } else if (arg >= 0 && arg <= 0xffff) {
            buf[count++] = (byte) (m | 25);
            buf[count++] = (byte) (arg >>> 8);
            buf[count++] = (byte) arg;
        } else if (arg >= 0 && arg <= 0xffffffffL) {
            buf[count++] = (byte) (m | 26);
            putInt((int) arg);
        } else {
            buf[count++] = (byte) (m | 27);
            putInt((int) (arg >>> 32));
            putInt((int) arg);
        }
    }

    private void put(int b) {
        ensure(1);
        buf[count++] = (byte) b;
    }

    private void putInt(int v) {
        ensure(4);
        buf[count++] = (byte) (v >>> 24);
        buf[count++] = (byte) (v >>> 16);
        buf[count++] = (byte) (v >>> 8);
        buf[count++] = (byte) v;
    }

    private void putBytes(byte[] b, int n) {
        ensure(n);
        System.arraycopy(b, 0, buf, count, n);
        count += n;
    }

    private void ensure(int more) {
        if (buf.length - count < more) {
            long want = Math.max((long) count + more, 2L * buf.length);
            if (want > Integer.MAX_VALUE - 16) {
                if ((long) count + more > Integer.MAX_VALUE - 16) {
                    throw new CodecException("cbor: message too large to encode");
                }
                want = Integer.MAX_VALUE - 16;
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }
}
