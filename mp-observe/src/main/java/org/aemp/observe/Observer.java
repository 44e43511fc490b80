package org.aemp.observe;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.aemp.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live view of the network in the browser: watches the network from {@code node} (a normal
 * leaf; it only reads) and serves one page that draws it, updated as it changes. See the package
 * description for where each fact comes from.
 *
 * <pre>{@code
 * try (Observer o = Observer.start(node, Observer.Options.builder().http("127.0.0.1", 8080).build())) {
 *     System.out.println("open " + o.url());
 *     ...
 * }
 * }</pre>
 *
 * On loopback (the default) the page answers only requests addressed to loopback. On any other
 * address it must be asked for ({@link Options.Builder#publicAccess}), and every request must
 * then carry the token that {@link #url()} includes, since the page shows the network's layout.
 * Thread-safe; {@link #close()} is idempotent and leaves the node running.
 */
public final class Observer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Observer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Node node;
    private final NetworkView view;
    private final ScheduledExecutorService timer;
    private final Watcher watcher;
    private final PageServer server;
    private final URI url;
    private final Optional<String> token;
    private final AtomicBoolean publishPending = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Observer(Node node, Options options) throws IOException {
        this.node = node;
        this.view = new NetworkView(node.id(), System::currentTimeMillis, 3);
        boolean loopback = isLoopback(options.host());
        if (!loopback && !options.publicAccess()) {
            throw new IllegalArgumentException("the page would be reachable from other hosts on " + options.host()
                    + ": bind a loopback address, or allow it explicitly (public)");
        }
        this.token = loopback ? Optional.empty() : Optional.of(newToken());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aemp-observe-" + node.id());
            t.setDaemon(true);
            return t;
        });
        try {
            this.server = new PageServer(options.host(), options.port(), loopback, token, options.maxClients(),
                    this::json);
        } catch (IOException | RuntimeException e) {
            timer.shutdownNow();
            throw e;
        }
        this.watcher = new Watcher(node, view, options.families(), this::changed);
        watcher.start(timer, options.interval());
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        this.url = URI.create("http://" + host + ":" + server.port() + "/" + token.map(t -> "?token=" + t).orElse(""));
        log.info("observer on node {}: serving the page on {}:{}", node.id(), options.host(), server.port());
    }

    /**
     * Starts watching from {@code node} and serving the page.
     *
     * @throws IOException if the address cannot be bound
     * @throws IllegalArgumentException if the address is not loopback and public access was not allowed
     */
    public static Observer start(Node node, Options options) throws IOException {
        return new Observer(requireNonNull(node, "node"), requireNonNull(options, "options"));
    }

    /** The page's address, with the token when one is needed. Holds the token: do not log it. */
    public URI url() {
        return url;
    }

    /** The token the page needs, or empty on loopback. */
    public Optional<String> token() {
        return token;
    }

    /** The pages connected to the event stream now. */
    public int pagesOpen() {
        return server.streams();
    }

    private void changed() {
        if (publishPending.compareAndSet(false, true) && !closed.get()) {
            try {
                timer.execute(() -> {
                    publishPending.set(false);
                    server.publish(json());
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    private String json() {
        try {
            return JSON.writeValueAsString(view.snapshot());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a snapshot of plain values did not serialise", e);
        }
    }

    private static String newToken() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Stops serving and watching; the node goes on. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        timer.shutdownNow();
        try {
            watcher.close();
        } finally {
            server.close();
            try {
                timer.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "Observer[node " + node.id() + ", port " + server.port() + "]"; // never the token
    }

    /**
     * What to serve and watch. Immutable; from {@link #builder()}.
     *
     * @param host the address to serve on (default {@code 127.0.0.1})
     * @param port the port (default 0: one the OS picks)
     * @param publicAccess allow a non-loopback address (the page then needs a token)
     * @param families database families to show besides {@code 'l}, {@code 'g} and the agents'
     * @param interval how often to ask the nodes (default 1 s)
     * @param maxClients pages that may be open at once (default 8)
     */
    public record Options(String host, int port, boolean publicAccess, List<String> families, Duration interval,
            int maxClients) {
        public Options {
            requireNonNull(host, "host");
            families = List.copyOf(families);
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535: " + port);
            }
            if (interval.toMillis() < 100) {
                throw new IllegalArgumentException("interval must be at least 100 ms: " + interval);
            }
            if (maxClients < 1) {
                throw new IllegalArgumentException("maxClients must be > 0: " + maxClients);
            }
        }

        /** The defaults: loopback, a port the OS picks, 1 s, 8 pages. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds {@link Options}. Not thread-safe. */
        public static final class Builder {
            private String host = "127.0.0.1";
            private int port;
            private boolean publicAccess;
            private List<String> families = List.of();
            private Duration interval = Duration.ofSeconds(1);
            private int maxClients = 8;

            private Builder() {
            }

            /** Where to serve (default {@code 127.0.0.1}, port 0). */
            public Builder http(String host, int port) {
                this.host = requireNonNull(host, "host");
                this.port = port;
                return this;
            }

            /**
             * Where to serve, as {@code host:port}, {@code [v6]:port}, {@code :port} or {@code port}
             * (loopback).
             *
             * @throws IllegalArgumentException if it is none of those, or the port is not 0 to 65535
             */
            public Builder http(String address) {
                String a = requireNonNull(address, "address");
                int colon = a.lastIndexOf(':');
                String h = colon < 0 ? "127.0.0.1" : a.substring(0, colon);
                String p = colon < 0 ? a : a.substring(colon + 1);
                if (h.startsWith("[") && h.endsWith("]") && h.length() > 2) {
                    h = h.substring(1, h.length() - 1);
                } else if (h.isEmpty()) {
                    h = "127.0.0.1";
                } else if (h.contains(":") || h.contains("[") || h.contains("]")) {
                    throw new IllegalArgumentException("http address must be host:port or [v6]:port: " + address);
                }
                if (!h.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/' && c != '?' && c != '#' && c != '@')) {
                    throw new IllegalArgumentException("http address has a bad host: " + address);
                }
                if (p.isEmpty() || p.length() > 5 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                        || Integer.parseInt(p) > 65535) {
                    throw new IllegalArgumentException("http address needs a port 0 to 65535: " + address);
                }
                return http(h, Integer.parseInt(p));
            }

            /** Allows a non-loopback address; every request then needs the token (default false). */
            public Builder publicAccess(boolean allow) {
                this.publicAccess = allow;
                return this;
            }

            /** Database families to show besides the built-in ones (AEMP cannot list families). */
            public Builder families(List<String> families) {
                this.families = List.copyOf(families);
                return this;
            }

            /** How often the nodes are asked (default 1 s, at least 100 ms). */
            public Builder interval(Duration interval) {
                this.interval = requireNonNull(interval, "interval");
                return this;
            }

            /** Pages that may be open at once (default 8). */
            public Builder maxClients(int n) {
                this.maxClients = n;
                return this;
            }

            public Options build() {
                return new Options(host, port, publicAccess, families, interval, maxClients);
            }
        }
    }
}
