package org.aemp.internal.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Kill reasons as the kernel handles them: unmodifiable lists of plain values, the empty list
 * being a normal exit (AEMP). The type words are the wire's, kept here once. Thread-safe.
 */
public final class Reasons {
    /** The normal exit. */
    public static final List<Object> NORMAL = List.of();
    /** Type word of an exception thrown in port context. */
    public static final String DIE = "die";
    /** Type word of a message that no receiver matched. */
    public static final String UNHANDLED_MESSAGE = "unhandled_message";
    /** Type word of a monitor set on a port that does not exist. */
    public static final String NO_SUCH_PORT = "no_such_port";
    /** Type word of a lost or failed connection. */
    public static final String TRANSPORT_ERROR = "transport_error";
    /** Type word of a port killed because more messages waited than its mailbox capacity. */
    public static final String MAILBOX_OVERFLOW = "mailbox_overflow";

    private Reasons() {
    }

    /** An unmodifiable copy of {@code values}, which may hold nulls (AEMP {@code undef}). */
    public static List<Object> copy(List<?> values) {
        return values.isEmpty() ? NORMAL : Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** {@code ("die", text)}. */
    public static List<Object> die(String text) {
        return List.of(DIE, text);
    }

    /** {@code ("transport_error", node, text)}: what monitors see when a connection is lost. */
    public static List<Object> transportError(String node, String text) {
        return List.of(TRANSPORT_ERROR, node, text);
    }

    /** {@code ("no_such_port", "cannot monitor nonexistent port", port)}, as AEMP 2.02 sends it. */
    public static List<Object> noSuchPort(String node, String name) {
        return List.of(NO_SUCH_PORT, "cannot monitor nonexistent port", node + "#" + name);
    }
}
