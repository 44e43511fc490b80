package org.aemp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/** {@code aemp observe} and {@code aemp demo --observe} serve the page and stop when told. */
@Timeout(120)
class ObserveCommandTest {
    private static final String SECRET = "observe-test-secret";

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String get(int port, String target) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Asks for the snapshot until it names every one of {@code nodes} as up and holds every one of {@code texts}. */
    private static String awaitSnapshotWith(int port, List<String> nodes, String... texts) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "";
        while (System.nanoTime() < end) {
            last = get(port, "/snapshot.json");
            String snapshot = last;
            if (nodes.stream().allMatch(n -> snapshot.contains("{\"id\":\"" + n + "\",\"state\":\"up\""))
                    && List.of(texts).stream().allMatch(snapshot::contains)) {
                return last;
            }
            Thread.sleep(200); // the page's server answers each request anew: no event to wait on here
        }
        throw new AssertionError("the snapshot did not show " + nodes + " up and " + List.of(texts) + " within 30 s: "
                + last);
    }

    @Test
    void observeRunsALeafServesThePageAndStopsWhenTold(TestLogs logs) throws Exception {
        logs.allow(Level.INFO, ".*");
        try (Node seed = Node.start(NodeConfig.builder().nodeId("seed").binds(List.of("127.0.0.1:0")).secret(SECRET)
                .global(true).build())) {
            Cli cli = Cli.in(dir).withRc("{\"version\":1,\"secret\":\"" + SECRET + "\",\"profile\":{\"watch\":{"
                    + "\"nodeid\":\"watch\",\"binds\":[\"127.0.0.1:0\"],\"seeds\":"
                    + JsonText.compact(seed.listenAddresses()) + "}}}");
            RunCommandTest.Trigger trigger = new RunCommandTest.Trigger();
            int port = freePort();
            Cli controlled = cli.with(e -> e.withRunControl(trigger));
            CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> controlled.run("observe", "watch",
                    "http=127.0.0.1:" + port, "families=jobs"));
            Node node = trigger.awaitStarted();
            assertThat(node.id()).isEqualTo("watch");
            assertThat(node.isGlobal()).as("the observer is a leaf").isFalse();

            assertThat(get(port, "/")).startsWith("HTTP/1.1 200").contains("<svg id=\"graph\"");
            String snapshot = awaitSnapshotWith(port, List.of("seed", "watch"));
            assertThat(snapshot).contains("{\"family\":\"jobs\"");
            assertThat(get(port, "/nope")).startsWith("HTTP/1.1 404");

            trigger.stop();
            Cli.Result r = run.get(30, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("http://127.0.0.1:" + port + "/\n");
            assertThat(r.err()).startsWith("aemp observe: node watch is up (profile watch)")
                    .endsWith("aemp observe: node watch stopped\n");
            assertThat(node.isClosed()).isTrue();
        }
    }

    @Test
    void aNonLoopbackAddressWithoutPublicIsRefused() {
        Cli.Result r = Cli.in(dir).withRc("{\"version\":1,\"secret\":\"" + SECRET + "\",\"profile\":{\"watch\":{"
                + "\"nodeid\":\"watch\",\"binds\":[\"127.0.0.1:0\"]}}}").run("observe", "watch", "http=0.0.0.0:0");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("bind a loopback address, or allow it explicitly (public)");
    }

    @Test
    void aBadHttpAddressIsAUsageError() {
        Cli.Result r = Cli.in(dir).run("observe", "http=localhost:99999");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("needs a port 0 to 65535");
    }

    @Test
    void theDemoWithObserveKeepsTheNetworkUpAndServesThePage(TestLogs logs) throws Exception {
        logs.allow(Level.INFO, ".*");
        RunCommandTest.Trigger trigger = new RunCommandTest.Trigger();
        int port = freePort();
        Cli cli = Cli.in(dir).with(e -> e.withRunControl(trigger));
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> cli.run("demo",
                "--observe=127.0.0.1:" + port));
        trigger.awaitStarted();
        String snapshot = awaitSnapshotWith(port, List.of("seed", "alice", "bob", "observer"), "\"id\":\"alice|bob\"",
                "\"framing\":");
        assertThat(snapshot).contains("\"kind\":\"java\"");
        trigger.stop();
        Cli.Result r = run.get(30, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("demo finished: every step worked", "   open http://127.0.0.1:" + port + "/",
                "   stopped");
    }
}
