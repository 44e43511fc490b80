package org.aemp;

/**
 * The root of the unchecked exceptions the node throws for its own reasons. The plug-ins' and the
 * rc file's exceptions ({@link org.aemp.spi.CodecException}, {@link org.aemp.spi.HandshakeException},
 * {@link org.aemp.config.ConfigException}) live in their own packages, which do not depend on this
 * one, and are plain {@link RuntimeException}s.
 */
public class AempException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AempException(String message) {
        super(message);
    }

    public AempException(String message, Throwable cause) {
        super(message, cause);
    }
}
