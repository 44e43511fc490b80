package org.aemp.codec.cbor;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;
import org.aemp.spi.CodecException;

/**
 * Builds the value of one complete CBOR item, which {@link CborScanner} has already delimited.
 * The mapping is Perl's reading of CBOR::XS output: byte strings are ISO-8859-1 text, map keys
 * become strings, {@code undefined} is null, bignum tags become integers, other tags are ignored.
 * Every value is counted, through the decoder's element limit, before it is built: the message
 * array, an array's or map's declared items before the container is allocated (two per map
 * entry), each item of an indefinite-length one as it comes. Not thread-safe; one per decoder.
 */
final class CborReader {
    /**
     * Longest bignum (tag 2 or 3) payload read, in bytes (8192 bits, about 2466 decimal digits).
     * Without a cap a bignum could be as long as the frame, and turning it into text (as a map key
     * is) takes time that grows faster than its length, on the event loop.
     */
    static final int MAX_BIGNUM_BYTES = 1024;

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private final LongConsumer countValues;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] buf;
    private int pos;
    private int end;
    private int frameStart;

    /** @param countValues counts values towards the element limit; throws once over it */
    CborReader(LongConsumer countValues) {
        this.countValues = countValues;
    }

    /** Reads the message array in {@code buf[start, end)}, which holds exactly one item. */
    List<Object> readMessage(byte[] buf, int start, int end) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
        this.frameStart = start;
        try {
            countValues.accept(1);
            Object v = read(0);
            if (!(v instanceof List<?>)) {
                throw invalid("expected a message array");
            }
            if (pos != end) {
                throw invalid("the message ends before its frame");
            }
            @SuppressWarnings("unchecked")
            List<Object> message = (List<Object>) v;
            return message;
        } finally {
            this.buf = null;
        }
    }

    private Object read(int depth) {
        if (depth > CborScanner.MAX_DEPTH) {
            throw invalid("nested more than " + CborScanner.MAX_DEPTH + " levels deep");
        }
        while (true) {
            int initial = u8();
            int major = initial >>> 5;
            int info = initial & 0x1f;
            long arg = head(info);
            switch (major) {
                case 0:
                    return unsigned(arg);
                case 1:
                    return negative(arg);
                case 2:
                    if (info != 31) { // definite: straight from the frame, one copy
                        int n = definiteLength(arg);
                        pos += n;
                        return new String(buf, pos - n, n, StandardCharsets.ISO_8859_1);
                    }
                    return new String(bytes(2, info, arg), StandardCharsets.ISO_8859_1);
                case 3:
                    if (info != 31) {
                        int n = definiteLength(arg);
                        pos += n;
                        return utf8(buf, pos - n, n);
                    }
                    byte[] joined = bytes(3, info, arg);
                    return utf8(joined, 0, joined.length);
                case 4:
                    return array(info, arg, depth);
                case 5:
                    return map(info, arg, depth);
                case 6:
                    if (arg == 2 || arg == 3) {
                        return bignum(arg == 3);
                    }
                    continue; // unknown tag: the tagged item stands for itself
                default:
                    return simple(info, arg);
            }
        }
    }

    private List<Object> array(int info, long arg, int depth) {
        if (info == 31) {
            List<Object> list = new ArrayList<>();
            while (!atBreak()) {
                countValues.accept(1);
                list.add(read(depth + 1));
            }
            return list;
        }
        countValues.accept(arg); // before allocating: a negative arg (2^63 or more) counts as too many
        int n = (int) arg; // the scanner bounded it by the frame length
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(read(depth + 1));
        }
        return list;
    }

    private Map<String, Object> map(int info, long arg, int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (info == 31) {
            while (!atBreak()) {
                countValues.accept(2);
                String key = key(read(depth + 1));
                map.put(key, read(depth + 1));
            }
            return map;
        }
        countValues.accept(arg < 0 || arg > Long.MAX_VALUE / 2 ? -1 : 2 * arg);
        for (long i = 0; i < arg; i++) {
            String key = key(read(depth + 1));
            map.put(key, read(depth + 1));
        }
        return map;
    }

    /** A map key as Perl sees it: hash keys are strings, so numbers and the like become their text. */
    private String key(Object k) {
        if (k instanceof String s) {
            return s;
        }
        if (k == null) {
            return "";
        }
        if (k instanceof Integer || k instanceof Long || k instanceof BigInteger) {
            return k.toString();
        }
        if (k instanceof Double d) {
            return perlNumber(d);
        }
        if (k instanceof Boolean b) {
            return b ? "1" : "0";
        }
        throw invalid("a map key must be a string or a number, got " + (k instanceof List ? "an array" : "a map"));
    }

    /** A double as Perl prints it ({@code %.15g}, trailing zeros dropped). */
    static String perlNumber(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Inf" : "-Inf";
        }
        if (d == 0) {
            return "0";
        }
        String s = String.format(Locale.ROOT, "%.15g", d);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        String exponent = e < 0 ? "" : s.substring(e);
        if (mantissa.indexOf('.') >= 0) {
            int cut = mantissa.length();
            while (mantissa.charAt(cut - 1) == '0') {
                cut--;
            }
            if (mantissa.charAt(cut - 1) == '.') {
                cut--;
            }
            mantissa = mantissa.substring(0, cut);
        }
        return mantissa + exponent;
    }

    private Object bignum(boolean negative) {
        int initial = u8();
        int major = initial >>> 5;
        int info = initial & 0x1f;
        if (major != 2) {
            throw invalid("a bignum tag must hold a byte string, got " + CborScanner.describe(major, info));
        }
        long length = head(info);
        if (info != 31 && (length < 0 || length > MAX_BIGNUM_BYTES)) {
            throw bignumTooLong(length < 0 ? Long.MAX_VALUE : length);
        }
        byte[] magnitude = bytes(2, info, length);
        if (magnitude.length > MAX_BIGNUM_BYTES) { // an indefinite-length one, joined
            throw bignumTooLong(magnitude.length);
        }
        BigInteger n = new BigInteger(1, magnitude);
        return smallest(negative ? n.not() : n); // tag 3 holds -1 - n
    }

    private Object simple(int info, long arg) {
        switch (info) {
            case 20:
                return Boolean.FALSE;
            case 21:
                return Boolean.TRUE;
            case 22:
            case 23: // undefined: Perl has only undef
                return null;
            case 25:
                return halfToDouble((int) arg);
            case 26:
                return (double) Float.intBitsToFloat((int) arg);
            case 27:
                return Double.longBitsToDouble(arg);
            case 31:
                throw invalid("unexpected break (0xff)");
            default:
                throw invalid("unsupported simple value " + arg);
        }
    }

    static double halfToDouble(int bits) {
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        double v;
        if (exp == 0) {
            v = Math.scalb((double) mant, -24);
        } else if (exp == 31) {
            v = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            v = Math.scalb((double) (mant + 1024), exp - 25);
        }
        return (bits & 0x8000) != 0 ? -v : v;
    }

    /** A definite string's payload, or the chunks of an indefinite one joined. */
    private byte[] bytes(int major, int info, long arg) {
        if (info != 31) {
            int n = (int) arg; // bounded by the scanner
            if (n < 0 || n > end - pos) {
                throw invalid("string longer than its frame");
            }
            byte[] out = new byte[n];
            System.arraycopy(buf, pos, out, 0, n);
            pos += n;
            return out;
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        while (!atBreak()) {
            int initial = u8();
            int chunkMajor = initial >>> 5;
            int chunkInfo = initial & 0x1f;
            if (chunkMajor != major || chunkInfo == 31) {
                throw invalid("a chunk of an indefinite-length string must be a definite string of the same type, got "
                        + CborScanner.describe(chunkMajor, chunkInfo));
            }
            joined.writeBytes(bytes(major, chunkInfo, head(chunkInfo)));
        }
        return joined.toByteArray();
    }

    /** The length of a definite string that must lie within the frame. */
    private int definiteLength(long arg) {
        int n = (int) arg; // bounded by the scanner
        if (n < 0 || n > end - pos) {
            throw invalid("string longer than its frame");
        }
        return n;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Text from {@code b[from, from + n)}: ASCII (checked eight bytes at a time) by one copy, else strict UTF-8. */
    private String utf8(byte[] b, int from, int n) {
        long all = 0;
        int i = from;
        for (int last = from + n - 7; i < last; i += 8) {
            all |= (long) LONGS.get(b, i);
        }
        for (int stop = from + n; i < stop; i++) {
            all |= b[i];
        }
        if ((all & 0x8080808080808080L) == 0) {
            return new String(b, from, n, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(b, from, n));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw invalid("a text string is not valid UTF-8");
        }
    }

    /** True, and consumes it, if the next byte is a break (0xff). */
    private boolean atBreak() {
        if (pos >= end) {
            throw invalid("missing break (0xff)");
        }
        if ((buf[pos] & 0xff) == 0xff) {
            pos++;
            return true;
        }
        return false;
    }

    private int u8() {
        if (pos >= end) {
            throw invalid("truncated item");
        }
        return buf[pos++] & 0xff;
    }

    /** Reads the argument bytes of a head whose initial byte was just read. */
    private long head(int info) {
        int n = CborScanner.headLength(info) - 1;
        if (n > end - pos) {
            throw invalid("truncated item head");
        }
        long arg = CborScanner.argument(buf, pos - 1, info);
        pos += n;
        return arg;
    }

    private static Object unsigned(long arg) {
        if (arg >= 0) {
            return arg <= Integer.MAX_VALUE ? (Object) (int) arg : (Object) arg;
        }
        return BigInteger.valueOf(arg).add(TWO_64); // 2^63 and above
    }

    private static Object negative(long arg) {
        if (arg >= 0) {
            long v = -1 - arg;
            return v >= Integer.MIN_VALUE ? (Object) (int) v : (Object) v;
        }
        return BigInteger.valueOf(arg).add(TWO_64).not(); // -1 - n for n of 2^63 and above
    }

    /** An integer as the smallest of Integer, Long and BigInteger. */
    static Object smallest(BigInteger n) {
        int bits = n.bitLength();
        if (bits < 32) {
            return n.intValue();
        }
        return bits < 64 ? (Object) n.longValue() : n;
    }

    private CodecException bignumTooLong(long length) {
        return invalid("a bignum of " + length + " bytes is longer than the limit of " + MAX_BIGNUM_BYTES + " bytes");
    }

    private CodecException invalid(String what) {
        return new CodecException("cbor: invalid input at byte " + (pos - frameStart) + " of the message: " + what);
    }
}
