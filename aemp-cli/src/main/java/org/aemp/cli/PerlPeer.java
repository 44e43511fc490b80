package org.aemp.cli;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.aemp.PortId;

/**
 * A Perl AnyEvent::MP 2.02 node in a child process: our script {@code demo-peer.pl} (a resource of
 * this package, copied to a temporary file), run with {@code perl -I<each AEMP_PERL5LIB folder>}.
 * The node joins a network through one seed with a shared secret (passed in the environment, not
 * on the command line), binds 127.0.0.1 port 0, reads no rc file, and has:
 *
 * <ul>
 *   <li>{@code <node>#pong}: {@code ("ping", <reply port>, <data>...)} is answered with
 *       {@code ("pong", <data>..., "perl <version>")};
 *   <li>the spawn init function {@code DemoPeer::counter(<n>)}: the new port answers
 *       {@code ("inc", <reply port>)} with {@code ("count", <n + 1>)}, and so on;
 *   <li>once configured, it sends {@code ("ready", <node id>, "AnyEvent::MP <version>")} to the
 *       ready port given at start; it exits with status 0 on SIGTERM or SIGINT.
 * </ul>
 *
 * Used by {@code aemp demo --with-perl} and by the tests. Not thread-safe.
 */
final class PerlPeer implements AutoCloseable {
    /** The environment variable that names the AnyEvent::MP 2.02 library folder(s). */
    static final String PERL5LIB = "AEMP_PERL5LIB";
    static final String SCRIPT = "demo-peer.pl";

    private final Process process;
    private final Path script;
    private final Path log;

    private PerlPeer(Process process, Path script, Path log) {
        this.process = process;
        this.script = script;
        this.log = log;
    }

    /**
     * The folders of {@code AEMP_PERL5LIB} in {@code env}.
     *
     * @throws CommandException a failure that says what is needed, if the variable is not set or
     *     none of its folders holds {@code AnyEvent/MP.pm}
     */
    static List<String> library(Map<String, String> env) {
        String lib = env.get(PERL5LIB);
        String need = "needs Perl's AnyEvent::MP 2.02: set " + PERL5LIB + " to the folder that holds"
                + " AnyEvent/MP.pm, e.g. " + PERL5LIB + "=/path/to/AnyEvent-MP-2.02/lib ./aemp demo --with-perl";
        if (lib == null || lib.isBlank()) {
            throw CommandException.failure("demo --with-perl " + need + " (" + PERL5LIB + " is not set)");
        }
        List<String> dirs = new ArrayList<>();
        for (String d : lib.split(File.pathSeparator)) {
            if (!d.isBlank()) {
                dirs.add(d);
            }
        }
        if (dirs.stream().noneMatch(d -> Files.isRegularFile(Path.of(d, "AnyEvent", "MP.pm")))) {
            throw CommandException.failure("demo --with-perl " + need + " (no AnyEvent/MP.pm under "
                    + PERL5LIB + "=" + lib + ")");
        }
        return dirs;
    }

    /**
     * Starts the Perl node.
     *
     * @param lib the folders to put in Perl's {@code @INC}
     * @param nodeId its node id
     * @param seed the seed's address, {@code host:port}
     * @param ready where it reports that it is up
     * @param secret the network's shared secret
     * @throws IOException if the script cannot be written or {@code perl} cannot be run
     */
    static PerlPeer start(List<String> lib, String nodeId, String seed, PortId ready, String secret)
            throws IOException {
        requireNonNull(secret, "secret");
        Path script = Files.createTempFile("aemp-demo-peer", ".pl");
        Path log = Files.createTempFile("aemp-demo-peer", ".log");
        try {
            try (InputStream in = PerlPeer.class.getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new IOException("resource " + SCRIPT + " is missing from the class path");
                }
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> command = new ArrayList<>(List.of("perl"));
            lib.forEach(d -> command.add("-I" + d));
            command.addAll(List.of(script.toString(), nodeId, seed, ready.toString()));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("AEMP_DEMO_SECRET", secret);
            try {
                return new PerlPeer(pb.start(), script, log);
            } catch (IOException e) {
                throw new IOException("cannot run perl (is it installed and on the PATH?): " + e.getMessage(), e);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(script);
            Files.deleteIfExists(log);
            throw e;
        }
    }

    /** The process id of perl. */
    long pid() {
        return process.pid();
    }

    /**
     * Waits for {@code f}, but fails at once, with what the Perl node printed, if it exits first.
     *
     * @throws TimeoutException if neither happens within {@code limit}
     * @throws ExecutionException if {@code f} failed
     * @throws IllegalStateException if the Perl node exited
     */
    <T> T await(CompletableFuture<T> f, Duration limit) throws Exception {
        CompletableFuture.anyOf(f, process.onExit()).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!f.isDone()) {
            throw new IllegalStateException("the Perl node exited with status " + process.exitValue() + output());
        }
        return f.get();
    }

    /**
     * Stops the node with SIGTERM and waits for it.
     *
     * @return its exit status
     * @throws TimeoutException if it is still running after {@code limit}
     */
    int stop(Duration limit) throws InterruptedException, TimeoutException {
        process.destroy();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("the Perl node did not stop within " + limit.toSeconds() + " s of SIGTERM"
                    + output());
        }
        return process.exitValue();
    }

    /** What the node printed so far, for error messages: {@code "; it printed:\n..."}. */
    String output() {
        try {
            String text = Files.readString(log).strip();
            return text.isEmpty() ? " and printed nothing" : "; it printed:\n" + text;
        } catch (IOException e) {
            return " (its output cannot be read: " + e.getMessage() + ")";
        }
    }

    /** Kills the node if it still runs and deletes the temporary files. */
    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Files.deleteIfExists(script);
        Files.deleteIfExists(log);
    }
}
