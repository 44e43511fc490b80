package org.aemp.config;

import static java.util.Objects.requireNonNull;

/**
 * Strict JSON decoding into plain values, as Perl's {@code JSON::XS->new->utf8->decode} reads
 * text, for {@code aemp}'s JSON arguments (CONFIG-CLI.md §4.1). It is the rc file's reader
 * ({@link RcFile#parse(String, String)}) in strict mode: no comments, no trailing commas, no raw
 * control characters in strings, no unpaired surrogate escapes, nothing after the value, at most
 * 512 levels of nesting, and any value at the top level. Values are what the rc file reader
 * makes: {@link String}, {@link Boolean}, {@code null}, {@link Long} (or
 * {@link java.math.BigInteger} up to 2<sup>64</sup>-1; a larger integer becomes the
 * {@link String} of its digits, as JSON::XS keeps it), {@link Double} (a
 * {@link java.math.BigDecimal} if it overflows a double), mutable {@link java.util.ArrayList} and
 * {@link java.util.LinkedHashMap} (keys in text order; a repeated key keeps its last value).
 * Stateless and thread-safe.
 */
public final class JsonValues {
    /** The deepest nesting accepted: JSON::XS's default {@code max_depth}. */
    public static final int MAX_DEPTH = RelaxedJsonReader.MAX_DEPTH;

    private JsonValues() {
    }

    /**
     * Decodes one strict JSON text (any value).
     *
     * @return the value; may be null (JSON {@code null})
     * @throws JsonSyntaxException if the text is not exactly one valid JSON value
     */
    public static Object parseStrict(String text) throws JsonSyntaxException {
        return RelaxedJsonReader.parse(requireNonNull(text, "text"), false);
    }
}
