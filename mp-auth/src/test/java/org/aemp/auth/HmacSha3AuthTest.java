package org.aemp.auth;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.aemp.spi.HandshakeException;
import org.aemp.spi.Secret;
import org.aemp.spi.Transcript;
import org.junit.jupiter.api.Test;

/** The fixed vectors of PROTOCOL.md 12.1 and CRYPTO-NOTES.md 2.1, cross-checked there with Perl and Python. */
class HmacSha3AuthTest {
    /** PROTOCOL.md 12.1: alpha (Perl) dials beta (Java), secret {@code aemp-example-secret}. */
    static final String A1 = "aemp;1;alpha;tls_sha3_512,hmac_sha3_512,tls_anon,cleartext;cbor,json,storable;"
            + "provider=AE-2.02;peeraddr=127.0.0.1:4040;mproto=1;gproto=1";
    static final String A2 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BB";
    static final String B1 = "aemp;1;beta;hmac_sha3_512;json;provider=Java-0.1;peeraddr=127.0.0.1:50000;mproto=1;gproto=1";
    static final String B2 = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoOEhYaHiImKi4yNjo+QkZKTlJWWl5iZmpucnZ6foKGio6Sl";
    static final Secret SECRET = Secret.of("aemp-example-secret");
    static final String ALPHA_TOKEN = "1b4cd6bf2f3eaa57f2cd5a1f70b4f6ad50dbb45c10718b10e90cfbc45d6b7ae5"
            + "04c0f885f03483d1fa26e74721010912becced21bcadc16da25040d846482efd";
    static final String BETA_TOKEN = "1ccc5572cb4277af3c86a2bac076f96b453d53d5fa86f6e025f496ff5b0f3474"
            + "96bcba1598d8f00f28f40d1f7fe5eebdd693f8134b212d07eebf22b8377b4a3c";

    final HmacSha3Auth hmac = new HmacSha3Auth();

    static Transcript alphaView() {
        return Transcript.of(A1.getBytes(ISO_8859_1), A2.getBytes(ISO_8859_1), B1.getBytes(ISO_8859_1),
                B2.getBytes(ISO_8859_1));
    }

    @Test
    void workedExampleLinesHaveTheDocumentedLengths() {
        assertThat(A1).hasSize(136);
        assertThat(B1).hasSize(91);
        assertThat(alphaView().bytes()).hasSize(407);
    }

    @Test
    void workedExampleTokensOfBothSides() {
        assertThat(hmac.token(alphaView(), SECRET)).isEqualTo(ALPHA_TOKEN);
        assertThat(hmac.token(alphaView().reversed(), SECRET)).isEqualTo(BETA_TOKEN);
    }

    @Test
    void eachSideVerifiesTheOthersToken() {
        assertThat(hmac.verify(alphaView(), SECRET, BETA_TOKEN)).isTrue();
        assertThat(hmac.verify(alphaView().reversed(), SECRET, ALPHA_TOKEN)).isTrue();
        // a side's own token is not what it expects back: the line order differs
        assertThat(hmac.verify(alphaView(), SECRET, ALPHA_TOKEN)).isFalse();
    }

    @Test
    void verifyRejectsAnotherSecretAChangedCharacterAndUppercaseHex() {
        assertThat(hmac.verify(alphaView(), Secret.of("aemp-example-secreT"), BETA_TOKEN)).isFalse();
        assertThat(hmac.verify(alphaView(), SECRET, BETA_TOKEN.substring(0, 127) + "d")).isFalse();
        assertThat(hmac.verify(alphaView(), SECRET, BETA_TOKEN.substring(0, 127))).isFalse();
        // Perl compares the strings exactly and sends lowercase, so uppercase is a mismatch
        assertThat(hmac.verify(alphaView(), SECRET, BETA_TOKEN.toUpperCase())).isFalse();
    }

    @Test
    void keyLongerThanTheBlockIsHashedFirst() {
        String token = HmacSha3Auth.hmacHex("K".repeat(100).getBytes(ISO_8859_1), "msg".getBytes(ISO_8859_1));

        assertThat(token).isEqualTo("cfa01149de9de22b5807c4635577bf98663b13fedf2837b4fbdf0aa4b3cc1984"
                + "cc1e586a5a712117ceecb9a273036620bd2533a7eeeaea4cc1f196b33aa22ec9");
    }

    @Test
    void jdkSha3IsFips202NotKeccak() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA3-512").digest("abc".getBytes(ISO_8859_1));

        assertThat(HexFormat.of().formatHex(digest)).isEqualTo("b751850b1a57168a5693cd924b6b096e08f621827444f70d"
                + "884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0");
    }

    @Test
    void tokenIs128LowercaseHexCharacters() {
        assertThat(hmac.token(alphaView(), Secret.of("\u00ff\u0000x"))).hasSize(128).matches("[0-9a-f]+");
    }

    @Test
    void noSecretIsAHandshakeFailureThatSaysWhy() {
        assertThatThrownBy(() -> hmac.token(alphaView(), null))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("no shared secret configured");
        assertThatThrownBy(() -> hmac.verify(alphaView(), null, BETA_TOKEN))
                .isInstanceOf(HandshakeException.class);
    }

    @Test
    void describesItselfByName() {
        assertThat(hmac.name()).isEqualTo("hmac_sha3_512");
        assertThat(hmac.requiresSecret()).isTrue();
        assertThat(hmac.requiresTls()).isFalse();
        assertThat(hmac).hasToString("hmac_sha3_512");
    }
}
