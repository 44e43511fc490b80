package org.aemp.logcatcher;

import java.util.List;
import org.aemp.Node;
import org.aemp.Service;

/**
 * The service {@code AnyEvent::MP::LogCatcher::} (or without the trailing {@code ::}): a node
 * whose profile lists it {@linkplain LogCatcher#serve serves} log catchers with the default
 * limits, until it closes. A Perl node given the same profile loads the module, which is all a
 * Perl node needs to be caught, so one profile works for both.
 */
public final class LogCatcherService implements Service {

    /** The service, as {@link java.util.ServiceLoader} creates it. */
    public LogCatcherService() {
    }

    @Override
    public String name() {
        return "AnyEvent::MP::LogCatcher";
    }

    /** Serves catchers on {@code node}; takes no arguments. */
    @Override
    public void start(Node node, List<Object> args) {
        LogCatcher.serve(node);
    }
}
