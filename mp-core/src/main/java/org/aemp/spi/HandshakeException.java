package org.aemp.spi;

/**
 * The AEMP handshake failed: a malformed greeting, a version mismatch, no common auth method or
 * framing, a wrong token, a TLS failure. Never carries the secret or an expected token.
 */
public class HandshakeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HandshakeException(String message) {
        super(message);
    }

    public HandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
