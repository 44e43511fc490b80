package org.aemp.examples;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.aemp.Node;
import org.aemp.PortId;

/**
 * A chat client for {@link BridgeHeadChatServer} or Perl's {@code eg/chat_server2} (Perl's
 * {@code eg/chat_client2}). It finds a server node in the database family
 * {@value BridgeHeadChatServer#GROUP} (asking again every second until there is one), spawns its
 * bridge head there ({@value BridgeHeadChatServer#CONNECT} with its own port and nick), and sends
 * each line read from standard input to that port. Its own port dies with the bridge head (a
 * link), and then the client connects again.
 *
 * <pre>{@code
 * examples/run BridgeHeadChatClient nick=alice [configure arguments, e.g. seeds=127.0.0.1:4040 secret=...]
 * }</pre>
 * Thread-safe.
 */
public final class BridgeHeadChatClient {
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Node node;
    private final String nick;
    private final Consumer<String> display;
    /** The bridge head's port once spawned; null before. */
    private volatile PortId head;

    private BridgeHeadChatClient(Node node, String nick, Consumer<String> display) {
        this.node = node;
        this.nick = nick;
        this.display = display;
    }

    /**
     * Starts a client on {@code node}. {@code display} gets what the server relays and the client's
     * own notices, on worker threads of the node.
     */
    public static BridgeHeadChatClient start(Node node, String nick, Consumer<String> display) {
        BridgeHeadChatClient client = new BridgeHeadChatClient(node, nick, display);
        client.connect();
        return client;
    }

    private void connect() {
        node.db().keys(BridgeHeadChatServer.GROUP).whenComplete((servers, error) -> {
            if (servers == null || servers.isEmpty()) {
                node.after(RETRY, this::connect);
                return;
            }
            display.accept("connecting...");
            PortId me = node.newPort((ctx, msg) -> display.accept(ChatServer.perlText(msg)));
            node.monitor(me, reason -> {
                display.accept("disconnected " + ChatServer.perlText(reason));
                head = null;
                if (!node.isClosed()) {
                    connect();
                }
            });
            PortId spawned = node.spawn(servers.get(0), BridgeHeadChatServer.CONNECT, me.toString(), nick);
            head = spawned;
            node.monitorKill(spawned, me);
        });
    }

    /** Whether the client has a bridge head (and so {@link #say} sends). */
    public boolean isConnected() {
        return head != null;
    }

    /** Sends a line to the chat; dropped while there is no bridge head. */
    public void say(String line) {
        PortId to = head;
        if (to != null) {
            node.send(to, line);
        }
    }

    /** Runs the client; see the class documentation. Ends at the end of standard input. */
    public static void main(String[] argv) throws Exception {
        ExampleArgs args = ExampleArgs.parse(argv);
        String nick = args.take("nick", System.getProperty("user.name", "java"));
        try (Node node = args.configure()) {
            BridgeHeadChatClient client = start(node, nick, System.out::println);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                client.say(line);
            }
        }
    }
}
