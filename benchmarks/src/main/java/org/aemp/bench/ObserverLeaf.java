package org.aemp.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.aemp.Node;
import org.aemp.observe.Observer;

/**
 * {@code observer}: the cost of watching, for {@code observe=1} runs. A leaf node joins through
 * {@code seeds} (which makes the echo node its seed, a global node, as every network with a
 * database has one), serves the page of mp-observe and keeps one page open (a reader of its event
 * stream, as a browser would be) until stdin closes. Prints {@code ready <url>} once the page
 * has sent its first snapshot, then {@code snapshots <n>} at the end.
 */
final class ObserverLeaf {
    static final Map<String, String> DEFAULTS = Map.of("nodeid", "observer/%u");

    private ObserverLeaf() {
    }

    static void run(Args a, PrintStream out) throws IOException, InterruptedException {
        try (Node node = Node.start(BenchNodes.config(a).seeds(a.list("seeds", "")).build());
                Observer observer = Observer.start(node, Observer.Options.builder().build())) {
            URI url = observer.url();
            AtomicLong snapshots = new AtomicLong();
            try (Socket page = new Socket(url.getHost(), url.getPort())) {
                page.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                BufferedReader events = new BufferedReader(new InputStreamReader(page.getInputStream(),
                        StandardCharsets.UTF_8));
                Thread reader = new Thread(() -> {
                    try {
                        for (String line; (line = events.readLine()) != null; ) {
                            if (line.startsWith("data: ") && snapshots.incrementAndGet() == 1) {
                                out.println("ready " + url);
                                out.flush();
                            }
                        }
                    } catch (IOException e) {
                        // the page was closed: the run is over
                    }
                }, "bench-observer-page");
                reader.setDaemon(true);
                reader.start();
                System.in.transferTo(java.io.OutputStream.nullOutputStream()); // until the parent closes stdin
            }
            out.println("snapshots " + snapshots.get());
            out.flush();
        }
    }
}
