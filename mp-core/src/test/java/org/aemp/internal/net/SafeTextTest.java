package org.aemp.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.aemp.internal.SafeText;
import org.aemp.spi.HandshakeException;
import org.junit.jupiter.api.Test;

/** Peer text in logs and error messages: escaped, clipped, letters kept. */
class SafeTextTest {

    @Test
    void printableTextAndLettersOfAnyScriptStay() {
        assertThat(SafeText.escape("aemp;1;n\u00f6de \u65e5\u672c \ufffd")).isEqualTo("aemp;1;n\u00f6de \u65e5\u672c \ufffd");
    }

    @Test
    void controlAndInvisibleCharactersAreEscaped() {
        assertThat(SafeText.escape("a\u0000b\nc\u001b[31md\u007f\u0085 \u202e\u2028"))
                .isEqualTo("a\\x00b\\x0ac\\x1b[31md\\x7f\\x85 \\u{202e}\\u{2028}");
    }

    @Test
    void aLongTextIsCutAfterTheLimitWithDots() {
        assertThat(SafeText.escape("x".repeat(80), 80)).isEqualTo("x".repeat(80));
        assertThat(SafeText.escape("x".repeat(81), 80)).isEqualTo("x".repeat(80) + "...");
        assertThat(SafeText.escape("\u0001".repeat(100), 80)).isEqualTo("\\x01".repeat(20) + "...");
    }

    @Test
    void aGreetingOfRawBytesIsRefusedWithAnEscapedQuote() {
        byte[] line = "\u0002:O\u0000\u001b]0;owned\u0007;1;x;y;z".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Greeting.parse(line)).isInstanceOf(HandshakeException.class)
                .hasMessage("unparsable greeting, expected 'aemp', got '\\x02:O\\x00\\x1b]0'");
    }
}
