package org.aemp.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.aemp.spi.HandshakeException;

/** Greeting line 1 (PROTOCOL.md section 3): any line parses or fails with a HandshakeException. */
class GreetingProperties {

    @Property(tries = 2000)
    void anyLineGivesAGreetingOrAHandshakeException(@ForAll byte[] line) {
        parseOrRefuse(line);
    }

    @Property(tries = 2000)
    void anyLineMadeOfGreetingPiecesGivesAGreetingOrAHandshakeException(@ForAll("greetingish") String line) {
        parseOrRefuse(line.getBytes(StandardCharsets.UTF_8));
    }

    private static void parseOrRefuse(byte[] line) {
        try {
            Greeting g = Greeting.parse(line);
            assertThat(g.protocol()).isIn("aemp", "aemp-dataconn");
            assertThat(g.nodeId()).isNotEmpty().doesNotContain("#");
        } catch (HandshakeException e) {
            assertThat(e.getMessage()).containsAnyOf("unparsable greeting", "version mismatch");
            String protocol = new String(line, StandardCharsets.UTF_8).split(";", -1)[0];
            if (!protocol.equals("aemp") && !protocol.equals("aemp-dataconn")) {
                assertThat(e.getMessage()).as("any other protocol is refused first").startsWith(
                        "unparsable greeting, expected 'aemp', got '");
            }
            assertThat(e.getMessage().length()).as("a short message, the input clipped").isLessThan(300);
            assertThat(e.getMessage().codePoints().filter(Character::isISOControl))
                    .as("the peer's bytes quoted without control characters").isEmpty();
        }
    }

    @Property(tries = 2000)
    void formatThenParseGivesTheSameGreeting(@ForAll("greetings") Greeting g) {
        assertThat(Greeting.parse(g.toLine())).isEqualTo(g);
    }

    /** Lines that look like greetings: the right separators, the right words, some junk. */
    @Provide
    Arbitrary<String> greetingish() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("aemp", "aemp-dataconn", "1", "1.0", "2", "", "x", "a#b", "hmac_sha3_512,cleartext",
                        "json,cbor", "provider=x", "tls=1.0", "=", "a=b=c", "NaN", "1e0", "0x1p0", " 1 "),
                Arbitraries.strings().ofMaxLength(12));
        return piece.list().ofMaxSize(9).map(l -> String.join(";", l));
    }

    @Provide
    Arbitrary<Greeting> greetings() {
        Arbitrary<String> word = Arbitraries.strings().ofMinLength(1).ofMaxLength(12)
                .excludeChars(';', ',', '=', '\n', '\r').filter(GreetingProperties::noSurrogates);
        Arbitrary<String> value = Arbitraries.strings().ofMaxLength(12)
                .excludeChars(';', '\n', '\r').filter(GreetingProperties::noSurrogates);
        Arbitrary<String> nodeId = Arbitraries.strings().ofMinLength(1).ofMaxLength(20)
                .excludeChars(';', '#', '\n', '\r').filter(GreetingProperties::noSurrogates);
        Arbitrary<Map<String, String>> ext = Arbitraries.maps(word, value).ofMaxSize(5);
        return Combinators.combine(Arbitraries.of("1", "1.0"), nodeId, word.list().ofMaxSize(4),
                word.list().ofMaxSize(4), ext)
                .as((version, id, auths, framings, extensions) ->
                        new Greeting("aemp", version, id, auths, framings, extensions));
    }

    @Property(tries = 1000)
    void aDataConnGreetingRoundTripsWithItsId(@ForAll("greetings") Greeting g,
            @ForAll("dataConnIds") String id) {
        Map<String, String> ext = new java.util.LinkedHashMap<>(g.extensions());
        ext.put("dataconn_id", id);
        Greeting dc = new Greeting("aemp-dataconn", g.version(), g.nodeId(), g.auths(), g.framings(), ext);
        Greeting parsed = Greeting.parse(dc.toLine());
        assertThat(parsed).isEqualTo(dc);
        assertThat(parsed.isDataConn()).isTrue();
        assertThat(parsed.extensions()).containsEntry("dataconn_id", id);
        assertThat(Greeting.parse(g.toLine()).isDataConn()).isFalse();
    }

    @Property(tries = 1000)
    void aProtocolOtherThanAempOrAempDataconnIsRefusedWithAempsWording(@ForAll("greetings") Greeting g,
            @ForAll("protocols") String protocol) {
        String line = new String(g.toLine(), StandardCharsets.UTF_8).replaceFirst("^aemp;", "");
        try {
            Greeting.parse((protocol + ";" + line).getBytes(StandardCharsets.UTF_8));
            assertThat(protocol).isIn("aemp", "aemp-dataconn");
        } catch (HandshakeException e) {
            assertThat(protocol).isNotIn("aemp", "aemp-dataconn");
            assertThat(e.getMessage()).startsWith("unparsable greeting, expected 'aemp', got '");
        }
    }

    @Provide
    Arbitrary<String> dataConnIds() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(30).excludeChars(';', '\n', '\r')
                .filter(GreetingProperties::noSurrogates);
    }

    @Provide
    Arbitrary<String> protocols() {
        return Arbitraries.oneOf(Arbitraries.of("aemp", "aemp-dataconn", "aemp-", "aemp-other", "AEMP", "aemp ",
                "aemp-dataconn2", ""), Arbitraries.strings().ofMaxLength(16).excludeChars(';', '\n', '\r'));
    }

    private static boolean noSurrogates(String s) {
        return s.chars().noneMatch(c -> Character.isSurrogate((char) c));
    }

    @Property(tries = 100)
    void extensionsKeepEverythingAfterTheFirstEquals(@ForAll("greetings") Greeting g) {
        byte[] line = (new String(g.toLine(), StandardCharsets.UTF_8) + ";url=a=b;flag").getBytes(StandardCharsets.UTF_8);
        Greeting parsed = Greeting.parse(line);
        assertThat(parsed.extensions()).containsEntry("url", "a=b").containsEntry("flag", "");
        assertThat(parsed.auths()).isEqualTo(g.auths());
        assertThat(List.copyOf(parsed.framings())).isEqualTo(g.framings());
    }
}
