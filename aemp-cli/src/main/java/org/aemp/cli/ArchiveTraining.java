package org.aemp.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.config.Profiles;

/**
 * The run that the build records {@code aemp}'s class-data archive from ({@code target/aemp.jsa}):
 * {@code java -XX:ArchiveClassesAtExit=target/aemp.jsa -cp target/aemp.jar org.aemp.cli.ArchiveTraining <dir>}.
 * It runs the short-lived commands the way {@code aemp} runs them, so that the JVM archives the
 * classes they load (parsed, verified and laid out) and later {@code aemp} processes map them
 * instead of loading them from the jar: the profile and show commands on an rc file in
 * {@code <dir>}, then {@code snd}, {@code cal}, {@code mon} and {@code trace} against a seed
 * node in this JVM on 127.0.0.1 (its own side loads the same classes as a remote node would make
 * aemp's side load). Never touches the user's rc file.
 *
 * <p>Exits 0 when every command gave the answer it should, 1 otherwise; the archive is written at
 * exit either way. A watchdog ends a run that hangs after {@link #LIMIT_SECONDS}.
 */
final class ArchiveTraining {
    /** How long the whole run may take before the watchdog stops it with status 1. */
    static final int LIMIT_SECONDS = 60;
    private static final String SECRET = "archive-training-secret";

    private ArchiveTraining() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ArchiveTraining <work dir>");
            System.exit(2);
        }
        startWatchdog();
        Main.quietNetty();
        Path dir = Files.createDirectories(Path.of(args[0]));
        Path rc = dir.resolve("training.rc");
        Files.deleteIfExists(rc);
        Environment env = Environment.of(Map.of("PERL_ANYEVENT_MP_RC", rc.toString()), Profiles.hostName());
        int failures;
        try (Node seed = Node.start(NodeConfig.builder().nodeId("seed").binds("127.0.0.1:0").secret(SECRET)
                .global(true).build())) {
            new EchoService(new PrintStream(OutputStream.nullOutputStream())).start(seed, List.of());
            String seeds = seed.listenAddresses().get(0);
            failures = run(env, 0, "setsecret", SECRET, "profile", "aemp", "binds", "127.0.0.1:*", "seeds", seeds)
                    + run(env, 0, "profile", "training", "setnodeid", "trainee", "setparent", "aemp")
                    + run(env, 0, "showprofile", "training")
                    + run(env, 0, "showconfig", "training")
                    + run(env, 0, "snd", "seed#echo", "hello", "[1,{\"a\":null}]")
                    + run(env, 0, "cal", "seed#echo", "hello", "1")
                    + run(env, 0, "cal", "seed", "time")
                    + run(env, 1, "cal", "seed#nosuch", "x")
                    + run(env, 0, "mon", "seed#nosuch")
                    + run(env, 0, "trace", "seed")
                    + run(env, 0, "help")
                    + run(env, 2, "nosuchcommand");
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Runs one command line; returns 0 if it exited with {@code expected}, else reports it and returns 1. */
    private static int run(Environment env, int expected, String... words) {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        int status = Main.run(words, discard, discard, env);
        if (status != expected) {
            System.err.println("ArchiveTraining: aemp " + String.join(" ", words) + " exited " + status
                    + ", expected " + expected);
            return 1;
        }
        return 0;
    }

    private static void startWatchdog() {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(LIMIT_SECONDS * 1000L);
                System.err.println("ArchiveTraining: still running after " + LIMIT_SECONDS + " s; stopping");
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "archive-training-watchdog");
        t.setDaemon(true);
        t.start();
    }
}
