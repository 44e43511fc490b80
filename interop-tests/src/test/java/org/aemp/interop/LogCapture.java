package org.aemp.interop;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures the log lines of a test: slf4j-simple writes each line to whatever {@code System.err}
 * is at that moment, so this extension puts a tee in its place for the duration of each test
 * (everything still reaches the console). {@link #await} waits for a line without sleeping.
 * Register with {@code @RegisterExtension final LogCapture logs = new LogCapture();}.
 *
 * <p>Thread-safe: nodes log from their event loops and workers.
 */
final class LogCapture implements BeforeEachCallback, AfterEachCallback {
    private final List<String> lines = new ArrayList<>(); // guarded by this
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream(); // guarded by this
    private PrintStream original;

    @Override
    public void beforeEach(ExtensionContext context) {
        original = System.err;
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

    @Override
    public void afterEach(ExtensionContext context) {
        System.setErr(original);
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

    /** The lines logged so far in this test. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /**
     * Waits up to {@code timeout} for a logged line that contains every one of {@code parts}, and
     * returns it.
     *
     * @throws AssertionError if none came; the message lists what was logged
     */
    synchronized String await(Duration timeout, String... parts) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (true) {
            for (; seen < lines.size(); seen++) {
                String line = lines.get(seen);
                boolean all = true;
                for (String p : parts) {
                    all &= line.contains(p);
                }
                if (all) {
                    return line;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no log line containing " + List.of(parts) + " within " + timeout
                        + "; logged: " + lines);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
