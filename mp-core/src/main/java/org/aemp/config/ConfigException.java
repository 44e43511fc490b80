package org.aemp.config;

/**
 * A configuration that parses but cannot be used: a value of the wrong type ({@code binds} is a
 * number, {@code auth_offer} a plain string), a loop of {@code parent} profiles, an illegal node
 * id. The message names the key and the profile, e.g. {@code profile 'worker': binds must be a
 * JSON array of strings, found number 4040}.
 *
 * <p>Perl AnyEvent::MP mostly dies deep inside {@code configure} on such values (or, for a
 * parent loop, recurses until memory runs out); we fail early with the key's name instead.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error; the message should name the profile and the key. */
    public ConfigException(String message) {
        super(message);
    }

    /** An error caused by a builder's or parser's own check. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
