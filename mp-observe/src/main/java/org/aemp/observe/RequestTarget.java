package org.aemp.observe;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed HTTP request target of the page's server: one of the few paths it serves, and the token
 * from the query, if any. Anything else is refused with the status to answer:
 *
 * <pre>{@code
 * /                    the page          /observe.js, /observe.css   its script and style
 * /events              the SSE stream    /snapshot.json              one snapshot
 * ?token=<hex>         the access token (other query parameters are ignored)
 * }</pre>
 *
 * @param path the path, one of {@link #PATHS}
 * @param token the {@code token} parameter, or empty
 */
record RequestTarget(String path, Optional<String> token) {
    /** The paths served. */
    static final Set<String> PATHS = Set.of("/", "/observe.js", "/observe.css", "/events", "/snapshot.json");
    /** The longest request target taken. */
    static final int MAX_LENGTH = 1024;

    /** Why a request target was refused: the HTTP status and a short reason. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /**
     * Parses a request target ({@code /path?query}).
     *
     * @throws Refused 414 if longer than {@link #MAX_LENGTH}; 400 if it is not an origin-form
     *     target or its escapes are broken; 404 for a path not served
     */
    static RequestTarget parse(String target) throws Refused {
        if (target.length() > MAX_LENGTH) {
            throw new Refused(414, "request target longer than " + MAX_LENGTH);
        }
        if (!target.startsWith("/")) {
            throw new Refused(400, "request target must start with '/'");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new Refused(400, "request target holds a character that must be escaped");
            }
        }
        int q = target.indexOf('?');
        int hash = target.indexOf('#');
        String path = target.substring(0, q >= 0 ? q : hash >= 0 ? hash : target.length());
        String query = q >= 0 ? target.substring(q + 1, hash > q ? hash : target.length()) : "";
        if (!PATHS.contains(path)) {
            throw new Refused(404, "not found");
        }
        Optional<String> token = Optional.empty();
        if (!query.isEmpty()) {
            for (String pair : query.split("&", -1)) {
                int eq = pair.indexOf('=');
                String name = decode(eq >= 0 ? pair.substring(0, eq) : pair);
                if (name.equals("token")) {
                    if (token.isPresent()) {
                        throw new Refused(400, "token given twice");
                    }
                    token = Optional.of(decode(eq >= 0 ? pair.substring(eq + 1) : ""));
                }
            }
        }
        return new RequestTarget(path, token);
    }

    private static String decode(String s) throws Refused {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "broken %-escape in the query");
        }
    }

    /**
     * True if {@code host} (a Host header) names the loopback interface with {@code port}: a page
     * bound to loopback answers only such requests, so that a web site cannot reach it through a
     * host name it points at 127.0.0.1 (DNS rebinding).
     */
    static boolean isLoopbackHost(String host, int port) {
        String p = ":" + port;
        return host.equals("127.0.0.1" + p) || host.equals("localhost" + p) || host.equals("[::1]" + p);
    }
}
