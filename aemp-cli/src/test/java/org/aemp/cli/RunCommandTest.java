package org.aemp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;
import org.aemp.config.RcFile;
import org.aemp.logcatcher.LogCatcher;
import org.aemp.logcatcher.LogLevel;
import org.aemp.logcatcher.LogTap;
import org.aemp.testing.logging.LogEvent;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * {@code aemp run}: in this JVM with a stop trigger, in a child process stopped with SIGTERM,
 * and the exact command sequence that aemp-cli/README.md proposes to newcomers.
 */
@Timeout(90)
class RunCommandTest {
    private static final String SECRET = "run-test-secret";
    private static final Pattern UP = Pattern.compile("aemp run: node (\\S+) is up .*listening on (\\S+)");

    @TempDir
    Path dir;

    /** Stops {@code run} when the test says so, and hands the test the running node. */
    static final class Trigger implements Environment.RunControl {
        final CompletableFuture<Node> started = new CompletableFuture<>();
        final CompletableFuture<Runnable> stop = new CompletableFuture<>();

        @Override
        public AutoCloseable onStop(Runnable stopIt) {
            stop.complete(stopIt);
            return () -> { };
        }

        @Override
        public void started(Node node) {
            started.complete(node);
        }

        Node awaitStarted() {
            return started.orTimeout(30, TimeUnit.SECONDS).join();
        }

        void stop() {
            stop.join().run();
        }
    }

    /** Waits until {@code node} has no links left. */
    private static void awaitNoLinks(Node node) {
        CompletableFuture<Void> none = new CompletableFuture<>();
        try (org.aemp.Guard g = node.monitorNodes((n, up, reason) -> {
            if (node.upNodes().isEmpty()) {
                none.complete(null);
            }
        })) {
            if (node.upNodes().isEmpty()) {
                none.complete(null);
            }
            none.orTimeout(30, TimeUnit.SECONDS).join();
        }
    }

    /** Runs {@code aemp run ...} on another thread with a trigger. */
    private static CompletableFuture<Cli.Result> runInBackground(Cli cli, Trigger trigger, String... args) {
        Cli controlled = cli.with(e -> e.withRunControl(trigger));
        return CompletableFuture.supplyAsync(() -> controlled.run(args));
    }

    @Test
    void runStartsTheProfilesNodeWithItsServicesAndClosesItWhenStopped() throws Exception {
        Cli cli = Cli.in(dir).withRc("{\"version\":1,\"secret\":\"" + SECRET + "\",\"profile\":{\"seed\":{"
                + "\"nodeid\":\"seed\",\"binds\":[\"127.0.0.1:0\"],\"services\":[\"Aemp::Echo\"]}}}");
        Trigger trigger = new Trigger();
        Node node;
        Cli.Result r;
        try (CapturedStdout echoed = new CapturedStdout()) {
            CompletableFuture<Cli.Result> run = runInBackground(cli, trigger, "run", "seed");
            node = trigger.awaitStarted();

            assertThat(node.id()).isEqualTo("seed");
            assertThat(node.listenAddresses()).singleElement().asString().startsWith("127.0.0.1:");
            cli.withRc("{\"version\":1,\"secret\":\"" + SECRET + "\",\"profile\":{\"aemp\":{\"binds\":[\"127.0.0.1:*\"],"
                    + "\"seeds\":" + JsonText.compact(node.listenAddresses()) + "}}}");
            assertThat(cli.run("snd", "seed#echo", "hello").out()).isEqualTo("message sent successfully \n");
            assertThat(cli.run("cal", "seed#echo", "hello", "2").out()).isEqualTo("\"hello\",\"2\"\n");

            trigger.stop();
            r = run.get(30, TimeUnit.SECONDS);
            assertThat(echoed.text()).as("what Aemp::Echo printed").containsSubsequence(
                    "seed#echo got [\"hello\"] from aemp/", "\nseed#echo got [\"hello\",\"2\",\"aemp/");
        }

        assertThat(r.status()).isZero();
        assertThat(node.isClosed()).isTrue();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("aemp run: node seed is up (profile seed), listening on 127.0.0.1:")
                .contains("services [\"Aemp::Echo\"]")
                .endsWith("aemp run: node seed stopped\n");
    }

    /**
     * mp-logcatcher is on the tool's class path: a profile lists its services as a Perl profile does.
     * The node catches the records of node {@code app} (which answers connect by hand, with a record
     * a Perl node would send) and serves the records of this JVM to a catcher port on {@code app}.
     */
    @Test
    void aProfileCanCatchAndServeLogsWithTheLogCatcherServices(TestLogs logs) throws Exception {
        Cli cli = Cli.in(dir).withRc("{\"version\":1,\"secret\":\"" + SECRET + "\",\"profile\":{\"logs\":{"
                + "\"nodeid\":\"logs\",\"binds\":[\"127.0.0.1:0\"],\"services\":[\"AnyEvent::MP::Global::\","
                + "\"AnyEvent::MP::LogCatcher::\",[\"AnyEvent::MP::LogCatcher::catch\",\"warn\"]]}}}");
        Trigger trigger = new Trigger();
        CompletableFuture<Cli.Result> run = runInBackground(cli, trigger, "run", "logs");
        Node node = trigger.awaitStarted();
        CompletableFuture<List<Object>> connect = new CompletableFuture<>();
        try (Node app = Node.start(NodeConfig.builder().nodeId("app").binds(List.of("127.0.0.1:0")).secret(SECRET)
                .seeds(node.listenAddresses())
                .function(LogCatcher.CONNECT, (ctx, args) -> connect.complete(List.copyOf(args))).build())) {
            // catch: once app is in the database, the node asks it for its records of level warn (5) and up
            List<Object> args = connect.get(30, TimeUnit.SECONDS);
            assertThat(args.get(2)).isEqualTo(5);
            app.send(PortId.parse((String) args.get(1)), System.currentTimeMillis() / 1000.0, "App::Main", 5,
                    "disk almost full");
            LogEvent caught = logs.await(Duration.ofSeconds(10), Level.WARN, "\\] App::Main: disk almost full$");
            assertThat(caught.logger()).isEqualTo("org.aemp.logcatcher.remote.app");

            // serve: a catcher port on app gets this JVM's records at its level; nothing says when the
            // connect has been handled, so publish until a record comes through
            BlockingQueue<List<Object>> forwarded = new LinkedBlockingQueue<>();
            PortId catcher = app.newPort((ctx, m) -> forwarded.add(m));
            app.send(node.nodePort(), LogCatcher.CONNECT, 0, catcher.toString(), "info");
            List<Object> record = null;
            for (int i = 0; record == null; i++) {
                assertThat(i).as("attempts").isLessThan(100);
                LogTap.publish(System.currentTimeMillis(), "test.cli", LogLevel.INFO, "served " + i, null);
                record = forwarded.poll(100, TimeUnit.MILLISECONDS);
            }
            assertThat(record.subList(1, 3)).containsExactly("test.cli", 7);
            assertThat((String) record.get(3)).startsWith("served ");

            trigger.stop(); // before app goes: a catcher whose node leaves first reports the lost link
            Cli.Result r = run.get(30, TimeUnit.SECONDS);
            assertThat(r.status()).isZero();
            assertThat(r.err()).contains("services [\"AnyEvent::MP::Global::\",\"AnyEvent::MP::LogCatcher::\","
                    + "[\"AnyEvent::MP::LogCatcher::catch\",\"warn\"]]");
        }
    }

    @Test
    void theRcFileWinsOverTheCommandLineUnlessForceIsGiven() {
        Cli cli = Cli.in(dir).withRc("{\"version\":1,\"profile\":{\"p\":{\"nodeid\":\"fromrc\"}}}");

        assertThat(runAndStop(cli, "run", "p", "nodeid", "fromargs", "binds", "[]")).isEqualTo("fromrc");
        assertThat(runAndStop(cli, "run", "p", "nodeid", "fromargs", "binds", "[]", "force", "1"))
                .isEqualTo("fromargs");
        assertThat(runAndStop(cli, "run", "nodeid", "nop", "binds", "[]"))
                .as("an even number of words: the profile is the host name").isEqualTo("nop");
        assertThat(runAndStop(cli, "[\"run\",\"profile\",\"p\",\"binds\",[]]")).isEqualTo("fromrc");
    }

    private static String runAndStop(Cli cli, String... args) {
        Trigger trigger = new Trigger();
        CompletableFuture<Cli.Result> run = runInBackground(cli, trigger, args);
        String id = trigger.awaitStarted().id();
        trigger.stop();
        assertThat(run.orTimeout(30, TimeUnit.SECONDS).join().status()).isZero();
        return id;
    }

    @Test
    void aNodeThatCannotStartIsAFailureThatSaysWhy() {
        Cli cli = Cli.in(dir).withRc("{\"version\":1,\"profile\":{\"p\":{\"services\":[\"No::Such::Service\"],"
                + "\"binds\":[]}}}");

        Cli.Result r = cli.run("run", "p");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("run: cannot start a node from profile p: unknown service 'No::Such::Service'");
    }

    @Test
    void aRunProcessStopsOnSigtermClosesItsNodeAndExitsZero() throws Exception {
        Cli cli = Cli.in(dir).withRc("{\"version\":1,\"secret\":\"" + SECRET + "\",\"profile\":{\"seed\":{"
                + "\"nodeid\":\"seed\",\"binds\":[\"127.0.0.1:0\"],\"services\":[\"Aemp::Echo\"]}}}");
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        // the test class path logs through aemp-test-logging: to stderr as it happens, at the tool's level (WARN)
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Daemp.test.logs=console",
                "-Daemp.test.logs.level=warn", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "seed");
        pb.environment().put(RcFile.ENV_RC, cli.rcPath().toString());
        pb.environment().put("HOME", dir.toString());
        pb.redirectOutput(dir.resolve("run.out").toFile());
        Process p = pb.start();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            Matcher up = null;
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                lines.add(line);
                Matcher m = UP.matcher(line);
                if (m.find()) {
                    up = m;
                    break;
                }
            }
            assertThat(up).as("the 'is up' line; stderr was %s", lines).isNotNull();
            assertThat(up.group(1)).isEqualTo("seed");
            cli.withRc("{\"version\":1,\"secret\":\"" + SECRET + "\",\"profile\":{\"aemp\":{\"binds\":[\"127.0.0.1:*\"],"
                    + "\"seeds\":[\"" + up.group(2) + "\"]}}}");
            assertThat(cli.run("cal", "seed#echo", "over", "there").out()).isEqualTo("\"over\",\"there\"\n");

            p.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of stderr
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                lines.add(line);
            }
            assertThat(p.exitValue()).as("exit status; stderr was %s", lines).isZero();
            assertThat(lines).last().isEqualTo("aemp run: node seed stopped");
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * The newcomer's sequence of aemp-cli/README.md ("Running nodes with aemp"), word for word except
     * the port: 4040 there, a free one here.
     */
    @Test
    void theReadmeSequenceWorks() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort(); // the one way to know a free port before the seed binds it
        }
        String seed = "127.0.0.1:" + port;
        Cli cli = Cli.in(dir);
        Cli.Result setup = cli.run("gensecret", "profile", "seed", "nodeid", "seed", "binds", seed, "seeds", seed,
                "addservice", "Aemp::Echo", "profile", "aemp", "binds", "127.0.0.1:*", "seeds", seed);
        assertThat(setup.status()).as(setup.err()).isZero();

        Trigger trigger = new Trigger();
        try (CapturedStdout seedsTerminal = new CapturedStdout()) {
            CompletableFuture<Cli.Result> run = runInBackground(cli, trigger, "run", "seed");
            Node node = trigger.awaitStarted();

            Cli.Result snd = cli.run("snd", "seed#echo", "hello", "world");
            assertThat(snd.out()).isEqualTo("message sent successfully \n");
            assertThat(snd.status()).isZero();
            assertThat(cli.run("cal", "seed#echo", "hello").out()).isEqualTo("\"hello\"\n");
            assertThat(cli.run("cal", "seed", "time").out()).matches("\\d{10}(\\.\\d+)?\n");
            awaitNoLinks(node); // the nodes of the commands before have gone; a trace would wait for them
            Cli.Result trace = cli.run("trace", "seed");
            assertThat(trace.out()).isEqualTo("seed -> seed\nseed -> \n");
            assertThat(trace.status()).isZero();

            trigger.stop();
            assertThat(run.get(30, TimeUnit.SECONDS).status()).isZero();
            assertThat(seedsTerminal.text()).as("terminal 1 prints what seed#echo receives")
                    .startsWith("seed#echo got [\"hello\",\"world\"] from aemp/");
        }
    }
}
