package org.aemp;

/** The root of the unchecked exceptions this library throws for its own reasons. */
public class AempException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AempException(String message) {
        super(message);
    }

    public AempException(String message, Throwable cause) {
        super(message, cause);
    }
}
