package org.aemp.examples;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.aemp.Context;
import org.aemp.Node;
import org.aemp.PortId;

/**
 * A chat server in the "bridge-head" style (Perl's {@code eg/chat_server2}): the node registers
 * its id in the database family {@value #GROUP}, and each client spawns a port of its own here,
 * with the init function {@value #CONNECT} and the arguments {@code (<client port>, <nick>)}. That
 * port takes plain lines from its one client and relays {@code "<nick>: <line>"} to every client;
 * it dies when the client's port dies, and everyone gets {@code "<nick> (quits, <reason>)"}. Clients: {@link BridgeHeadChatClient} or Perl's
 * {@code eg/chat_client2}.
 *
 * <pre>{@code
 * examples/run BridgeHeadChatServer [configure arguments, e.g. binds=127.0.0.1:4040 seeds=127.0.0.1:4040 secret=...]
 * }</pre>
 * Runs until killed, printing each line it relays. Thread-safe.
 */
public final class BridgeHeadChatServer {
    /** The family the server node's id is registered in, shared with the Perl programs. */
    public static final String GROUP = "eg_chat_server2";
    /** The spawn init function clients name: Perl's {@code main::client_connect}. */
    public static final String CONNECT = "::client_connect";

    private final Node node;
    private final Consumer<String> log;
    private final Set<PortId> clients = ConcurrentHashMap.newKeySet();

    private BridgeHeadChatServer(Node node, Consumer<String> log) {
        this.node = node;
        this.log = log;
    }

    /**
     * Makes {@code node} a server: registers {@value #CONNECT} and puts the node's id in
     * {@value #GROUP}. {@code log} gets each line relayed, on a worker thread of the node.
     */
    public static void start(Node node, Consumer<String> log) {
        BridgeHeadChatServer server = new BridgeHeadChatServer(node, log);
        node.register(CONNECT, server::connect);
        node.db().set(GROUP, node.id());
    }

    /** The init function of a client's port; runs on that new port's worker thread. */
    private void connect(Context ctx, List<Object> args) {
        PortId client = PortId.parse(Context.text(args, 0));
        String nick = Context.text(args, 1);
        PortId head = ctx.self();
        // runs on a worker thread, possibly beside other ports' receivers: hence the concurrent set.
        // Perl links the two ports (mon $client), which kills the head with the client's reason; a
        // normal kill here ends it just the same without logging every departure as an error.
        node.monitor(client, reason -> {
            clients.remove(client);
            relay(nick + " (quits, " + ChatServer.perlText(reason) + ")");
            node.kill(head);
        });
        clients.add(client);
        relay(nick + " (joins)");
        ctx.receive((c, msg) -> relay(nick + ": " + Context.text(msg, 0)));
    }

    private void relay(String line) {
        log.accept("relaying: " + line);
        for (PortId client : clients) {
            node.send(client, line);
        }
    }

    /** Runs the server; see the class documentation. */
    public static void main(String[] argv) throws Exception {
        try (Node node = ExampleArgs.parse(argv).configure()) {
            start(node, System.out::println);
            System.out.println("server ready: " + node.id() + " (" + String.join(",", node.listenAddresses()) + ")");
            new CountDownLatch(1).await();
        }
    }
}
