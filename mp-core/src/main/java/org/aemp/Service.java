package org.aemp;

import java.util.List;

/**
 * Something a node starts by name when it is configured (the {@code services} profile key, as in
 * AEMP 2.02's {@code aemp run}). Services are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.aemp.Service}) and matched by {@link #name()}, so a name in a
 * profile never loads arbitrary code. The name {@code AnyEvent::MP::Global::} is built in: it
 * makes the node global.
 */
public interface Service {

    /** The name profiles use for it, e.g. {@code MyApp::Worker::start} or {@code MyApp::Worker::}. */
    String name();

    /**
     * Starts the service on a started node, on the thread that starts the node.
     *
     * @param args the arguments of a {@code [name, args...]} entry; empty for a plain name
     * @throws Exception to fail the node's start with this error
     */
    void start(Node node, List<Object> args) throws Exception;
}
