package org.aemp.testkit;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A peer node in a process of its own (another JVM, or Perl): its stdout lines are collected for
 * the test to wait on, its stderr (its log) goes to a file under {@code target/}, named when a
 * wait fails, and {@link #close()}
 * ends it for sure: stdin is closed (the peers quit on that), and if it has not exited within a
 * few seconds it is killed. Use it in try-with-resources or close it in an {@code @After} method,
 * so that a failing test leaves no process behind.
 *
 * <p>Thread-safe. A daemon thread per process reads its stdout.
 */
public final class ChildProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final OutputStream stdin;
    private final List<String> seen = new ArrayList<>(); // guarded by itself
    private final BitSet taken = new BitSet(); // guarded by seen
    private boolean ended; // guarded by seen
    private final Path stderr;

    private ChildProcess(String name, Process process, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stderr = stderr;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (seen) {
                        seen.add(line);
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
        }, "stdout-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code command}; {@code name} names the stderr file ({@code target/<name>.stderr}).
     *
     * @param env variables to add to the environment
     */
    public static ChildProcess start(String name, List<String> command, Map<String, String> env) throws IOException {
        Path dir = Path.of("target");
        Files.createDirectories(dir);
        Path stderr = dir.resolve(name + ".stderr");
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile());
        pb.environment().putAll(env);
        return new ChildProcess(name, pb.start(), stderr);
    }

    /**
     * Starts {@code mainClass} in a new JVM with this JVM's test class path. Its log goes to its
     * stderr as it happens ({@code aemp.test.logs=console}: no test runs there to collect it), at
     * the levels this JVM was given ({@code aemp.test.logs.level...}).
     */
    public static ChildProcess startJava(String name, Class<?> mainClass, String... args) throws IOException {
        return startJava(name, List.of(), List.of(), mainClass, args);
    }

    /**
     * As {@link #startJava(String, Class, String...)}, with options for the JVM (such as
     * {@code -Xmx64m}; the default heap limit is 256 MiB), and the java command run by
     * {@code wrapper} (such as {@code ip netns exec <namespace>}; empty for none), which must exec
     * it, so that {@link #pid()} is the JVM's.
     */
    public static ChildProcess startJava(String name, List<String> wrapper, List<String> jvmOptions, Class<?> mainClass,
            String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(java, "-Xmx256m", "-Daemp.test.logs=console"));
        command.addAll(jvmOptions);
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("aemp.test.logs.level")) {
                command.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        command.addAll(List.of("-cp", classPath, mainClass.getName()));
        command.addAll(List.of(args));
        return start(name, command, Map.of());
    }

    /**
     * Waits up to {@code timeout} for a stdout line matching {@code wanted} that no earlier call
     * returned, and returns it. Lines are searched from the first, so the order in which a test
     * waits for lines need not be the order in which they came.
     *
     * @throws AssertionError if none came, with the lines seen and the stderr file named
     */
    public String await(Duration timeout, Predicate<String> wanted, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (seen) {
            int from = 0;
            while (true) {
                for (int i = from; i < seen.size(); i++) {
                    if (!taken.get(i) && wanted.test(seen.get(i))) {
                        taken.set(i);
                        return seen.get(i);
                    }
                }
                from = seen.size();
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) {
                    throw new AssertionError(name + ": no line " + what + " within " + timeout
                            + (ended ? " (the process ended)" : "") + "; stdout: " + seen
                            + "; stderr in " + stderr.toAbsolutePath());
                }
                try {
                    seen.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** Every stdout line so far. */
    public List<String> stdout() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** Writes one line to the process's stdin. */
    public void println(String line) throws IOException {
        synchronized (stdin) {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }
    }

    /** Kills the process at once (SIGKILL), as a crash would, and waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** The operating system's id of the process, for signals ({@code kill -STOP}). */
    public long pid() {
        return process.pid();
    }

    /**
     * Sends the signal {@code name} ({@code STOP}, {@code CONT}, ...) to the process with
     * {@code /bin/kill}, and waits for that to finish.
     */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("/bin/kill", "-" + name, Long.toString(process.pid()))
                .redirectErrorStream(true).start();
        String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("/bin/kill -" + name + " " + process.pid() + " failed: " + out);
        }
    }

    /** The name the process was started with (it names its stderr file). */
    public String name() {
        return name;
    }

    /** True while the process runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The file its stderr goes to. */
    public File stderrFile() {
        return stderr.toFile();
    }

    /** Ends the process: closes stdin, waits up to 5 s, then kills it. Never throws. */
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
