package org.aemp.interop;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures the log lines of a test: slf4j-simple writes each line to whatever {@code System.err}
 * is at that moment, so this puts a tee in its place from construction until {@link #close()}
 * (everything still reaches the console). {@link #await} waits for a line without sleeping. Use it
 * in try-with-resources, or register it with {@code @RegisterExtension final LogCapture logs = new
 * LogCapture();}, which closes it after each test. Not for tests that run in parallel.
 *
 * <p>Thread-safe: nodes log from their event loops and workers.
 */
final class LogCapture implements AutoCloseable, AfterEachCallback {
    private final PrintStream original = System.err;
    private final List<String> lines = new ArrayList<>(); // guarded by this
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream(); // guarded by this

    LogCapture() {
        PrintStream console = original;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                console.write(b);
                record(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                console.write(b, off, len);
                record(b, off, len);
            }

            @Override
            public void flush() {
                console.flush();
            }
        }, true, StandardCharsets.UTF_8));
    }

    private synchronized void record(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                lines.add(partial.toString(StandardCharsets.UTF_8));
                partial.reset();
                notifyAll();
            } else {
                partial.write(b[i]);
            }
        }
    }

    /** The lines logged so far. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /**
     * Waits up to {@code timeout} for a logged line that contains every one of {@code parts}
     * (ignoring case), and returns it.
     *
     * @throws AssertionError if none came; the message lists what was logged
     */
    synchronized String await(Duration timeout, String... parts) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : lines) {
                String lower = line.toLowerCase(Locale.ROOT);
                boolean all = true;
                for (String p : parts) {
                    all &= lower.contains(p.toLowerCase(Locale.ROOT));
                }
                if (all) {
                    return line;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no log line with " + List.of(parts) + " within " + timeout
                        + "; logged: " + lines);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for a log line", e);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
