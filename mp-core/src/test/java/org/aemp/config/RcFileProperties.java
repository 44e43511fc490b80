package org.aemp.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RcFileProperties {

    @Property
    void anyTextParsesOrFailsWithTheDocumentedException(@ForAll String text) {
        parseOrRcFileException(text);
    }

    @Property
    void anyBytesParseOrFailWithTheDocumentedException(@ForAll byte[] bytes) {
        try {
            assertThat(RcFile.parse(bytes, "bytes")).isNotNull();
        } catch (RcFileException e) {
            assertThat(e.getMessage()).startsWith("bytes");
        }
    }

    /** Text made of JSON tokens reaches deeper into the parser than random characters do. */
    @Property(tries = 2000)
    void jsonLikeTextParsesOrFailsWithTheDocumentedException(@ForAll("jsonSoup") String text) {
        parseOrRcFileException(text);
    }

    @Property
    void writtenTreesReadBackEqual(@ForAll("trees") Map<String, Object> tree) throws RcFileException {
        String text = RcFile.format(tree);
        assertThat(RcFile.parse(text.getBytes(StandardCharsets.UTF_8), "t")).isEqualTo(tree);
        assertThat(text).endsWith("\n\n").doesNotContain("\t");
    }

    @Property
    void writingIsStableAfterOneRoundTrip(@ForAll("treesWithDoubles") Map<String, Object> tree)
            throws RcFileException {
        String once = RcFile.format(tree);
        assertThat(RcFile.format(RcFile.parse(once, "t"))).isEqualTo(once);
    }

    private static void parseOrRcFileException(String text) {
        try {
            assertThat(RcFile.parse(text, "text")).isNotNull();
        } catch (RcFileException e) {
            assertThat(e.getMessage()).startsWith("text");
        }
    }

    @Provide
    Arbitrary<String> jsonSoup() {
        Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"k\"", "\"a\\u00e9\"", "\"\\ud800\"",
                "1", "-0.5e3", "1e999", "18446744073709551616", "true", "null", "nul", " ", "\n", "\t", "# c\n", "\"",
                "\\", "01", "+1", "\u0000", "\ufeff", "\"x\ny\"", "\"x\ty\"");
        return token.list().ofMaxSize(40).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<Map<String, Object>> trees() {
        return objects(plainScalars(), 3);
    }

    @Provide
    Arbitrary<Map<String, Object>> treesWithDoubles() {
        Arbitrary<Object> scalars = Arbitraries.oneOf(plainScalars(),
                Arbitraries.doubles().ofScale(6).between(-1e20, 1e20).map(d -> (Object) d),
                Arbitraries.doubles().map(d -> (Object) d).filter(d -> Double.isFinite((Double) d)));
        return objects(scalars, 3);
    }

    private static Arbitrary<Object> plainScalars() {
        return Arbitraries.oneOf(
                Arbitraries.strings().map(s -> (Object) s).filter(s -> !hasLoneSurrogate((String) s)),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
    }

    private static Arbitrary<Map<String, Object>> objects(Arbitrary<Object> scalars, int depth) {
        Arbitrary<Object> value = depth == 0 ? scalars : Arbitraries.oneOf(scalars,
                Arbitraries.lazy(() -> objects(scalars, depth - 1)).map(m -> (Object) m),
                Arbitraries.lazy(() -> lists(scalars, depth - 1)).map(l -> (Object) l));
        Arbitrary<String> keys = Arbitraries.strings().ofMaxLength(8).filter(s -> !hasLoneSurrogate(s));
        return Arbitraries.maps(keys, value).ofMaxSize(4)
                .map(m -> {
                    Map<String, Object> ordered = new LinkedHashMap<>(m);
                    ordered.remove("dirty");
                    return ordered;
                });
    }

    private static Arbitrary<List<Object>> lists(Arbitrary<Object> scalars, int depth) {
        Arbitrary<Object> element = depth == 0 ? scalars : Arbitraries.oneOf(scalars,
                Arbitraries.lazy(() -> objects(scalars, depth - 1)).map(m -> (Object) m));
        return element.list().ofMaxSize(4);
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
