package org.aemp.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Takes {@code System.out} from construction until {@link #close()} and keeps what is printed:
 * code that prints there in place of a given stream (the {@code Aemp::Echo} service that a node
 * finds by itself prints what it receives on the {@code System.out} of its start) stays off the
 * build's console, and the test can check it. Not for tests that run in parallel. Thread-safe.
 */
final class CapturedStdout implements AutoCloseable {
    private final PrintStream original = System.out;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    CapturedStdout() {
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    /** What was printed so far. */
    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        System.setOut(original);
    }
}
