package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testkit.ChildProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer on another host that vanishes: the peer node runs in a network namespace of its own,
 * joined to this one by a veth pair (10.77.N.1 here, 10.77.N.2 there, N picked at random and
 * unused), and its interface is taken down, so that nothing it sends arrives and nothing reaches
 * it, not even a reset. The node under test reports it down within its liveness timeout, with
 * {@code transport_error}.
 *
 * <p>Needs root and {@code ip netns} (iproute2); skipped otherwise. The namespace (and with it
 * both ends of the veth pair) is deleted after each test, whatever happened.
 */
class NetnsLivenessTest {
    private static final Logger log = LoggerFactory.getLogger(NetnsLivenessTest.class);
    private static final String SECRET = JavaToJavaTest.SECRET;
    private static final Duration LIVENESS = Duration.ofSeconds(3);

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private String namespace;
    private String hostSide;
    private String peerSide;
    private String subnet;
    private ChildProcess peer;

    @BeforeEach
    void makeANamespace() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "Linux only");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                || Files.isExecutable(Path.of("/usr/bin/ip")), "no ip command (iproute2)");
        Assumptions.assumeTrue(run("id", "-u").trim().equals("0"), "network namespaces need root");
        String tag = Long.toString(ProcessHandle.current().pid() % 100_000, 36)
                + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36), 36);
        namespace = "aemp-lt-" + tag;
        hostSide = "vlt" + tag + "h";
        peerSide = "vlt" + tag + "p";
        String used = run("ip", "-4", "addr", "show");
        int n;
        do {
            n = ThreadLocalRandom.current().nextInt(1, 255);
        } while (used.contains("10.77." + n + "."));
        subnet = "10.77." + n + ".";
        try {
            ip("netns", "add", namespace);
        } catch (IOException e) {
            namespace = null;
            Assumptions.abort("cannot make a network namespace: " + e.getMessage());
        }
        try {
            ip("link", "add", hostSide, "type", "veth", "peer", "name", peerSide);
            ip("link", "set", peerSide, "netns", namespace);
            ip("addr", "add", subnet + "1/24", "dev", hostSide);
            ip("link", "set", hostSide, "up");
            ip("netns", "exec", namespace, "ip", "addr", "add", subnet + "2/24", "dev", peerSide);
            ip("netns", "exec", namespace, "ip", "link", "set", peerSide, "up");
            ip("netns", "exec", namespace, "ip", "link", "set", "lo", "up");
        } catch (IOException e) {
            Assumptions.abort("cannot join a network namespace by a veth pair: " + e.getMessage());
        }
    }

    @AfterEach
    void removeTheNamespace() throws Exception {
        if (peer != null) {
            peer.close();
        }
        if (namespace != null) {
            ip("netns", "del", namespace); // takes both ends of the veth pair with it
        }
        if (hostSide != null && run("ip", "link", "show").contains(hostSide + "@")) {
            ip("link", "del", hostSide);
        }
    }

    @Test
    @Timeout(90)
    void aPeerWhoseHostVanishesIsReportedDown() throws Exception {
        peer = ChildProcess.startJava("netns-peer", List.of("ip", "netns", "exec", namespace), List.of(), JavaEchoNode.class,
                "nodeid=far", "bind=" + subnet + "2:0", "secret=" + SECRET, "global=0");
        String ready = peer.await(Duration.ofSeconds(60), l -> l.startsWith("ready "), "'ready'");
        String address = ready.split(" ")[2].split(",")[0];
        Node t = nodes.start("t", b -> b.binds(List.of(subnet + "1:0")).secret(SECRET).livenessTimeout(LIVENESS));
        assertThat(t.connect(address).get(30, TimeUnit.SECONDS)).isEqualTo("far");
        Probe<KillReason> lost = new Probe<>();
        t.monitor(new PortId("far", "echo"), lost::put);
        Probe<List<Object>> got = new Probe<>();
        PortId reply = t.newPort((ctx, m) -> got.put(m));
        t.send(new PortId("far", "echo"), reply.toString(), "pong");
        assertThat(got.next()).containsExactly("pong");

        ip("netns", "exec", namespace, "ip", "link", "set", "dev", peerSide, "down");
        long gone = System.nanoTime();
        KillReason reason = lost.next(LIVENESS.plusSeconds(10));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - gone);
        log.info("the vanished peer was reported down after {} ms: {}", took, reason.values());
        assertThat(reason.values()).startsWith(KillReason.TRANSPORT_ERROR, "far");
        assertThat(took).as("ms until the vanished peer is reported down (liveness_timeout 3000 ms)")
                .isBetween(LIVENESS.toMillis() - 500, LIVENESS.toMillis() + 2500);
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    /** Runs a command and returns its output; throws if it fails. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": no answer within 30 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out.trim());
        }
        return out;
    }
}
