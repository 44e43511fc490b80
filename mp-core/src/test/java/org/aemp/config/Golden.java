package org.aemp.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The Perl-made files under {@code src/test/resources/org/aemp/config/rc/} (see the README there). */
final class Golden {
    private Golden() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("rc/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource rc/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> parsed(String name) {
        try {
            return RcFile.parse(bytes(name), name);
        } catch (RcFileException e) {
            throw new IllegalStateException(e);
        }
    }
}
