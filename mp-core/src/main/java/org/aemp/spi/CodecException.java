package org.aemp.spi;

/**
 * A message cannot be encoded, or the bytes received are not valid in the link's framing. The
 * message names the codec and what was wrong.
 */
public class CodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
