package org.aemp.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * Splits PEM text into its blocks and writes PEM text. Splitting first (rather than handing the
 * whole text to one {@code PEMParser}) lets an error name the block that failed. Text outside
 * blocks is ignored, as OpenSSL ignores it. Stateless; thread-safe.
 */
final class PemText {
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    /** One {@code -----BEGIN type-----} … {@code -----END type-----} block; index counts from 1. */
    record Block(int index, String type, String text) {
        /** How error messages name the block: {@code PEM block 2 (CERTIFICATE)}. */
        String label() {
            return "PEM block " + index + " (" + type + ")";
        }
    }

    private PemText() {
    }

    /**
     * The blocks of the text, in order.
     *
     * @throws GeneralSecurityException if a block has a malformed BEGIN line or no END line
     */
    static List<Block> blocks(String text) throws GeneralSecurityException {
        List<Block> blocks = new ArrayList<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.startsWith(BEGIN)) {
                continue;
            }
            int index = blocks.size() + 1;
            if (!line.endsWith(DASHES) || line.length() <= BEGIN.length() + DASHES.length()) {
                throw new GeneralSecurityException("PEM block " + index + " has a malformed BEGIN line: '"
                        + abbreviate(line) + "'");
            }
            String type = line.substring(BEGIN.length(), line.length() - DASHES.length());
            StringBuilder block = new StringBuilder(line).append('\n');
            int end = i + 1;
            while (end < lines.length && !lines[end].strip().startsWith(END)) {
                block.append(lines[end].strip()).append('\n');
                end++;
            }
            if (end == lines.length) {
                throw new GeneralSecurityException("PEM block " + index + " (" + abbreviate(type)
                        + ") has no END line");
            }
            String endLine = lines[end].strip();
            if (!endLine.equals(END + type + DASHES)) {
                throw new GeneralSecurityException("PEM block " + index + " (" + abbreviate(type) + ") ends with '"
                        + abbreviate(endLine) + "', expected '" + END + abbreviate(type) + DASHES + "'");
            }
            block.append(endLine).append('\n');
            blocks.add(new Block(index, type, block.toString()));
            i = end;
        }
        return blocks;
    }

    /**
     * PEM text for these objects, one block each, in order, with LF line ends (as OpenSSL writes
     * them, whatever the platform's line separator). Certificates become {@code CERTIFICATE} blocks;
     * pass a {@code JcaPKCS8Generator} for a {@code PRIVATE KEY} block.
     */
    static String write(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                pem.writeObject(o);
            }
        } catch (IOException e) {
            // a StringWriter does not fail; an encoding failure here is a bug in the caller's objects
            throw new UncheckedIOException("cannot write PEM: " + e.getMessage(), e);
        }
        return out.toString().replace("\r\n", "\n");
    }

    /** Keeps hostile input from flooding an error message. */
    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
