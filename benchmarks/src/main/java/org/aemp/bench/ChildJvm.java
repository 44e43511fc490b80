package org.aemp.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A benchmark program in a JVM of its own: {@code java <jvm options> -cp <this class path>
 * org.aemp.bench.Main <command> <args>}. Its stdout lines are queued for {@link #next}, its stderr
 * goes to this process's stderr, and it gets commands on stdin; a child ends when its stdin
 * closes ({@link #close}). Thread-safe.
 */
final class ChildJvm implements AutoCloseable {
    private static final String EOF = "\u0000eof";

    private final String name;
    private final Process process;
    private final PrintStream in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(this::read, "bench-child-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code Main <command> <args>} with {@code jvmOptions} (whitespace separated, may be
     * empty), the java binary and class path of this JVM.
     */
    static ChildJvm start(String name, String jvmOptions, String command, List<String> args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        for (String o : jvmOptions.trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), command));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        return new ChildJvm(name, pb.start());
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the child is gone
        }
        lines.add(EOF);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The next stdout line, or empty if none came within {@code timeout}. */
    java.util.Optional<String> next(Duration timeout) throws InterruptedException, IOException {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == EOF) {
            lines.add(EOF);
            process.waitFor(2, TimeUnit.SECONDS); // stdout closes a moment before the process ends
            throw new IOException(name + " ended (exit status " + exitStatus() + ")");
        }
        return java.util.Optional.ofNullable(line);
    }

    /** Skips lines until one matches; returns it. */
    String await(Predicate<String> match, Duration timeout, String what)
            throws InterruptedException, IOException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException(name + ": no " + what + " within " + timeout.toSeconds() + " s");
            }
            java.util.Optional<String> line = next(Duration.ofNanos(left));
            if (line.isPresent() && match.test(line.get())) {
                return line.get();
            }
        }
    }

    void println(String command) {
        in.println(command);
    }

    /** Sends the process a signal by name ({@code STOP}, {@code CONT}) with kill(1). */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .redirectErrorStream(true).start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    private String exitStatus() {
        try {
            return process.isAlive() ? "none yet" : Integer.toString(process.exitValue());
        } catch (IllegalThreadStateException e) {
            return "none yet";
        }
    }

    /** Closes its stdin, waits up to 20 s for it to end, then kills it. Idempotent. */
    @Override
    public void close() {
        in.close();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
