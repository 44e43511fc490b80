package org.aemp.examples;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;

/**
 * A runnable example: a Java node that connects to another node (Perl or Java) and pings its
 * {@code #echo} port, which sends {@code (reply, @payload)} back as {@code @payload}:
 * <pre>{@code
 * java -cp ... org.aemp.examples.PingPong connect=127.0.0.1:4040 secret=s3cret [nodeid=java] [framing=json] [count=3]
 * }</pre>
 * It prints one {@code pong} line per ping and exits with status 0, or 1 if a pong did not come
 * within 5 seconds.
 */
public final class PingPong {
    private PingPong() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new HashMap<>(Map.of("nodeid", "java", "framing", "json", "count", "3"));
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                a.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
        }
        if (!a.containsKey("connect") || !a.containsKey("secret")) {
            System.err.println("usage: PingPong connect=<host:port> secret=<secret> [nodeid=java] [framing=json] [count=3]");
            System.exit(2);
        }
        NodeConfig config = NodeConfig.builder().nodeId(a.get("nodeid")).binds(List.of()).secret(a.get("secret"))
                .framingFormat(List.of(a.get("framing").split(","))).build();
        try (Node node = Node.start(config)) {
            String peer = node.connect(a.get("connect")).get(5, TimeUnit.SECONDS);
            System.out.println("connected to node " + peer);
            BlockingQueue<List<Object>> pongs = new LinkedBlockingQueue<>();
            PortId reply = node.newPort((ctx, m) -> pongs.add(m));
            for (int i = 1; i <= Integer.parseInt(a.get("count")); i++) {
                node.send(new PortId(peer, "echo"), reply.toString(), "pong", i);
                List<Object> pong = pongs.poll(5, TimeUnit.SECONDS);
                if (pong == null) {
                    System.out.println("no pong from " + peer + "#echo within 5 s");
                    System.exit(1);
                }
                System.out.println("pong from " + peer + ": " + pong);
            }
        }
    }
}
