package org.aemp.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads rc file text the way Perl's {@code JSON::XS->new->utf8->relaxed->decode} does, into
 * plain Java values: {@link String}, {@link Boolean}, {@link Long} (or {@link BigInteger} up to
 * 2<sup>64</sup>-1, like Perl's unsigned integers; a larger integer becomes a {@link String} of
 * its digits, as JSON::XS keeps it), {@link Double} (or {@link BigDecimal} when the number
 * overflows a double: Perl would hold {@code inf} and write the invalid JSON {@code inf}; we keep
 * the digits), {@code null}, {@link ArrayList}
 * and {@link LinkedHashMap} (keys in file order; a repeated key keeps its first position and its
 * last value, as Perl's hash assignment keeps the last value).
 *
 * <p>Relaxed means what JSON::XS 4 means: a trailing comma in arrays and objects ({@code [1,]},
 * but not {@code [,]}), {@code #} comments to the end of the line wherever white space may go, and
 * a literal TAB inside strings. Jackson's {@code ALLOW_UNESCAPED_CONTROL_CHARS} would allow every
 * control character, so other raw control characters are rejected here by a scan of the raw
 * string, as JSON::XS rejects them; unpaired surrogate escapes (such as
 * <code>"&#92;ud800"</code>) are rejected as JSON::XS rejects them. The bytes must be strict UTF-8 (no byte-order mark, no UTF-16 guessing, which
 * Jackson would otherwise do on bytes). Nesting deeper than 512 fails, JSON::XS's default
 * {@code max_depth}. The top level must be an object, since Perl dereferences it as a hash.
 *
 * <p>The same reader, in strict mode, decodes {@code aemp}'s JSON arguments as Perl's
 * {@code JSON::XS->new->utf8->decode} does ({@link JsonValues#parseStrict}): no comments, no
 * trailing commas, no raw control characters in strings, any value at the top level. Values,
 * surrogate checks and the nesting limit are the same in both modes.
 *
 * <p>Stateless and thread-safe.
 */
final class RelaxedJsonReader {
    /** JSON::XS's default max_depth. */
    static final int MAX_DEPTH = 512;

    private static final BigInteger MAX_UNSIGNED = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private static final StreamReadConstraints CONSTRAINTS =
            StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build();

    private static final JsonFactory RELAXED = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonReadFeature.ALLOW_YAML_COMMENTS)
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .streamReadConstraints(CONSTRAINTS)
            .build();

    private static final JsonFactory STRICT = JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build();

    private RelaxedJsonReader() {
    }

    /** Decodes strict UTF-8, then parses the text as one JSON object. */
    static Map<String, Object> parseObject(byte[] utf8, String source) throws RcFileException {
        return parseObject(decodeUtf8(utf8, source), source);
    }

    /** Parses the text as one JSON object, relaxed. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String text, String source) throws RcFileException {
        try {
            return (Map<String, Object>) parse(text, true);
        } catch (JsonSyntaxException e) {
            throw new RcFileException(source, e.line(), e.column(), e.problem(), e.getCause());
        }
    }

    /**
     * Parses one JSON text: relaxed, whose top level must be an object (the rc file), or strict,
     * any value (a command-line argument).
     */
    static Object parse(String text, boolean relaxed) throws JsonSyntaxException {
        String what = relaxed ? "object" : "value";
        JsonParser p;
        try {
            p = (relaxed ? RELAXED : STRICT).createParser(text);
        } catch (IOException e) {
            throw new JsonSyntaxException(e.toString(), -1, -1, -1, e);
        }
        try (p) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw error(text, text.length(), relaxed
                        ? "no JSON object found (the text is empty or only comments)" : "no JSON value found");
            }
            if (relaxed && first != JsonToken.START_OBJECT) {
                throw error(text, offset(p.currentTokenLocation()),
                        "the top level must be a JSON object, found " + describe(first));
            }
            Object root = readValue(p, text);
            if (p.nextToken() != null) {
                throw error(text, offset(p.currentTokenLocation()), "garbage after the JSON " + what);
            }
            return root;
        } catch (JsonProcessingException e) {
            // constraint violations (nesting depth, number length) come without a location
            JsonLocation at = e.getLocation() != null ? e.getLocation() : p.currentLocation();
            throw new JsonSyntaxException(withoutJacksonHints(e.getOriginalMessage()), at.getLineNr(),
                    at.getColumnNr(), offset(at), e);
        } catch (NumberFormatException | ArithmeticException e) {
            // Jackson normally wraps these; kept as a guard so that no input escapes the documented exception.
            JsonLocation at = p.currentLocation();
            throw new JsonSyntaxException("unusable number: " + e.getMessage(), at.getLineNr(), at.getColumnNr(),
                    offset(at), e);
        } catch (IOException e) {
            throw new JsonSyntaxException(e.toString(), -1, -1, -1, e);
        }
    }

    private static Map<String, Object> readObject(JsonParser p, String text) throws IOException, JsonSyntaxException {
        Map<String, Object> map = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = checkedString(p, text);
            p.nextToken();
            map.put(key, readValue(p, text));
        }
        if (t != JsonToken.END_OBJECT) {
            // Jackson reports structural errors itself; this only guards against an unexpected state.
            throw error(text, offset(p.currentTokenLocation()), "unexpected " + describe(t));
        }
        return map;
    }

    private static List<Object> readArray(JsonParser p, String text) throws IOException, JsonSyntaxException {
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            list.add(readValue(p, text));
        }
        return list;
    }

    private static Object readValue(JsonParser p, String text) throws IOException, JsonSyntaxException {
        JsonToken t = p.currentToken();
        if (t == null) {
            throw error(text, text.length(), "unexpected end of input");
        }
        switch (t) {
            case START_OBJECT:
                return readObject(p, text);
            case START_ARRAY:
                return readArray(p, text);
            case VALUE_STRING:
                return checkedString(p, text);
            case VALUE_NUMBER_INT:
                return integer(p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT:
                double d = p.getDoubleValue();
                return Double.isInfinite(d) ? p.getDecimalValue() : (Object) d;
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw error(text, offset(p.currentTokenLocation()), "unexpected " + describe(t));
        }
    }
    /**
     * Perl keeps integers as IV (64-bit signed) or UV (64-bit unsigned); JSON::XS keeps a larger
     * integer as a string of its digits (and writes it back quoted), so that no digit is lost.
     */
    private static Object integer(BigInteger v) {
        if (v.bitLength() < 64) {
            return v.longValue();
        }
        if (v.signum() > 0 && v.compareTo(MAX_UNSIGNED) <= 0) {
            return v;
        }
        return v.toString();
    }

    /**
     * The text of the current string or field name, after checking what Jackson lets through but
     * JSON::XS does not: raw control characters other than TAB, and unpaired surrogate escapes.
     */
    private static String checkedString(JsonParser p, String text) throws IOException, JsonSyntaxException {
        String value = p.getText();
        int start = offset(p.currentTokenLocation());
        if (start >= 0 && start < text.length() && text.charAt(start) == '"') {
            for (int i = start + 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    break;
                } else if (c < 0x20 && c != '\t') {
                    throw error(text, i, String.format(
                            "invalid character U+%04X inside a string (escape it; only TAB may appear raw)",
                            (int) c));
                }
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw error(text, start, "unpaired UTF-16 surrogate escape in a string");
            }
        }
        return value;
    }

    private static String decodeUtf8(byte[] bytes, String source) throws RcFileException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new RcFileException(source, line, at - lineStart + 1,
                    "invalid UTF-8 at byte offset " + at + " (the rc file must be UTF-8)", null);
        }
        out.flip();
        return out.toString();
    }

    /** Drops Jackson's advice to enable a feature, which makes no sense to someone editing an rc file or a command line. */
    private static String withoutJacksonHints(String message) {
        return message == null ? "malformed JSON" : message.replaceAll(": enable `[^`]*` to allow.*$", "");
    }

    private static int offset(JsonLocation location) {
        return location == null ? -1 : (int) location.getCharOffset();
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        switch (t) {
            case START_ARRAY:
                return "an array";
            case START_OBJECT:
                return "an object";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.asString() == null ? t.name() : "'" + t.asString() + "'";
        }
    }

    /** An error at a character offset of the text, with line and column worked out from it. */
    private static JsonSyntaxException error(String text, int offset, String problem) {
        if (offset < 0) {
            return new JsonSyntaxException(problem, -1, -1, -1, null);
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < Math.min(offset, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new JsonSyntaxException(problem, line, offset - lineStart + 1, offset, null);
    }
}
