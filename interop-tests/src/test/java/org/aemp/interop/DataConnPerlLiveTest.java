package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.aemp.Node;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testkit.PerlPeer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data connections with a live Perl AnyEvent::MP 2.02 node ({@code src/test/perl/dataconn-peer.pl}),
 * run only when {@code AEMP_PERL5LIB} names its lib folder: opened by Java and by Perl, without
 * and with TLS, each carrying 100 MiB each way, checked with SHA-256 on both ends. Perl's own
 * {@code connect_to} needs the script's shim for a 2.02 bug (it looks addresses up in a table 2.x
 * no longer fills); Java's side needs none.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DataConnPerlLiveTest {
    private static final Logger log = LoggerFactory.getLogger(DataConnPerlLiveTest.class);
    private static final String SECRET = "interop-secret";
    private static final int LENGTH = 100 * 1024 * 1024;
    private static final Duration TRANSFER = Duration.ofSeconds(240);

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @TempDir
    Path dir;

    private Node java;

    private PerlPeer perl(boolean tls) throws Exception {
        PerlPeer.assumePerl();
        List<String> args = new ArrayList<>(List.of("nodeid=perl-dc", "secret=" + SECRET));
        if (tls) {
            args.add("certfile=" + Files.writeString(dir.resolve("node.pem"), TlsFixtures.SELF_SIGNED));
        }
        java = nodes.start("java", c -> {
            c.binds(List.of("127.0.0.1:0")).secret(SECRET);
            return tls ? c.cert(TlsFixtures.SELF_SIGNED) : c;
        });
        // the script sits beside the other Perl peers of this module (surefire sets AEMP_INTEROP_PERL_DIR)
        Path script = Path.of(System.getenv().getOrDefault("AEMP_INTEROP_PERL_DIR", "src/test/perl"), "dataconn-peer.pl");
        return PerlPeer.startScript(script, "dataconn-peer", args.toArray(String[]::new));
    }

    /** The Perl end's report matches the Java end's: same counts, and each side read what the other wrote. */
    private static void assertSameBytes(StreamCheck.Result atJava, Map<String, Object> atPerl) {
        assertThat(((Number) atPerl.get("received")).longValue()).isEqualTo(LENGTH);
        assertThat(((Number) atPerl.get("sent")).longValue()).isEqualTo(LENGTH);
        assertThat(atJava.sent()).isEqualTo(LENGTH);
        assertThat(atJava.received()).isEqualTo(LENGTH);
        assertThat(atPerl.get("received_sha256")).as("what Perl read is what Java wrote").isEqualTo(atJava.sentSha256());
        assertThat(atJava.receivedSha256()).as("what Java read is what Perl wrote").isEqualTo(atPerl.get("sent_sha256"));
    }

    @ParameterizedTest(name = "tls {0}")
    @ValueSource(booleans = {false, true})
    void javaOpensADataConnectionToPerl(boolean tls) throws Exception {
        try (PerlPeer perl = perl(tls)) {
            java.addAddresses(perl.node(), perl.binds());
            Channel ch = java.dataConn().connectTo(perl.node(), Duration.ofSeconds(20), "DataConnPeer::receiver",
                    "j2p", LENGTH, LENGTH, "perl-seed").get(30, TimeUnit.SECONDS);
            assertThat(ch.pipeline().get(SslHandler.class) != null).as("TLS").isEqualTo(tls);
            perl.await("receiving", "j2p");
            StreamCheck.Result atJava = StreamCheck.start(ch, LENGTH, 7, LENGTH).result()
                    .get(TRANSFER.toSeconds(), TimeUnit.SECONDS);
            Map<String, Object> atPerl = perl.await("transfer", "j2p", TRANSFER);
            assertSameBytes(atJava, atPerl);
            log.info("Java to Perl{}: 100 MiB each way in {} ms at Java ({} MiB/s both directions), {} s at Perl",
                    tls ? " over TLS" : "", atJava.nanos() / 1_000_000, String.format("%.0f", atJava.mibPerSecond()),
                    atPerl.get("seconds"));
            ch.close().sync();
            perl.await("transfer_closed", "j2p");
            assertThat(java.upNodes()).containsExactly(perl.node());
        }
    }

    @ParameterizedTest(name = "tls {0}")
    @ValueSource(booleans = {false, true})
    void perlOpensADataConnectionToJava(boolean tls) throws Exception {
        try (PerlPeer perl = perl(tls)) {
            Probe<Channel> channels = new Probe<>();
            Probe<CompletableFuture<StreamCheck.Result>> checks = new Probe<>();
            java.dataConn().register("Java::receiver", (initData, ch) -> {
                assertThat(initData).containsExactly("from perl", 2);
                channels.put(ch);
                checks.put(StreamCheck.start(ch, LENGTH, 9, LENGTH).result());
            });
            // the link, so that Perl can reach the Java node (it has no address of it)
            assertThat(java.connect(perl.binds().get(0)).get(15, TimeUnit.SECONDS)).isEqualTo(perl.node());

            String id = perl.command("connect_to", "node", java.id(), "address", java.listenAddresses().get(0),
                    "timeout", 20, "func", "Java::receiver", "args", List.of("from perl", 2), "receive", LENGTH,
                    "send", LENGTH, "seed", "perl-seed");
            perl.await("connected", id);
            Channel ch = channels.next(Duration.ofSeconds(20));
            assertThat(ch.pipeline().get(SslHandler.class) != null).as("TLS").isEqualTo(tls);
            StreamCheck.Result atJava = checks.next().get(TRANSFER.toSeconds(), TimeUnit.SECONDS);
            Map<String, Object> atPerl = perl.await("transfer", id, TRANSFER);
            assertSameBytes(atJava, atPerl);
            log.info("Perl to Java{}: 100 MiB each way in {} ms at Java ({} MiB/s both directions), {} s at Perl",
                    tls ? " over TLS" : "", atJava.nanos() / 1_000_000, String.format("%.0f", atJava.mibPerSecond()),
                    atPerl.get("seconds"));
            ch.close().sync();
            perl.await("transfer_closed", id);
            assertThat(java.upNodes()).containsExactly(perl.node());
        }
    }
}
