package org.aemp.codec.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aemp.spi.BoundedFrameDecoder;
import org.aemp.spi.CodecException;
import org.aemp.spi.DecodeLimits;

/**
 * Splits a stream of concatenated JSON arrays into messages (what JSON::XS {@code incr_parse}
 * does), then parses each one whole. A byte scanner finds where each top-level array ends: it
 * tracks the nesting of brackets and braces, and strings with their escapes, and nothing else, so
 * no value is built until a message is complete. Whitespace between messages is skipped. The
 * scanner also counts containers and strings, a lower bound of the message's values, so that a
 * message of millions of {@code {}} fails at the element limit before it is held whole. Jackson
 * then reads the complete array, which it validates, and every value built counts towards the
 * element limit.
 *
 * <p>Jackson's parser is its non-blocking one, kept for the connection and fed one whole frame at a
 * time: it never sees an incomplete message, and a frame costs no parser of its own (a blocking
 * parser per frame allocated some 640 bytes and made small messages 40% slower to decode).
 *
 * <p>Not thread-safe; one per connection.
 */
final class JsonFrameDecoder extends BoundedFrameDecoder {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;

    private static final byte[] NONE = new byte[0];

    private final JsonParser parser; // non-blocking, fed one whole frame at a time
    private final ByteArrayFeeder feeder;
    private final int maxElements;
    private long fedBefore; // bytes fed to the parser before the current frame
    // the scanner's progress in the current frame, kept between calls while the frame is incomplete
    private int scanned; // bytes of the frame scanned, from its '['
    private int depth; // arrays and objects open
    private boolean inString;
    private boolean escaped; // the byte before was a backslash in a string
    private long values; // containers and strings seen

    JsonFrameDecoder(JsonFactory factory, DecodeLimits limits) {
        super("json", limits);
        try {
            this.parser = factory.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        this.maxElements = limits.maxElements();
    }

    /** Whitespace between messages, as JSON allows it between values. */
    @Override
    protected int skip(byte[] buf, int start, int end) {
        int p = start;
        while (p < end && isWhitespace(buf[p])) {
            p++;
        }
        return p - start;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    @Override
    protected int frameLength(byte[] buf, int start, int end) {
        if (scanned == 0 && buf[start] != '[') {
            throw new CodecException("json: expected a message array, got " + describe(buf[start]));
        }
        int p = start + scanned;
        int d = depth;
        boolean str = inString;
        boolean esc = escaped;
        long v = values;
        while (p < end) {
            if (str) {
                if (esc) {
                    esc = false;
                    p++;
                    continue;
                }
                p = plainEnd(buf, p, end);
                if (p == end) {
                    break;
                }
                if (buf[p++] == '"') {
                    str = false;
                } else {
                    esc = true; // a backslash: the next byte is escaped
                }
                continue;
            }
            switch (buf[p++]) {
                case '"' -> {
                    str = true;
                    if (++v > maxElements) {
                        checkElements(v);
                    }
                }
                case '[', '{' -> {
                    d++;
                    if (++v > maxElements) {
                        checkElements(v);
                    }
                }
                case ']', '}' -> {
                    if (--d == 0) {
                        scanned = 0;
                        depth = 0;
                        inString = false;
                        escaped = false;
                        values = 0;
                        return p - start;
                    }
                }
                default -> {
                    // anything else is Jackson's to judge when the message is complete
                }
            }
        }
        scanned = p - start;
        depth = d;
        inString = str;
        escaped = esc;
        values = v;
        return NEED_MORE;
    }

    /** The first index from {@code p} holding a quote or a backslash, or {@code end}; eight bytes at a time. */
    private static int plainEnd(byte[] b, int p, int end) {
        for (int last = end - 8; p <= last; p += 8) {
            long w = (long) LONGS.get(b, p);
            long q = w ^ QUOTES;
            long s = w ^ BACKSLASHES;
            long hit = ((q - ONES) & ~q | (s - ONES) & ~s) & HIGHS; // the lowest set bit marks the first match
            if (hit != 0) {
                return p + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
        }
        while (p < end && b[p] != '"' && b[p] != '\\') {
            p++;
        }
        return p;
    }

    private static String describe(byte b) {
        return switch (b) {
            case '{' -> "an object";
            case 'n' -> "null";
            case '"', 't', 'f', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> "a scalar";
            default -> b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
        };
    }

    @Override
    protected List<Object> parse(byte[] buf, int start, int length) {
        try {
            feeder.feedInput(buf, start, start + length);
            try {
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    throw new CodecException("json: expected a message array"); // the scanner saw '['
                }
                countElements(1);
                List<Object> message = array(parser);
                if (parser.nextToken() != JsonToken.NOT_AVAILABLE) {
                    throw new CodecException("json: invalid input: the message array ends before its frame");
                }
                feeder.feedInput(NONE, 0, 0); // let go of the caller's bytes
                return message;
            } catch (JsonProcessingException e) {
                throw new CodecException("json: invalid input near byte "
                        + (parser.currentLocation().getByteOffset() - fedBefore) + " of the message: "
                        + e.getOriginalMessage(), e);
            } finally {
                fedBefore += length;
            }
        } catch (IOException e) {
            throw new CodecException("json: " + e.getMessage(), e);
        }
    }

    private List<Object> array(JsonParser p) throws IOException {
        List<Object> list = new ArrayList<>();
        for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) {
            countElements(1);
            list.add(value(p, t));
        }
        return list;
    }

    private Map<String, Object> object(JsonParser p) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        for (JsonToken t; (t = p.nextToken()) != JsonToken.END_OBJECT; ) {
            String key = p.currentName(); // t is FIELD_NAME: Jackson checks the syntax
            countElements(2);
            map.put(key, value(p, p.nextToken()));
        }
        return map;
    }

    private Object value(JsonParser p, JsonToken t) throws IOException {
        if (t == null || t == JsonToken.NOT_AVAILABLE) {
            throw new CodecException("json: invalid input: the message ends early");
        }
        return switch (t) {
            case START_ARRAY -> array(p);
            case START_OBJECT -> object(p);
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new CodecException("json: unexpected token " + t);
        };
    }
}
