package org.aemp.spi;

import javax.net.ssl.SSLEngine;

/**
 * One node's TLS setup: its key, certificate and trusted CAs. Thread-safe.
 */
public interface TlsContext {

    /**
     * A new engine for one link. AEMP decides the TLS role by comparing nonces, not by who dialled,
     * so either side may be the client. Both roles require and verify the peer's certificate
     * against the trusted CAs, with no host-name check.
     */
    SSLEngine newEngine(boolean clientMode);

    /** What implements it, for the log: e.g. {@code OpenSSL (BoringSSL)} or {@code JDK}. */
    String implementation();
}
