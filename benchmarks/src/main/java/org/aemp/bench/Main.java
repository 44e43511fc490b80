package org.aemp.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The entry point of {@code aemp-bench.jar}:
 *
 * <pre>{@code
 * java -jar aemp-bench.jar echo-node [nodeid=echo] [bind=127.0.0.1:4040] [secret=...] [framing=...] [cert=file.pem]
 * java -jar aemp-bench.jar client [seeds=127.0.0.1:4040] [target=echo#echo] [n=10000] [window=1] [size=16]
 *                                 [warmup=50000] [framing=...] [secret=...] [cert=file.pem]
 * java -jar aemp-bench.jar jmh [JMH options]      (the JMH benchmarks; -h lists the options)
 * java -jar aemp-bench.jar mesh [n=16] [rounds=3]  (how long n global nodes take to form a full mesh)
 * java -jar aemp-bench.jar soak [duration=600] ... (fast senders, a slow port and a stopped peer: memory over time)
 * java -jar aemp-bench.jar idle-ports [n=1000000]  (heap per idle port)
 * java -jar aemp-bench.jar handshake [n=500]       (connect to first reply of a warm node, plain and TLS)
 * java -jar aemp-bench.jar scale [leaves=16,50,100,200] [globals=4] [procs=4]  (convergence across JVMs)
 * java -jar aemp-bench.jar bulk [bulk_chunking=both] [duration=10]  (small-message latency beside 16 MiB messages)
 * }</pre>
 *
 * Exit status 0 on success, 1 on failure (the reason on stderr), 2 on a usage error.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            usage(System.err);
            System.exit(2);
        }
        List<String> rest = Arrays.asList(argv).subList(1, argv.length);
        try {
            switch (argv[0]) {
                case "echo-node" -> {
                    EchoNode.run(Args.parse(rest, System.getenv(), EchoNode.DEFAULTS), System.out);
                    System.exit(0);
                }
                case "client" -> {
                    String line = Client.run(Args.parse(rest, System.getenv(), Client.DEFAULTS));
                    System.out.println(line);
                    System.out.flush();
                    System.exit(0); // don't wait for stray threads
                }
                case "observer" -> {
                    ObserverLeaf.run(Args.parse(rest, System.getenv(), ObserverLeaf.DEFAULTS), System.out);
                    System.exit(0);
                }
                case "jmh" -> org.openjdk.jmh.Main.main(rest.toArray(new String[0]));
                case "mesh" -> {
                    System.out.println(MeshConvergence.run(rest));
                    System.out.flush();
                    System.exit(0);
                }
                case "idle-ports" -> {
                    IdlePorts.run(rest).forEach(System.out::println);
                    System.out.flush();
                    System.exit(0);
                }
                case "handshake" -> {
                    Handshake.run(rest, System.err).forEach(System.out::println);
                    System.out.flush();
                    System.exit(0);
                }
                case "scale" -> {
                    Scale.run(rest, System.err).forEach(System.out::println);
                    System.out.flush();
                    System.exit(0);
                }
                case "scale-node" -> {
                    Scale.node(rest, System.out);
                    System.out.flush();
                    System.exit(0);
                }
                case "bulk" -> {
                    Bulk.run(rest, System.err).forEach(System.out::println);
                    System.out.flush();
                    System.exit(0);
                }
                case "bulk-node" -> {
                    Bulk.node(rest, System.out);
                    System.out.flush();
                    System.exit(0);
                }
                case "soak" -> {
                    int status = Soak.run(rest, System.out);
                    System.out.flush();
                    System.exit(status);
                }
                case "soak-node" -> {
                    Soak.node(rest, System.out);
                    System.out.flush();
                    System.exit(0);
                }
                case "-h", "--help", "help" -> usage(System.out);
                default -> {
                    System.err.println("unknown command '" + argv[0] + "'");
                    usage(System.err);
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(argv[0] + ": " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println(argv[0] + ": " + e);
            System.exit(1);
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar aemp-bench.jar echo-node [key=value...]   serve <nodeid>#echo (like echo-node.pl)");
        out.println("       java -jar aemp-bench.jar client [key=value...]      round trips to an echo port (like client.pl);"
                + " observe=1: with an observer leaf and its page open");
        out.println("       java -jar aemp-bench.jar observer [key=value...]    the observer leaf of observe=1");
        out.println("       java -jar aemp-bench.jar jmh [JMH options]          the JMH micro-benchmarks");
        out.println("       java -jar aemp-bench.jar mesh [n=16] [rounds=3]     time for n global nodes to form a full mesh");
        out.println("       java -jar aemp-bench.jar soak [duration=600] [interval=10] [scenarios=try,send,stopped]"
                + "   flow control under overload, memory over time");
        out.println("       java -jar aemp-bench.jar idle-ports [n=1000000] [kinds=receiver,bare] [rounds=2]  heap per idle port");
        out.println("       java -jar aemp-bench.jar handshake [n=500] [warmup=5000] [modes=plain,tls]"
                + "   connect to first reply, warm");
        out.println("       java -jar aemp-bench.jar scale [leaves=16,50,100,200] [globals=4] [procs=4]"
                + "   convergence of globals and leaves across JVMs");
        out.println("       java -jar aemp-bench.jar bulk [bulk_chunking=both|1|0] [duration=10] [bulk_size=16777216]"
                + "   window-1 round trips while large messages flow, chunked or not");
        out.println("keys: nodeid bind seeds secret framing cert auth_offer auth_accept target n window size warmup quiet"
                + " workers io_threads");
    }
}
