package org.aemp.logcatcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * A Perl AnyEvent::MP 2.02 node running {@code src/test/perl/logcatcher-peer.pl}: started with
 * {@code key=value} arguments, driven by JSON commands on its stdin, read through the JSON lines
 * it prints (the script documents both). Its stderr goes to {@code target/<name>.stderr}.
 *
 * <p>Thread-safe. Always close it: stdin is closed (the script exits on that), and the process is
 * killed if it is still there a few seconds later.
 */
final class PerlNode implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private volatile String node;
    private volatile List<String> binds = List.of();
    private final Process process;
    private final OutputStream stdin;
    private final List<Map<String, Object>> seen = new ArrayList<>(); // guarded by itself
    private int read; // guarded by seen: lines before it were handed out or skipped
    private boolean ended; // guarded by seen

    /** Skips the calling test unless {@code AEMP_PERL5LIB} names an AnyEvent::MP 2.02 installation. */
    static void assumePerl() {
        String lib = System.getenv("AEMP_PERL5LIB");
        Assumptions.assumeTrue(lib != null && !lib.isBlank(),
                "AEMP_PERL5LIB is not set: set it to the lib folder of an AnyEvent::MP 2.02 installation"
                        + " (with perl, AnyEvent, JSON::XS and CBOR::XS) to run the live tests against Perl");
    }

    /** Starts the script with these arguments and waits until the node is ready. */
    static PerlNode start(String name, String... args) throws IOException {
        assumePerl();
        String dir = System.getenv("AEMP_LOGCATCHER_PERL_DIR");
        Path script = Path.of(dir != null ? dir : "src/test/perl", "logcatcher-peer.pl");
        if (!Files.isRegularFile(script)) {
            throw new IOException("no Perl peer script at " + script.toAbsolutePath());
        }
        List<String> command = new ArrayList<>(List.of("perl", script.toString()));
        command.addAll(List.of(args));
        Files.createDirectories(Path.of("target"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(Path.of("target", name + ".stderr").toFile());
        String lib = System.getenv("AEMP_PERL5LIB");
        String old = System.getenv("PERL5LIB");
        pb.environment().put("PERL5LIB", old == null || old.isEmpty() ? lib : lib + ":" + old);
        PerlNode p = new PerlNode(pb.start());
        try {
            p.awaitReady();
            return p;
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    private PerlNode(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    Map<String, Object> event = parse(line);
                    synchronized (seen) {
                        seen.add(event);
                        seen.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
            synchronized (seen) {
                ended = true;
                seen.notifyAll();
            }
        }, "perl-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    @SuppressWarnings("unchecked")
    private void awaitReady() {
        Map<String, Object> ready = next(e -> "ready".equals(e.get("event")), "ready");
        if (ready == null) {
            throw new AssertionError("the Perl node did not start; see its stderr under target/");
        }
        node = (String) ready.get("node");
        binds = List.copyOf((List<String>) ready.get("binds"));
    }

    /** Its node id. */
    String node() {
        return node;
    }

    /** Where it listens. */
    List<String> binds() {
        return binds;
    }

    private static Map<String, Object> parse(String line) {
        try {
            return JSON.readValue(line, MAP);
        } catch (JsonProcessingException e) {
            return Map.of("event", "unparsable", "line", line);
        }
    }

    /** Sends a command: {@code cmd} and its fields, as key, value, key, value... */
    void command(String cmd, Object... fields) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cmd", cmd);
        for (int i = 0; i < fields.length; i += 2) {
            c.put((String) fields[i], fields[i + 1]);
        }
        try {
            synchronized (stdin) {
                stdin.write((JSON.writeValueAsString(c) + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the next printed event matching {@code wanted}, skipping the others; null if none came. */
    Map<String, Object> next(Predicate<Map<String, Object>> wanted, String what) {
        return next(wanted, what, PATIENCE);
    }

    Map<String, Object> next(Predicate<Map<String, Object>> wanted, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (seen) {
            while (true) {
                while (read < seen.size()) {
                    Map<String, Object> e = seen.get(read++);
                    if (wanted.test(e)) {
                        return e;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) {
                    return null;
                }
                try {
                    seen.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for " + what, e);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
