package org.aemp.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever the text, {@link PemBundle#parse} returns a bundle or throws a plain
 * {@link GeneralSecurityException} with a message: never a parser's runtime exception.
 */
class PemBundleProperties {
    private static final String VALID = TestCertificates.SELF_SIGNED;
    private static final List<String> TYPES = List.of("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE",
            "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY",
            "PUBLIC KEY", "X509 CRL");

    @Property
    void arbitraryTextParsesOrFailsCleanly(@ForAll String text) {
        assertParsesOrFailsCleanly(text);
    }

    @Property
    void blocksWithArbitraryContentFailCleanly(@ForAll("types") String type, @ForAll byte[] content,
                                               @ForAll boolean withValidPem) {
        String block = block(type, content);
        assertParsesOrFailsCleanly(withValidPem ? VALID + block : block);
    }

    @Property(tries = 300)
    void corruptedDerInsideValidBlocksFailsCleanly(@ForAll @IntRange(min = 0, max = 1) int which,
                                                    @ForAll @IntRange(min = 0, max = 5000) int position,
                                                    @ForAll byte value) {
        List<String> blocks = PemBundleTest.blocks(VALID);
        String target = blocks.get(which);
        String type = target.substring("-----BEGIN ".length(), target.indexOf("-----\n", 5));
        byte[] der = Base64.getMimeDecoder().decode(target.substring(target.indexOf('\n') + 1,
                target.indexOf("-----END")));
        der[position % der.length] = value;
        String corrupted = block(type, der);
        assertParsesOrFailsCleanly(which == 0 ? corrupted + blocks.get(1) : blocks.get(0) + corrupted);
    }

    @Property(tries = 300)
    void truncatedOrEditedPemFailsCleanly(@ForAll @IntRange(min = 0, max = 3000) int position,
                                          @ForAll("edits") String edit) {
        int at = Math.min(position, VALID.length());
        assertParsesOrFailsCleanly(VALID.substring(0, at) + edit + VALID.substring(at));
        assertParsesOrFailsCleanly(VALID.substring(0, at));
    }

    @Provide
    Arbitrary<String> types() {
        return Arbitraries.oneOf(Arbitraries.of(TYPES), Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12));
    }

    @Provide
    Arbitrary<String> edits() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(5),
                Arbitraries.of("\n", "-----", "-----BEGIN ", "-----END ", "=", "\n-----BEGIN CERTIFICATE-----\n"));
    }

    private static String block(String type, byte[] content) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(content)
                + "\n-----END " + type + "-----\n";
    }

    private static void assertParsesOrFailsCleanly(String text) {
        try {
            PemBundle.parse(text);
        } catch (GeneralSecurityException e) {
            assertThat(e).isExactlyInstanceOf(GeneralSecurityException.class);
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
