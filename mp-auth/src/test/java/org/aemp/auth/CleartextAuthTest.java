package org.aemp.auth;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.aemp.spi.HandshakeException;
import org.aemp.spi.Secret;
import org.aemp.spi.Transcript;
import org.junit.jupiter.api.Test;

class CleartextAuthTest {
    final CleartextAuth cleartext = new CleartextAuth();
    final Transcript transcript = HmacSha3AuthTest.alphaView();

    @Test
    void tokenIsTheSecretInLowercaseHex() {
        // CRYPTO-NOTES.md 2.1 and PROTOCOL.md 7.3
        assertThat(cleartext.token(transcript, Secret.of("aemp-example-secret")))
                .isEqualTo("61656d702d6578616d706c652d736563726574");
        assertThat(cleartext.token(transcript, Secret.of("geheim"))).isEqualTo("67656865696d");
    }

    @Test
    void latin1CharactersAreOneByteEach() {
        assertThat(cleartext.token(transcript, Secret.of("\u00e9\u00ff"))).isEqualTo("e9ff");
    }

    @Test
    void tokenIgnoresTheTranscript() {
        Transcript other = Transcript.of("a".getBytes(ISO_8859_1), "b".getBytes(ISO_8859_1),
                "c".getBytes(ISO_8859_1), "d".getBytes(ISO_8859_1));
        Secret s = Secret.of("geheim");

        assertThat(cleartext.token(other, s)).isEqualTo(cleartext.token(transcript, s));
        assertThat(cleartext.verify(other, s, "67656865696d")).isTrue();
    }

    @Test
    void verifyRejectsAnotherSecretAndUppercaseHex() {
        Secret s = Secret.of("geheim");

        assertThat(cleartext.verify(transcript, s, "67656865696e")).isFalse();
        assertThat(cleartext.verify(transcript, s, "67656865696D")).isFalse();
        assertThat(cleartext.verify(transcript, s, "")).isFalse();
    }

    @Test
    void noSecretIsAHandshakeFailure() {
        assertThatThrownBy(() -> cleartext.token(transcript, null))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("no shared secret configured");
    }

    @Test
    void describesItselfByName() {
        assertThat(cleartext.name()).isEqualTo("cleartext");
        assertThat(cleartext.requiresSecret()).isTrue();
        assertThat(cleartext.requiresTls()).isFalse();
    }
}
