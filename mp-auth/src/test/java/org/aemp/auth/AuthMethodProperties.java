package org.aemp.auth;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.aemp.spi.AuthMethod;
import org.aemp.spi.Secret;
import org.aemp.spi.Transcript;

/** Both sides of a handshake agree for any secret and greeting lines, and only with the same secret. */
class AuthMethodProperties {

    @Property
    void peerAcceptsWhatTheSenderComputes(@ForAll("methods") AuthMethod method, @ForAll("secrets") String secret,
            @ForAll("secrets") String otherSecret, @ForAll("lines") String own1, @ForAll("lines") String own2,
            @ForAll("lines") String peer1, @ForAll("lines") String peer2) {
        Assume.that(!secret.equals(otherSecret));
        Transcript receiver = Transcript.of(own1.getBytes(ISO_8859_1), own2.getBytes(ISO_8859_1),
                peer1.getBytes(ISO_8859_1), peer2.getBytes(ISO_8859_1));
        Secret s = Secret.of(secret);

        String sent = method.token(receiver.reversed(), s);

        assertThat(sent).matches("[0-9a-f]+");
        assertThat(method.verify(receiver, s, sent)).isTrue();
        assertThat(method.verify(receiver, Secret.of(otherSecret), sent)).isFalse();
    }

    @Provide
    Arbitrary<AuthMethod> methods() {
        return Arbitraries.of(new HmacSha3Auth(), new CleartextAuth());
    }

    /** Non-empty secrets of characters up to U+00FF, the only ones Perl can hash. */
    @Provide
    Arbitrary<String> secrets() {
        return Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMinLength(1).ofMaxLength(100);
    }

    /** Greeting lines: any bytes but LF, which ends a line. */
    @Provide
    Arbitrary<String> lines() {
        return Arbitraries.strings().withCharRange('\u0000', '\u00ff').excludeChars('\n').ofMaxLength(200);
    }
}
