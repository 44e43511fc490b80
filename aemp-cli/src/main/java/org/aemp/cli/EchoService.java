package org.aemp.cli;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.util.List;
import org.aemp.Context;
import org.aemp.Node;
import org.aemp.PortId;
import org.aemp.Service;

/**
 * The service {@code Aemp::Echo}: a port {@code <node>#echo} to try {@code aemp snd} and
 * {@code aemp cal} on. It prints every message it gets on the node's standard output, and when the
 * last element is a port of the sending node (the reply port that {@code cal} appends), it sends
 * the other elements back to that port:
 *
 * <pre>{@code
 * $ aemp snd seed#echo hello world      # the seed prints: seed#echo got ["hello","world"] from aemp/...
 * message sent successfully
 * $ aemp cal seed#echo hello 1
 * "hello","1"
 * }</pre>
 *
 * Start it with the profile key {@code services} ({@code aemp profile seed addservice Aemp::Echo}),
 * or with {@code ["Aemp::Echo", "<port name>"]} for another port name. Java nodes only: Perl nodes
 * would look for a Perl package of that name. Thread-safe; the port handles one message at a time.
 */
public final class EchoService implements Service {
    /** The name to put in a profile's {@code services}. */
    public static final String NAME = "Aemp::Echo";

    private final PrintStream out;

    /** The service as nodes find it: it prints on {@code System.out}. */
    public EchoService() {
        this(System.out);
    }

    EchoService(PrintStream out) {
        this.out = requireNonNull(out, "out");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(Node node, List<Object> args) {
        String name = args.isEmpty() ? "echo" : Words.text(args.get(0));
        node.receive(new PortId(node.id(), name), this::echo);
    }

    private void echo(Context ctx, List<Object> message) {
        out.println(ctx.self() + " got " + JsonText.compact(message) + " from " + ctx.sourceNode());
        if (!message.isEmpty() && message.get(message.size() - 1) instanceof String last
                && last.indexOf('#') > 0 && PortId.nodeOf(last).equals(ctx.sourceNode())) {
            ctx.send(PortId.parse(last), message.subList(0, message.size() - 1).toArray());
        }
    }
}
