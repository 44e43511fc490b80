package org.aemp.internal.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.aemp.internal.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests that arrive at this node's node port ({@code ["", tag, args...]}), as AEMP
 * 2.02's kernel does: {@code mon1 mon0 kil0 kil1 snd can time eval devnull}, spawn, the requests
 * the layers above answer ({@link NodePortRequests}: the {@code g_*} requests of the global
 * service, data connections), and calls of registered functions. Errors are logged here and
 * never answered, as in AEMP.
 *
 * <p>Thread-safe; runs on the network's event loop or the local sender's thread, so it never blocks
 * and never runs user code itself (functions and init functions go to the workers).
 */
final class NodePortHandler {
    private static final Logger log = LoggerFactory.getLogger(NodePortHandler.class);
    private static final Set<String> BUILT_IN =
            Set.of("", "mon0", "mon1", "kil0", "kil1", "snd", "can", "time", "eval", "devnull", Kernel.SPAWN);
    /** The one {@code eval} text a Java node answers, so that Perl's {@code aemp trace} can walk it. */
    static final String UP_NODES_EVAL = "AnyEvent::MP::Kernel::up_nodes";

    private final Kernel kernel;
    private final boolean secure;
    private final NodePortRequests above;

    NodePortHandler(Kernel kernel, boolean secure, NodePortRequests above) {
        this.kernel = kernel;
        this.secure = secure;
        this.above = above;
    }

    /** Handles one node-port request from {@code source}: {@code [tag, args...]}. Never throws. */
    void handle(String source, List<Object> request) {
        if (request.isEmpty()) {
            return; // keepalive
        }
        Object first = request.get(0);
        String tag = Messages.tagOf(first);
        List<Object> args = request.subList(1, request.size());
        try {
            if (tag == null) {
                throw new IllegalArgumentException("request tag must be a string, got " + first);
            }
            dispatch(source, tag, args);
        } catch (RuntimeException e) {
            log.warn("node-port request '{}' from {} failed: {}", SafeText.of(first), SafeText.of(source),
                    SafeText.of(e.getMessage()));
        }
    }

    private void dispatch(String source, String tag, List<Object> args) {
        switch (tag) {
            case "", "devnull" -> { }
            case "mon1" -> {
                String port = text(args, 0, "port name");
                if (!kernel.watchedBy(source, port)) {
                    kernel.send(source, "", Messages.concat(List.of("kil0", port),
                            Reasons.noSuchPort(kernel.nodeId(), port)));
                }
            }
            case "mon0" -> kernel.unwatchedBy(source, text(args, 0, "port name"));
            case "kil0" -> kernel.remoteKilled(source, text(args, 0, "port name"),
                    Reasons.copy(args.subList(1, args.size())));
            case "kil1" -> {
                String port = text(args, 0, "port name");
                if (port.isEmpty()) {
                    throw new IllegalArgumentException("kil1 cannot kill the node port");
                }
                kernel.kill(kernel.nodeId(), port, Reasons.copy(args.subList(1, args.size())));
            }
            case "snd" -> {
                String to = text(args, 0, "port id");
                kernel.send(nodeOf(to), nameOf(to), args.subList(1, args.size()));
            }
            case "can" -> reply(args.subList(1, args.size()), knows(text(args, 0, "tag")));
            case "time" -> reply(args, System.currentTimeMillis() / 1000.0);
            case "eval" -> eval(source, args);
            case Kernel.SPAWN -> kernel.spawnHere(source, text(args, 0, "port name"),
                    text(args, 1, "init function"), args.subList(2, args.size()));
            default -> {
                if (above.handles(tag)) {
                    above.handle(source, tag, args);
                } else {
                    call(source, tag, args);
                }
            }
        }
    }

    private boolean knows(String tag) {
        return BUILT_IN.contains(tag) || above.handles(tag) || kernel.functions().contains(tag);
    }

    private void eval(String source, List<Object> args) {
        if (secure) {
            log.warn("eval request from {} refused: remote execution not allowed (secure mode)", SafeText.of(source));
            return;
        }
        String code = text(args, 0, "code");
        if (args.size() < 2) {
            log.warn("eval request from {} ignored: a Java node cannot run Perl code", SafeText.of(source));
            return;
        }
        if (code.trim().equals(UP_NODES_EVAL)) {
            List<Object> results = new ArrayList<>();
            results.add("");
            results.addAll(kernel.remote().upNodes());
            reply(args.subList(1, args.size()), results.toArray());
        } else {
            reply(args.subList(1, args.size()), "eval not supported: " + kernel.nodeId() + " is a Java node");
        }
    }

    private void call(String source, String function, List<Object> args) {
        if (secure) {
            log.warn("call of '{}' from {} refused: remote execution not allowed (secure mode)", SafeText.of(function),
                    SafeText.of(source));
            return;
        }
        var f = kernel.functions().find(function);
        if (f.isEmpty()) {
            log.warn("unknown node-port request '{}' from {}: not a built-in request or a registered function",
                    SafeText.of(function), SafeText.of(source));
            return;
        }
        kernel.execute(() -> {
            try {
                f.get().receive(new FunctionPort(source), args);
            } catch (Exception | Error e) {
                log.warn("function '{}' called by {} threw", SafeText.of(function), SafeText.of(source), e);
            }
        });
    }

    /** Sends {@code results} to a reply spec: a port id followed by elements to put in front. */
    private void reply(List<Object> spec, Object... results) {
        String to = text(spec, 0, "reply port");
        kernel.send(nodeOf(to), nameOf(to), Messages.concat(spec.subList(1, spec.size()), Messages.wrap(results)));
    }

    /**
     * The node of a port id as AEMP writes it, {@code node#name} (a bare node id names that
     * node's node port).
     *
     * @throws IllegalArgumentException if the node part is empty
     */
    static String nodeOf(String portId) {
        int hash = portId.indexOf('#');
        if (hash == 0 || portId.isEmpty()) {
            throw new IllegalArgumentException("invalid port id '" + portId + "': expected <node>#<port>");
        }
        return hash < 0 ? portId : portId.substring(0, hash);
    }

    /** The name part of a port id ({@code ""} for a bare node id). */
    static String nameOf(String portId) {
        int hash = portId.indexOf('#');
        return hash < 0 ? "" : portId.substring(hash + 1);
    }

    private static String text(List<Object> args, int i, String what) {
        if (args.size() <= i || args.get(i) == null) {
            throw new IllegalArgumentException(what + " missing");
        }
        Object v = args.get(i);
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw new IllegalArgumentException(what + " must be a string, got " + v.getClass().getSimpleName());
    }
}
