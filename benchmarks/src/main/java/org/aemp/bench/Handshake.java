package org.aemp.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;
import org.aemp.tls.CertificateGenerator;

/**
 * How long a warm node takes from "connect" to the first reply: an echo node, and for each of
 * {@code n} iterations a fresh client node (so a fresh link, a full handshake on both sides) that
 * connects ({@link Node#connect}) and makes one round trip to {@code #echo}; the first
 * {@code warmup} iterations are not counted. Prints one JSON line per mode with p50/p90/p99/max in
 * milliseconds of {@code connect} (the connect future completing: greeting, auth and, with TLS,
 * the TLS handshake) and {@code first_reply} (connect plus the first round trip), and the time a
 * client node takes to start (not part of either).
 *
 * <pre>{@code java -jar aemp-bench.jar handshake [n=500] [warmup=5000] [modes=plain,tls] [framing=...]
 *        [cert=node.pem] [seeds=host:port target=node#echo]}</pre>
 *
 * Both nodes run in this JVM unless {@code seeds} names an echo node elsewhere (a Perl
 * {@code echo-node.pl}, say; then {@code target} is its echo port and only the modes it serves make
 * sense). TLS uses {@code cert} (a PEM file with key and certificate, both sides) or a fresh
 * self-signed certificate.
 */
final class Handshake {
    /**
     * The warm-up: 5,000 handshakes, so that the handshake's code is compiled (C2) before timing
     * starts. After only 200 most of it still ran in the interpreter or C1, and each step of the
     * handshake took 30-400 µs instead of a few (first reply p50 3.5 ms instead of 1.2 ms plain).
     */
    static final Map<String, String> DEFAULTS = Map.of("n", "500", "warmup", "5000", "modes", "plain,tls");
    private static final Duration LIMIT = Duration.ofSeconds(10);

    private Handshake() {
    }

    static List<String> run(List<String> argv, PrintStream progress) throws Exception {
        Args a = Args.parse(argv, Map.of(), DEFAULTS);
        int n = a.integer("n", 1);
        int warmup = a.integer("warmup", 0);
        List<String> lines = new ArrayList<>();
        String pem = null;
        for (String mode : a.list("modes", "")) {
            if (!mode.equals("plain") && !mode.equals("tls")) {
                throw new IllegalArgumentException("unknown mode '" + mode + "' (plain, tls)");
            }
            if (mode.equals("tls") && pem == null) {
                pem = a.get("cert").isPresent()
                        ? Files.readString(Path.of(a.require("cert")), StandardCharsets.UTF_8)
                        : CertificateGenerator.selfSigned();
            }
            lines.add(mode(a, mode, mode.equals("tls") ? pem : null, n, warmup, progress));
        }
        return lines;
    }

    private static String mode(Args a, String mode, String pem, int n, int warmup, PrintStream progress)
            throws Exception {
        Node echo = null;
        String seed;
        PortId target;
        if (a.get("seeds").isPresent()) {
            seed = a.list("seeds", "").get(0);
            target = PortId.parse(a.require("target"));
        } else {
            Map<String, String> echoArgs = new LinkedHashMap<>(Map.of("nodeid", "hs-echo-" + mode,
                    "bind", "127.0.0.1:*"));
            a.get("framing").ifPresent(f -> echoArgs.put("framing", f));
            NodeConfig.Builder b = BenchNodes.config(Args.of(echoArgs));
            if (pem != null) {
                b.cert(pem);
            }
            echo = Node.start(b.build());
            PortId self = new PortId(echo.id(), "echo");
            Node e = echo;
            echo.receive(self, (ctx, msg) -> e.send(PortId.parse(String.valueOf(msg.get(msg.size() - 1))), "pong"));
            seed = echo.listenAddresses().get(0);
            target = self;
        }
        Histogram connect = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Histogram firstReply = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Histogram start = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        try {
            for (int i = 0; i < warmup + n; i++) {
                Map<String, String> clientArgs = new LinkedHashMap<>(Map.of("nodeid", "hs-" + mode + "-" + i,
                        "bind", ""));
                a.get("framing").ifPresent(f -> clientArgs.put("framing", f));
                NodeConfig.Builder b = BenchNodes.config(Args.of(clientArgs)).binds(List.of());
                if (pem != null) {
                    b.cert(pem);
                }
                long t0 = System.nanoTime();
                try (Node client = Node.start(b.build())) {
                    long t1 = System.nanoTime();
                    client.connect(seed).get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                    long t2 = System.nanoTime();
                    client.call(LIMIT, target, "ping").get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                    long t3 = System.nanoTime();
                    if (i >= warmup) {
                        start.recordValue(t1 - t0);
                        connect.recordValue(t2 - t1);
                        firstReply.recordValue(t3 - t1);
                    }
                    client.close(Duration.ZERO);
                }
                if (progress != null && (i + 1) % 100 == 0) {
                    progress.printf("handshake %s: %d of %d%n", mode, i + 1, warmup + n);
                }
            }
        } finally {
            if (echo != null) {
                echo.close();
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("n", n);
        m.put("warmup", warmup);
        m.put("target", a.get("seeds").isPresent() ? target.toString() : "in-process java echo");
        m.put("first_reply_ms", percentiles(firstReply));
        m.put("connect_ms", percentiles(connect));
        m.put("node_start_ms", percentiles(start));
        m.put("load", Load.now());
        return JsonLine.of(m);
    }

    static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (double q : new double[] {50, 90, 99}) {
            p.put("p" + (int) q, ms(h.getValueAtPercentile(q)));
        }
        p.put("max", ms(h.getMaxValue()));
        return p;
    }

    private static String ms(long nanos) {
        return Client.decimal("%.3f", nanos / 1e6);
    }
}
