package org.aemp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.aemp.Guard;
import org.aemp.Node;
import org.aemp.PortId;
import org.aemp.config.RcFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live checks with Perl AnyEvent::MP 2.02, run only when {@code AEMP_PERL5LIB} names its lib
 * folder: Perl's {@code aemp} (found at {@code <lib>/../bin/aemp}) against a Java node started with
 * {@code aemp run}, and our {@code aemp} against a Perl node ({@code demo-peer.pl}).
 */
@Timeout(120)
class PerlInteropTest {
    @TempDir
    Path dir;
    private List<String> lib;

    @BeforeEach
    void needPerl() {
        String env = System.getenv(PerlPeer.PERL5LIB);
        assumeTrue(env != null && !env.isBlank(),
                "AEMP_PERL5LIB is not set: set it to AnyEvent::MP 2.02's lib folder to run the live Perl checks");
        lib = PerlPeer.library(java.util.Map.of(PerlPeer.PERL5LIB, env));
    }

    /** Perl's aemp script next to the library ({@code <lib>/../bin/aemp}). */
    private Path perlAemp() {
        for (String d : lib) {
            Path script = Path.of(d).resolveSibling("bin").resolve("aemp");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        assumeTrue(false, "Perl's aemp script is not at <AEMP_PERL5LIB>/../bin/aemp");
        return null;
    }

    record Run(int status, String out, String err) {
    }

    /** Runs Perl's aemp with this rc file. */
    private Run perlAemp(Path rc, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("perl"));
        lib.forEach(d -> command.add("-I" + d));
        command.add(perlAemp().toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put(RcFile.ENV_RC, rc.toString());
        Path out = dir.resolve("perl.out");
        Path err = dir.resolve("perl.err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("perl aemp %s ended", List.of(args)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
    }

    @Test
    void perlsAempSendsCallsAndTracesAJavaNodeStartedWithRun() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        String seed = "127.0.0.1:" + port;
        Cli cli = Cli.in(dir);
        assertThat(cli.run("gensecret", "profile", "seed", "nodeid", "seed", "binds", seed, "seeds", seed,
                "addservice", "Aemp::Echo", "profile", "aemp", "binds", "127.0.0.1:*", "seeds", seed).status()).isZero();
        RunCommandTest.Trigger trigger = new RunCommandTest.Trigger();
        Cli controlled = cli.with(e -> e.withRunControl(trigger));
        CapturedStdout echoed = new CapturedStdout(); // what Aemp::Echo prints
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> controlled.run("run", "seed"));
        Node node = trigger.awaitStarted();
        try (echoed) {
            Run snd = perlAemp(cli.rcPath(), "snd", "seed#echo", "hello", "world");
            assertThat(snd.out()).as(snd.err()).isEqualTo("message sent successfully \n");
            assertThat(snd.status()).isZero();

            Run cal = perlAemp(cli.rcPath(), "cal", "seed#echo", "hello", "[1,{\"a\":null}]");
            assertThat(cal.out()).as(cal.err()).isEqualTo("\"hello\",[1,{\"a\":null}]\n");
            assertThat(perlAemp(cli.rcPath(), "cal", "seed", "time").out()).matches("\\d{10}(\\.\\d+)?\n");

            Run sndMissing = perlAemp(cli.rcPath(), "snd", "seed#nosuch", "x");
            assertThat(sndMissing.out()).isIn("no_such_port cannot monitor nonexistent port seed#nosuch \n",
                    "message sent successfully \n"); // Perl's own race, CONFIG-CLI.md §4.4

            Run eval = perlAemp(cli.rcPath(), "eval", "seed", "1");
            assertThat(eval.status()).isNotZero();
            assertThat(eval.err()).startsWith("eval not supported: seed is a Java node");

            awaitNoLinks(node);
            Run trace = perlAemp(cli.rcPath(), "trace", "seed");
            assertThat(trace.out()).as(trace.err()).isEqualTo("seed -> seed\nseed -> \n");
            assertThat(trace.status()).isZero();
        } finally {
            trigger.stop();
        }
        assertThat(run.get(30, TimeUnit.SECONDS).status()).isZero();
    }

    @Test
    void ourAempTalksToAPerlNode() throws Exception {
        try (TestNetwork net = new TestNetwork()) {
            CompletableFuture<List<Object>> ready = new CompletableFuture<>();
            PortId readyPort = net.seed.newPort((ctx, m) -> ready.complete(m));
            try (PerlPeer perl = PerlPeer.start(lib, "perl", net.seedAddresses().get(0), readyPort,
                    TestNetwork.SECRET)) {
                assertThat(perl.await(ready, Duration.ofSeconds(30))).startsWith("ready", "perl");
                net.awaitRegistered("perl");
                Cli cli = Cli.in(dir).withRc(net.rc());

                assertThat(cli.run("cal", "perl#pong", "ping").out()).matches("\"pong\",\"perl 5\\.\\d+\\.\\d+\"\n");
                assertThat(cli.run("snd", "perl#nosuch", "x").out()).isIn(
                        "no_such_port cannot monitor nonexistent port perl#nosuch \n", "message sent successfully \n");
                Cli.Result eval = cli.run("eval", "perl", "1+1,", "'x',", "$AnyEvent::MP::Kernel::NODE");
                assertThat(eval.out()).as(eval.err()).isEqualTo("2,\"x\",\"perl\"\n");
                Cli.Result die = cli.run("eval", "perl", "die \"boom\\n\"");
                assertThat(die.status()).isEqualTo(1);
                assertThat(die.err()).isEqualTo("boom\n");
                Cli.Result restart = cli.run("restart", "perl");
                assertThat(restart.status()).isEqualTo(1);
                assertThat(restart.err()).contains("Can't locate AnyEvent/Watchdog/Util.pm");

                Cli.Result trace = cli.run("trace", "seed");
                assertThat(trace.out()).isEqualTo("seed -> seed\nseed -> perl\nperl -> seed\n");
                assertThat(trace.status()).isZero();

                String input = "=perl\n$AnyEvent::MP::Kernel::NODE, \"\\x{e9}\"\n";
                Cli.Result shell = cli.with(e -> e.withStdin(new java.io.ByteArrayInputStream(
                        input.getBytes(StandardCharsets.UTF_8)))).run("shell");
                assertThat(shell.out()).contains("\nperl: $AnyEvent::MP::Kernel::NODE, \"\\x{e9}\"\n")
                        .contains("[\n   \"perl\",\n   \"\\u00e9\"\n]\n\nperl AnyEvent::MP::Kernel> ");

                assertThat(perl.stop(Duration.ofSeconds(20))).isZero();
            }
        }
    }

    private static void awaitNoLinks(Node node) {
        CompletableFuture<Void> none = new CompletableFuture<>();
        try (Guard g = node.monitorNodes((n, up, reason) -> {
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
}
