package org.aemp.examples;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.aemp.Context;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.PortId;

/**
 * A chat server by plain message passing (Perl's {@code eg/chat_server}). One port, registered in
 * the database family {@value #GROUP}, takes two messages:
 * <pre>{@code
 * ("join", <client port>, <nick>)     a client joins; everyone gets "<nick> (joins)"
 * ("privmsg", <nick>, <text>)         everyone gets "<nick>: <text>"
 * }</pre>
 * and sends every client each line as a one-element message. The server monitors each client;
 * when one dies (it quit, or its node went away) everyone gets {@code "<nick> (quits, <reason>)"}.
 * Clients: {@link ChatClient} or Perl's {@code eg/chat_client}.
 *
 * <pre>{@code
 * examples/run ChatServer [configure arguments, e.g. binds=127.0.0.1:4040 seeds=127.0.0.1:4040 secret=...]
 * }</pre>
 * Runs until killed, printing each line it relays. Thread-safe.
 */
public final class ChatServer {
    /** The family the server's port is registered in, shared with the Perl programs. */
    public static final String GROUP = "eg_chat_server";

    private final Node node;
    private final Consumer<String> log;
    private final Set<PortId> clients = ConcurrentHashMap.newKeySet();

    private ChatServer(Node node, Consumer<String> log) {
        this.node = node;
        this.log = log;
    }

    /**
     * Starts a server on {@code node} and registers it in {@value #GROUP}. {@code log} gets each
     * line relayed, on a worker thread of the node.
     *
     * @return the server's port
     */
    public static PortId start(Node node, Consumer<String> log) {
        ChatServer server = new ChatServer(node, log);
        PortId port = node.newPort();
        node.receive(port, "join", (ctx, msg) -> server.join(PortId.parse(Context.text(msg, 0)), Context.text(msg, 1)));
        node.receive(port, "privmsg", (ctx, msg) -> server.relay(Context.text(msg, 0) + ": " + Context.text(msg, 1)));
        node.db().register(GROUP, port);
        return port;
    }

    private void join(PortId client, String nick) {
        clients.add(client);
        // runs on a worker thread, possibly beside the port's own receivers: hence the concurrent set
        node.monitor(client, reason -> {
            clients.remove(client);
            relay(nick + " (quits, " + perlText(reason) + ")");
        });
        relay(nick + " (joins)");
    }

    private void relay(String line) {
        log.accept("relaying: " + line);
        for (PortId client : clients) {
            node.send(client, line);
        }
    }

    /** A kill reason as Perl interpolates {@code "@_"}: the values, separated by spaces. */
    static String perlText(KillReason reason) {
        return perlText(reason.values());
    }

    /** Values as Perl interpolates {@code "@_"}: separated by spaces, undef as the empty string. */
    static String perlText(List<?> values) {
        return String.join(" ", values.stream().map(v -> v == null ? "" : String.valueOf(v)).toList());
    }

    /** Runs the server; see the class documentation. */
    public static void main(String[] argv) throws Exception {
        try (Node node = ExampleArgs.parse(argv).configure()) {
            PortId port = start(node, System.out::println);
            System.out.println("server ready: " + port + " (" + String.join(",", node.listenAddresses()) + ")");
            new CountDownLatch(1).await();
        }
    }
}
