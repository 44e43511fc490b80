package org.aemp.examples;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A Perl AnyEvent::MP 2.02 program run with {@code perl -e}: its standard output is read line by
 * line, its standard input takes lines, its standard error goes to a file under {@code target/}.
 * The programs are written in the tests from the messages Perl's {@code eg/} programs exchange.
 *
 * <p>Thread-safe. Always close it: that ends the process.
 */
final class PerlProgram implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private PerlProgram(String name, Process process, Path stderr) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        Thread reader = new Thread(this::readLines, "perl-" + name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Skips the calling test unless {@code AEMP_PERL5LIB} names an AnyEvent::MP 2.02 installation. */
    static String assumePerl() {
        String lib = System.getenv("AEMP_PERL5LIB");
        Assumptions.assumeTrue(lib != null && !lib.isBlank(),
                "AEMP_PERL5LIB is not set: set it to the lib folder of an AnyEvent::MP 2.02 installation to run"
                        + " the examples against Perl");
        return lib;
    }

    /** Starts {@code perl -e script} with {@code env} added to its environment. */
    static PerlProgram start(String name, String script, Map<String, String> env) throws IOException {
        String lib = assumePerl();
        Path dir = Files.createDirectories(Path.of("target", "perl-programs"));
        Path err = dir.resolve(name + ".stderr");
        ProcessBuilder pb = new ProcessBuilder(List.of("perl", "-e", script))
                .redirectError(err.toFile());
        pb.environment().put("PERL5LIB", lib);
        pb.environment().put("PERL_ANYEVENT_MP_RC", dir.resolve("no-such-rc-file").toString());
        pb.environment().putAll(env);
        return new PerlProgram(name, pb.start(), err);
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process ended; await reports what was missing
        }
    }

    /**
     * Waits for an output line equal to {@code expected}, skipping others.
     *
     * @throws AssertionError naming the lines seen and the stderr file if it does not come in time
     */
    void await(String expected, Duration timeout) throws InterruptedException {
        awaitMatch(Pattern.quote(expected), timeout);
    }

    /**
     * Waits for an output line that matches {@code regex} as a whole, skipping others.
     *
     * @return the line
     * @throws AssertionError naming the lines seen and the stderr file if it does not come in time
     */
    String awaitMatch(String regex, Duration timeout) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> seen = new ArrayList<>();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("Perl program " + name + " printed no line matching '" + regex + "' within "
                        + timeout + "; it printed " + seen + " (stderr: " + stderr.toAbsolutePath() + ")");
            }
            if (pattern.matcher(line).matches()) {
                return line;
            }
            seen.add(line);
        }
    }

    /** Writes one line to the program's standard input. */
    void println(String line) {
        try {
            OutputStream out = process.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to Perl program " + name, e);
        }
    }

    /** Ends the process (SIGTERM, then SIGKILL after 5 s) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
