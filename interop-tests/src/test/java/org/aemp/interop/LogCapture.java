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

/**
 * Captures the log while open, for tests to wait for a line: slf4j-simple (the tests' SLF4J
 * binding, WARN and up) looks {@code System.err} up for every line, so this swaps in a stream that
 * copies each line here and still prints it. Not for tests that run in parallel.
 */
final class LogCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final List<String> lines = new ArrayList<>();
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();

    LogCapture() {
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                add(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                add(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
    }

    private synchronized void add(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                lines.add(current.toString(StandardCharsets.UTF_8));
                current.reset();
                notifyAll();
            } else {
                current.write(b[i]);
            }
        }
    }

    /**
     * Waits up to {@code patience} for a line that contains every fragment (ignoring case), and
     * returns it; fails the test with what was logged if none comes.
     */
    synchronized String await(Duration patience, String... fragments) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            for (String line : lines) {
                String lower = line.toLowerCase(Locale.ROOT);
                boolean all = true;
                for (String f : fragments) {
                    all &= lower.contains(f.toLowerCase(Locale.ROOT));
                }
                if (all) {
                    return line;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no log line with " + List.of(fragments) + " within " + patience
                        + "; logged: " + lines);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Every line logged so far. */
    synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
