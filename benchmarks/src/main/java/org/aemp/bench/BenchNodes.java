package org.aemp.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import org.aemp.NodeConfig;

/**
 * Turns the keys shared by both programs into a {@link NodeConfig}, as InteropNode.pm's
 * {@code configure_node} does: {@code nodeid}, {@code bind}, {@code secret} (default
 * {@code interop-secret}), {@code framing}, {@code cert} (a PEM file; turns TLS on),
 * {@code auth_offer}, {@code auth_accept}. Java only: {@code workers} (callback threads, default
 * the node's), {@code io_threads} (event loops, default 1) and {@code inline} (1: callbacks for
 * messages from the network run on the I/O thread, {@link NodeConfig.Builder#inlineCallbacks}).
 */
final class BenchNodes {
    private BenchNodes() {
    }

    static NodeConfig.Builder config(Args a) {
        NodeConfig.Builder b = NodeConfig.builder()
                .nodeId(a.get("nodeid", "anon/"))
                .binds(a.list("bind", "127.0.0.1:*"))
                .secret(a.get("secret", "interop-secret"));
        a.get("framing").ifPresent(f -> b.framingFormat(a.list("framing", "")));
        a.get("auth_offer").ifPresent(f -> b.authOffer(a.list("auth_offer", "")));
        a.get("auth_accept").ifPresent(f -> b.authAccept(a.list("auth_accept", "")));
        a.get("cert").ifPresent(file -> b.cert(readPem(file)));
        if (a.get("workers").isPresent()) {
            b.workerThreads(a.integer("workers", 2, 1));
        }
        a.get("inline").ifPresent(v -> b.inlineCallbacks(v.equals("1")));
        if (a.get("io_threads").isPresent()) {
            b.ioThreads(a.integer("io_threads", 1, 1));
        }
        return b;
    }

    private static String readPem(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cert: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Seconds since the epoch with microseconds, as InteropNode's {@code logj} stamps lines. */
    static String now() {
        Instant t = Instant.now();
        return String.format(Locale.ROOT, "%d.%06d", t.getEpochSecond(), t.getNano() / 1000);
    }
}
