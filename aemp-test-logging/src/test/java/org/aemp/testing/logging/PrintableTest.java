package org.aemp.testing.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void printableAsciiTabsAndLettersOfAnyScriptStayAsTheyAre() {
        String text = "handshake with /127.0.0.1:4040 failed:\t'aemp;1' \u00e9t\u00e9 \u65e5\u672c \u00a7 \ufffd";
        assertThat(Printable.escape(text)).isSameAs(text);
    }

    @Test
    void controlCharactersBecomeHexEscapes() {
        assertThat(Printable.escape("a\u0000b\nc\rd\u001be\u007ff\u0085g")).isEqualTo("a\\x00b\\x0ac\\x0dd\\x1be\\x7ff\\x85g");
    }

    @Test
    void invisibleCodePointsBecomeUnicodeEscapes() {
        assertThat(Printable.escape("rtl\u202eoverride zw\u200bsp ls\u2028 pu\ue000 lone\ud800x"))
                .isEqualTo("rtl\\u{202e}override zw\\u{200b}sp ls\\u{2028} pu\\u{e000} lone\\u{d800}x");
    }

    @Test
    void supplementaryCharactersStayWhole() {
        assertThat(Printable.escape("\ud83d\ude00 \ud834\udd1e")).isEqualTo("\ud83d\ude00 \ud834\udd1e");
    }
}
