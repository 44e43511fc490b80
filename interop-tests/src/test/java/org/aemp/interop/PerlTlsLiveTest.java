package org.aemp.interop;

import static org.aemp.interop.TlsFixtures.CA1_NODE_A;
import static org.aemp.interop.TlsFixtures.IMPLEMENTATIONS;
import static org.aemp.interop.TlsFixtures.SELF_SIGNED;
import static org.aemp.interop.TlsFixtures.tlsNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.SslProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.aemp.Node;
import org.aemp.PortId;
import org.aemp.interop.TlsFixtures.Watch;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * Live TLS against a real Perl AnyEvent::MP 2.02 node ({@code src/test/perl/tls-peer.pl}), run
 * only when {@code AEMP_PERL5LIB} names its lib folder. Both nodes use one self-signed certificate
 * made at test time. Over a series of fresh links, dialled by Java and by Perl in turn, with
 * BoringSSL and with the JDK's TLS, messages flow both ways, Perl sends {@code tls_sha3_512}, TLS
 * 1.3 is negotiated, and the Java node is TLS client on some links and TLS server on others (the
 * nonces decide).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PerlTlsLiveTest {
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final String PERL_NODE = "perl-tls";
    private static final String SECRET = "interop-secret";

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @TempDir
    Path dir;

    private Process perl;
    private PrintWriter perlIn;
    private final List<String> perlOut = new ArrayList<>();
    private String perlAddress;

    @BeforeEach
    void startPerl() throws Exception {
        String lib = System.getenv("AEMP_PERL5LIB");
        assumeTrue(lib != null && !lib.isBlank(), "AEMP_PERL5LIB is not set: the live TLS tests against Perl"
                + " AnyEvent::MP 2.02 are skipped (set it to the lib folder of an AnyEvent::MP 2.02 installation)");
        String scripts = System.getenv().getOrDefault("AEMP_INTEROP_PERL_DIR", "src/test/perl");
        Path pem = Files.writeString(dir.resolve("node.pem"), SELF_SIGNED);
        ProcessBuilder pb = new ProcessBuilder("perl", Path.of(scripts, "tls-peer.pl").toString(),
                "nodeid=" + PERL_NODE, "bind=127.0.0.1:0", "certfile=" + pem, "secret=" + SECRET)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PERL5LIB", lib);
        perl = pb.start();
        perlIn = new PrintWriter(new OutputStreamWriter(perl.getOutputStream(), StandardCharsets.UTF_8), true);
        Thread reader = new Thread(this::readPerl, "perl-tls-peer-stdout");
        reader.setDaemon(true);
        reader.start();
        String ready = awaitPerl("ready " + PERL_NODE + " ");
        perlAddress = ready.split(" ")[2];
    }

    @AfterEach
    void stopPerl() throws InterruptedException {
        if (perl != null) {
            perlIn.close(); // the script exits at the end of stdin
            if (!perl.waitFor(10, TimeUnit.SECONDS)) {
                perl.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void javaAndPerlTalkOverTlsWithEitherDiallingEitherTlsRoleAndBothImplementations() {
        Set<String> seen = new HashSet<>(); // "<implementation> <role>"
        Set<String> wanted = new HashSet<>();
        for (SslProvider impl : IMPLEMENTATIONS) {
            wanted.add(impl + " client");
            wanted.add(impl + " server");
        }
        for (int i = 1; i <= 40 && (i <= 4 || !seen.containsAll(wanted)); i++) {
            SslProvider impl = IMPLEMENTATIONS.get((i - 1) / 2 % 2);
            boolean javaDials = i % 2 == 1;
            Watch w = new Watch();
            Node j = nodes.start("java" + i, c -> tlsNode(c, SELF_SIGNED, impl, w).secret(SECRET));
            Probe<List<Object>> got = new Probe<>();
            PortId reply = j.newPort((ctx, msg) -> got.put(msg));
            PortId perlEcho = new PortId(PERL_NODE, "echo");
            if (javaDials) {
                j.addAddresses(PERL_NODE, List.of(perlAddress));
                j.send(perlEcho, reply.toString(), "ping", i);
                assertThat(got.next(PATIENCE)).as("link %d, Java dialled", i).containsExactly("echo", "ping", i);
            } else {
                perlIn.println("send " + j.id() + " " + j.listenAddresses().get(0) + " " + reply + " hello " + i);
                assertThat(got.next(PATIENCE)).as("link %d, Perl dialled", i)
                        .containsExactly("from_perl", "hello", String.valueOf(i));
                j.send(perlEcho, reply.toString(), "pong", i);
                assertThat(got.next(PATIENCE)).containsExactly("echo", "pong", i);
            }
            assertThat(j.upNodes()).containsExactly(PERL_NODE);
            assertThat(w.auth).as("Java sent, and Perl chose, tls_sha3_512")
                    .containsExactlyInAnyOrder("sent tls_sha3_512", "received tls_sha3_512");
            assertThat(w.roles).hasSize(1);
            assertThat(w.engines.get(0).getSession().getProtocol()).isEqualTo("TLSv1.3");
            seen.add(impl + " " + w.roles.get(0));
            j.close();
        }
        assertThat(seen).as("implementation and TLS role of the Java node").containsAll(wanted);
        assertThat(perlLines()).anyMatch(l -> l.startsWith("got [")).anyMatch(l -> l.startsWith("up java"));
    }

    /** A Java certificate from a CA the Perl node does not know: refused, and Perl goes on serving. */
    @Test
    void perlRefusesACertificateFromAnUnknownCaAndGoesOnServing(TestLogs logs) throws Exception {
        for (SslProvider impl : IMPLEMENTATIONS) {
            Node stranger = nodes.start("stranger-" + impl, c -> tlsNode(c, CA1_NODE_A, impl, new Watch()));
            assertThatThrownBy(() -> stranger.connect(perlAddress).get(15, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasMessageContaining("TLS handshake failed");
            assertThat(logs.await(PATIENCE, Level.WARN, LogPatterns.inOrder("handshake with ", "TLS handshake failed"))
                    .toString())
                    .containsPattern("(?i)certif|unknown_ca|bad_certificate");
            stranger.close();
        }
        Watch w = new Watch();
        Node j = nodes.start("java-after", c -> tlsNode(c, SELF_SIGNED, SslProvider.OPENSSL, w));
        Probe<List<Object>> got = new Probe<>();
        PortId reply = j.newPort((ctx, msg) -> got.put(msg));
        j.addAddresses(PERL_NODE, List.of(perlAddress));
        j.send(new PortId(PERL_NODE, "echo"), reply.toString(), "still", "there");
        assertThat(got.next(PATIENCE)).containsExactly("echo", "still", "there");
    }

    private void readPerl() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(perl.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (perlOut) {
                    perlOut.add(line);
                    perlOut.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private List<String> perlLines() {
        synchronized (perlOut) {
            return new ArrayList<>(perlOut);
        }
    }

    private String awaitPerl(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        boolean ended = false;
        synchronized (perlOut) {
            while (true) {
                for (String line : perlOut) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
                if (!ended && !perl.isAlive()) {
                    ended = true; // its last lines may still be on their way
                    deadline = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("tls-peer.pl printed no '" + prefix + "' line within " + PATIENCE
                            + (ended ? " (it exited with " + perl.exitValue() + ")" : "") + "; it printed: " + perlOut);
                }
                TimeUnit.NANOSECONDS.timedWait(perlOut, left);
            }
        }
    }
}
