package org.aemp.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON rewriting that Perl's {@code aemp} applies to its whole argument list before any
 * command runs (CONFIG-CLI.md §4.1):
 *
 * <ol>
 *   <li>If there is exactly one argument and it starts with {@code [}, it is decoded as JSON and
 *       its elements become the argument list: {@code aemp '["setmonitor_timeout", 20]'} passes
 *       the number 20.
 *   <li>Otherwise each argument starting with {@code [}, <code>{</code> or {@code "} is decoded as
 *       JSON (any value; {@code '"text"'} gives the string {@code text}) and replaced by the
 *       result. Other words stay strings: {@code 20}, {@code true} and {@code null} are text.
 *   <li>Invalid JSON stops {@code aemp} before anything runs (a usage error).
 * </ol>
 *
 * Decoding is strict, as Perl's {@code JSON::XS->new->utf8} is: no comments, no trailing commas,
 * no raw control characters in strings, no unpaired surrogate escapes, nothing after the value,
 * at most 512 levels of nesting. Values become plain Java values as the rc file reader makes
 * them: {@link String}, {@link Boolean}, {@code null}, {@link Long} (or {@link BigInteger} up to
 * 2<sup>64</sup>-1; a larger integer becomes the {@link String} of its digits, as JSON::XS keeps
 * it), {@link Double} (a {@link java.math.BigDecimal} if it overflows a double), mutable
 * {@link ArrayList} and {@link LinkedHashMap} (a repeated key keeps its last value). Stateless and
 * thread-safe.
 */
final class JsonArguments {
    /** JSON::XS's default max_depth. */
    static final int MAX_DEPTH = 512;

    private static final BigInteger MAX_UNSIGNED = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    private JsonArguments() {
    }

    /**
     * Applies the rules above to a command line.
     *
     * @return the words, a new list that may hold any JSON value, {@code null} included
     * @throws CommandException a usage error naming the argument, the problem and the character
     *     offset, if an argument meant as JSON is not valid JSON
     */
    static List<Object> rewrite(List<String> args) {
        if (args.size() == 1 && args.get(0).startsWith("[")) {
            @SuppressWarnings("unchecked")
            List<Object> all = (List<Object>) decode(args.get(0), 1);
            return all;
        }
        List<Object> out = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            out.add(isJson(a) ? decode(a, i + 1) : a);
        }
        return out;
    }

    /** True if the argument is decoded as JSON under rule 2: it starts with {@code [}, <code>{</code> or {@code "}. */
    static boolean isJson(String arg) {
        return !arg.isEmpty() && (arg.charAt(0) == '[' || arg.charAt(0) == '{' || arg.charAt(0) == '"');
    }

    /**
     * Decodes one JSON text (any value).
     *
     * @param position the argument's 1-based position, for the error message
     * @throws CommandException a usage error if the text is not one valid JSON value
     */
    static Object decode(String text, int position) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw malformed(text, position, text.length(), "no JSON value found");
            }
            Object value = readValue(p, text, position);
            if (p.nextToken() != null) {
                throw malformed(text, position, offset(p.currentTokenLocation()), "garbage after the JSON value");
            }
            return value;
        } catch (CommandException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // JsonProcessingException (syntax, nesting depth, number length), or a number Jackson
            // could not convert: all mean "not valid JSON" here.
            JsonLocation at = e instanceof JsonProcessingException jpe
                    ? jpe.getLocation() : null;
            String problem = e instanceof JsonProcessingException jpe
                    ? jpe.getOriginalMessage() : e.getMessage();
            throw malformed(text, position, at == null ? -1 : offset(at), problem == null ? e.toString() : problem);
        }
    }

    private static Object readValue(JsonParser p, String text, int position) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            throw malformed(text, position, text.length(), "unexpected end of input");
        }
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = checkedString(p, text, position);
                    p.nextToken();
                    map.put(key, readValue(p, text, position));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(p, text, position));
                }
                return list;
            }
            case VALUE_STRING:
                return checkedString(p, text, position);
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
                throw malformed(text, position, offset(p.currentTokenLocation()), "unexpected " + t);
        }
    }

    /** Perl's integers: IV, UV, or (beyond 64 bits) a string of the digits, as JSON::XS keeps them. */
    private static Object integer(BigInteger v) {
        if (v.bitLength() < 64) {
            return v.longValue();
        }
        if (v.signum() > 0 && v.compareTo(MAX_UNSIGNED) <= 0) {
            return v;
        }
        return v.toString();
    }

    /** JSON::XS rejects unpaired surrogate escapes such as <code>"&#92;ud800"</code>; Jackson does not. */
    private static String checkedString(JsonParser p, String text, int position) throws IOException {
        String value = p.getText();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw malformed(text, position, offset(p.currentTokenLocation()), "unpaired UTF-16 surrogate in a string");
            }
        }
        return value;
    }

    private static int offset(JsonLocation location) {
        return location == null ? -1 : (int) location.getCharOffset();
    }

    private static CommandException malformed(String text, int position, int offset, String problem) {
        String clean = problem.replaceAll(": enable `[^`]*` to allow.*$", "").replace('\n', ' ');
        return CommandException.usage("malformed JSON in argument " + position + " " + Words.quote(text) + ": "
                + clean + (offset >= 0 ? " (at character offset " + offset + ")" : ""));
    }
}
