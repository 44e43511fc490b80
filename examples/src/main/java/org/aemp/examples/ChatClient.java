package org.aemp.examples;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.aemp.Node;
import org.aemp.PortId;

/**
 * A chat client for {@link ChatServer} or Perl's {@code eg/chat_server} (Perl's
 * {@code eg/chat_client}). It finds the server in the database family {@value ChatServer#GROUP}
 * (asking again every second until there is one), joins with a port of its own, and sends each
 * line read from standard input as {@code ("privmsg", <nick>, <line>)}. The client port dies with
 * the server (a link), and then the client connects again (unless its node is closing).
 *
 * <pre>{@code
 * examples/run ChatClient nick=alice [configure arguments, e.g. seeds=127.0.0.1:4040 secret=...]
 * }</pre>
 * Thread-safe.
 */
public final class ChatClient {
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Node node;
    private final String nick;
    private final Consumer<String> display;
    /** The server's port once found; null before. */
    private volatile PortId server;

    private ChatClient(Node node, String nick, Consumer<String> display) {
        this.node = node;
        this.nick = nick;
        this.display = display;
    }

    /**
     * Starts a client on {@code node}: finds the server and joins. {@code display} gets what the
     * server relays and the client's own notices ({@code connecting...}, {@code disconnected ...}),
     * on worker threads of the node, one at a time per connection.
     */
    public static ChatClient start(Node node, String nick, Consumer<String> display) {
        ChatClient client = new ChatClient(node, nick, display);
        client.connect();
        return client;
    }

    private void connect() {
        node.db().keys(ChatServer.GROUP).whenComplete((servers, error) -> {
            if (servers == null || servers.isEmpty()) {
                node.after(RETRY, this::connect);
                return;
            }
            display.accept("connecting...");
            PortId me = node.newPort((ctx, msg) -> display.accept(ChatServer.perlText(msg)));
            node.monitor(me, reason -> {
                display.accept("disconnected " + ChatServer.perlText(reason));
                server = null;
                if (!node.isClosed()) {
                    connect();
                }
            });
            PortId found = PortId.parse(servers.get(0));
            node.send(found, "join", me.toString(), nick);
            server = found;
            node.monitorKill(found, me);
        });
    }

    /** Whether the client has found a server (and so {@link #say} sends). */
    public boolean isConnected() {
        return server != null;
    }

    /** Sends a line to the chat; dropped while no server is known. */
    public void say(String line) {
        PortId to = server;
        if (to != null) {
            node.send(to, "privmsg", nick, line);
        }
    }

    /** Runs the client; see the class documentation. Ends at the end of standard input. */
    public static void main(String[] argv) throws Exception {
        ExampleArgs args = ExampleArgs.parse(argv);
        String nick = args.take("nick", System.getProperty("user.name", "java"));
        try (Node node = args.configure()) {
            ChatClient client = start(node, nick, System.out::println);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                client.say(line);
            }
        }
    }
}
