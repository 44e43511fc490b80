package org.aemp.internal.net;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aemp.spi.HandshakeException;

/**
 * Greeting line 1, the first line each side sends:
 * <pre>{@code aemp;1;<nodeid>;<auth-list>;<framing-list>[;<key>=<value>]...}</pre>
 * for example
 * <pre>{@code aemp;1;alpha;tls_sha3_512,hmac_sha3_512,tls_anon,cleartext;cbor,json,storable;provider=AE-2.02;peeraddr=127.0.0.1:4040;mproto=1;gproto=1}</pre>
 * The auth list names the methods this side accepts, the framing list the framings it can
 * receive, both in order of preference. Extensions come in any order; unknown ones are ignored.
 * Nothing is escaped. Immutable.
 *
 * <p>A data connection (AEMP {@code AnyEvent::MP::DataConn}) is dialled with the protocol
 * {@code aemp-dataconn} instead of {@code aemp} and names the connection it is for in the
 * extension {@code dataconn_id}; the listener answers with its usual {@code aemp} greeting:
 * <pre>{@code aemp-dataconn;1;beta;tls_sha3_512,hmac_sha3_512;cbor,json;provider=AE-2.02;peeraddr=127.0.0.1:4040;dataconn_id=b@beta}</pre>
 */
record Greeting(String protocol, String version, String nodeId, List<String> auths, List<String> framings,
        Map<String, String> extensions) {

    static final String PROTOCOL = "aemp";
    /** The protocol of a data connection's dialler. */
    static final String DATACONN = "aemp-dataconn";
    /** The extension that names the data connection, on {@link #DATACONN} greetings. */
    static final String DATACONN_ID = "dataconn_id";

    Greeting {
        auths = List.copyOf(auths);
        framings = List.copyOf(framings);
        extensions = Map.copyOf(extensions);
    }

    /**
     * Parses a greeting line (without its line end), checking what AEMP 2.02 checks.
     *
     * @throws HandshakeException with AEMP's wording for a protocol other than {@code aemp} and
     *     {@code aemp-dataconn} (which of the two a connection may use is the handshake's call), a version other than 1,
     *     or a line with fewer than five fields; also for an empty node id or one containing
     *     {@code #}, which no port id can hold
     */
    static Greeting parse(byte[] line) {
        String text = new String(line, StandardCharsets.UTF_8);
        String[] f = text.split(";", -1);
        if (!f[0].equals(PROTOCOL) && !f[0].equals(DATACONN)) {
            throw new HandshakeException("unparsable greeting, expected '" + PROTOCOL + "', got '" + clip(f[0]) + "'");
        }
        if (f.length < 5) {
            throw new HandshakeException("unparsable greeting: expected at least 5 fields separated by ';', got "
                    + f.length + ": '" + clip(text) + "'");
        }
        if (!isVersionOne(f[1])) {
            throw new HandshakeException("version mismatch (we: 1, they: " + clip(f[1]) + ")");
        }
        if (f[2].isEmpty()) {
            throw new HandshakeException("unparsable greeting: empty node id");
        }
        if (f[2].indexOf('#') >= 0) {
            // Perl does not check, but such an id can name no port (node#port) and breaks every reply
            throw new HandshakeException("unparsable greeting: invalid node id '" + clip(f[2]) + "': must not contain '#'");
        }
        Map<String, String> ext = new LinkedHashMap<>();
        for (int i = 5; i < f.length; i++) {
            int eq = f[i].indexOf('=');
            if (eq < 0) {
                ext.put(f[i], "");
            } else {
                ext.put(f[i].substring(0, eq), f[i].substring(eq + 1));
            }
        }
        return new Greeting(f[0], f[1], f[2], list(f[3]), list(f[4]), ext);
    }

    /** AEMP compares the version as a number: "1" and "1.0" are both version 1. */
    private static boolean isVersionOne(String v) {
        try {
            return Double.parseDouble(v.trim()) == 1.0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static List<String> list(String field) {
        return field.isEmpty() ? List.of() : Arrays.asList(field.split(",", -1));
    }

    /** The line's bytes (UTF-8, no line end), extensions in the order given. */
    byte[] toLine() {
        StringBuilder b = new StringBuilder()
                .append(protocol).append(';').append(version).append(';').append(nodeId).append(';')
                .append(String.join(",", auths)).append(';').append(String.join(",", framings));
        extensions.forEach((k, v) -> b.append(';').append(k).append('=').append(v));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** True if this is a data connection's greeting ({@code aemp-dataconn}). */
    boolean isDataConn() {
        return protocol.equals(DATACONN);
    }

    /** True if this side announced TLS with major version 1 ({@code tls=1.0}). */
    boolean offersTls() {
        String v = extensions.get("tls");
        if (v == null) {
            return false;
        }
        try {
            return (int) Double.parseDouble(v.trim()) == 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The peer's text for an error message: escaped (it may hold any bytes), and at most about 80 characters. */
    private static String clip(String s) {
        return org.aemp.internal.SafeText.escape(s, 80);
    }
}
