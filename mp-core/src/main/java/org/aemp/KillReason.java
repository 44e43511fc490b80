package org.aemp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.aemp.internal.kernel.Reasons;

/**
 * Why a port died: a list of plain values, as in AEMP. The empty list is a normal exit; any other
 * list is abnormal, and by convention its first element is a short type word: {@code die},
 * {@code unhandled_message}, {@code no_such_port}, {@code transport_error}, or one the application
 * chooses. Immutable and thread-safe.
 */
public final class KillReason {

    /** The normal exit: an empty reason. */
    public static final KillReason NORMAL = new KillReason(List.of());

    /** Type word of an exception thrown in port context. */
    public static final String DIE = Reasons.DIE;
    /** Type word of a message that no receiver matched. */
    public static final String UNHANDLED_MESSAGE = Reasons.UNHANDLED_MESSAGE;
    /** Type word of a monitor set on a port that does not exist. */
    public static final String NO_SUCH_PORT = Reasons.NO_SUCH_PORT;
    /** Type word of a lost or failed connection. */
    public static final String TRANSPORT_ERROR = Reasons.TRANSPORT_ERROR;
    /** Type word of a port killed because more messages waited than its mailbox capacity. */
    public static final String MAILBOX_OVERFLOW = Reasons.MAILBOX_OVERFLOW;

    private final List<Object> values;

    private KillReason(List<Object> values) {
        this.values = values;
    }

    /** A reason made of these values (may contain nulls); no values means a normal exit. */
    public static KillReason of(Object... values) {
        return values.length == 0 ? NORMAL : new KillReason(copy(values));
    }

    /** A reason made of the elements of {@code values} (may contain nulls). */
    public static KillReason of(List<?> values) {
        return values.isEmpty() ? NORMAL : new KillReason(copy(values.toArray()));
    }

    /** A reason over values the kernel made: an unmodifiable list, taken without a copy. */
    static KillReason wrap(List<Object> values) {
        return values.isEmpty() ? NORMAL : new KillReason(values);
    }

    private static List<Object> copy(Object[] values) {
        return Collections.unmodifiableList(new ArrayList<>(Arrays.asList(values)));
    }

    /** {@code ("die", message)}: what an exception in port context kills its port with. */
    public static KillReason die(String message) {
        return of(DIE, message);
    }

    /** {@code ("transport_error", node, text)}: what monitors see when a connection is lost. */
    public static KillReason transportError(String node, String text) {
        return of(TRANSPORT_ERROR, node, text);
    }

    /** {@code ("no_such_port", "cannot monitor nonexistent port", port)}, as AEMP 2.02 sends it. */
    public static KillReason noSuchPort(PortId port) {
        return of(NO_SUCH_PORT, "cannot monitor nonexistent port", port.toString());
    }

    /** The values, unmodifiable; empty for a normal exit. */
    public List<Object> values() {
        return values;
    }

    /** True for the normal exit (no values). */
    public boolean isNormal() {
        return values.isEmpty();
    }

    /** The type word (the first value as text), or the empty string for a normal exit. */
    public String type() {
        return values.isEmpty() ? "" : String.valueOf(values.get(0));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KillReason other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.isEmpty() ? "(normal)" : values.toString();
    }
}
