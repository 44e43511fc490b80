package org.aemp.internal.kernel;

import java.util.List;

/**
 * What a monitor does when its port dies: the four AEMP {@code mon} forms, plus the watch a
 * remote node set with {@code mon1}. Each registration is a distinct instance, so that a guard
 * removes exactly its own action.
 */
sealed interface MonitorAction {

    /** {@code mon $port, $callback}: call the handler, for any reason. */
    record Callback(DownAction action) implements MonitorAction {
    }

    /** {@code mon $port, $rcvport}: kill {@code node#name} with the same reason, if it is abnormal. */
    record KillPort(String node, String name) implements MonitorAction {
    }

    /** {@code mon $port, $rcvport, @msg}: send {@code message} plus the reason to {@code node#name}, always. */
    record SendTo(String node, String name, List<Object> message) implements MonitorAction {
    }

    /** A remote node's {@code mon1}: tell {@code node} with {@code kil0} when the port dies. */
    record RemoteWatch(String node) implements MonitorAction {
    }

    /**
     * One registration of an action: equal actions registered twice stay two registrations, and
     * each fires or is cancelled at most once.
     */
    final class Entry {
        final MonitorAction action;
        private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

        Entry(MonitorAction action) {
            this.action = action;
        }

        /** Claims the entry; true for the single caller that may fire or cancel it. */
        boolean claim() {
            return done.compareAndSet(false, true);
        }
    }
}
