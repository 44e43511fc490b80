package org.aemp.logcatcher;

import java.util.List;
import org.aemp.Node;
import org.aemp.Service;

/**
 * The service {@code AnyEvent::MP::LogCatcher::catch}: a node whose profile lists
 * {@code ["AnyEvent::MP::LogCatcher::catch", 9]} catches the records of every other node at that
 * level (a number 1 to 9 or a level name; 9 when none is given), as a Perl node does with the same
 * profile entry. The node logs them through SLF4J (see {@link Catcher}).
 */
public final class CatchService implements Service {

    /** The service, as {@link java.util.ServiceLoader} creates it. */
    public CatchService() {
    }

    @Override
    public String name() {
        return "AnyEvent::MP::LogCatcher::catch";
    }

    /**
     * Starts catching on {@code node}.
     *
     * @throws IllegalArgumentException if the argument is no level
     */
    @Override
    public void start(Node node, List<Object> args) {
        Object level = args.isEmpty() ? LogLevel.TRACE.number() : args.get(0);
        LogCatcher.catchLogs(node, LogLevel.parse(level).orElseThrow(() -> new IllegalArgumentException(
                "AnyEvent::MP::LogCatcher::catch: invalid log level " + Text.describe(level)
                        + ": expected 1 to 9 or a name such as 'info'")));
    }
}
