package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.aemp.AempException;
import org.aemp.DataConn;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.NodeInternals;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Data connections (AEMP {@code AnyEvent::MP::DataConn}) between Java nodes over real loopback
 * sockets: 100 MiB each way, checked with SHA-256, with and without TLS; an unknown id, an
 * unregistered receiver and a timeout; a node that does not listen is asked to dial; a data
 * connection is not a link; and a node's data connection with itself.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DataConnTest {
    private static final Logger log = LoggerFactory.getLogger(DataConnTest.class);
    private static final long MIB = 1024 * 1024;
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final String RECEIVER = "DataConnTest::receiver";

    @RegisterExtension
    final TestNodes nodes = new TestNodes();
    private TestLogs logs;

    @BeforeEach
    void logs(TestLogs logs) {
        this.logs = logs;
    }

    private Node node(String id, UnaryOperator<NodeConfig.Builder> more) {
        return nodes.start(id, b -> more.apply(b.binds(List.of("127.0.0.1:0")).secret(JavaToJavaTest.SECRET)));
    }

    /** {@code b} runs a {@link StreamCheck} on every data connection for {@link #RECEIVER}: it sends {@code length} bytes from seed 2 and reads as many. */
    private static Probe<CompletableFuture<StreamCheck.Result>> receiveChecks(Node b, long length,
            Probe<Channel> channels) {
        Probe<CompletableFuture<StreamCheck.Result>> checks = new Probe<>();
        b.dataConn().register(RECEIVER, (initData, ch) -> {
            assertThat(initData).containsExactly("hello", 42);
            channels.put(ch);
            checks.put(StreamCheck.start(ch, length, 2, length).result());
        });
        return checks;
    }

    private static StreamCheck.Result await(CompletableFuture<StreamCheck.Result> f) throws Exception {
        return f.get(150, TimeUnit.SECONDS);
    }

    /** What one end sent, the other received, and the other way round. */
    static void assertSameBytes(StreamCheck.Result one, StreamCheck.Result other, long length) {
        assertThat(one.sent()).isEqualTo(length);
        assertThat(one.received()).isEqualTo(length);
        assertThat(other.received()).isEqualTo(one.sent());
        assertThat(other.receivedSha256()).isEqualTo(one.sentSha256());
        assertThat(one.receivedSha256()).isEqualTo(other.sentSha256());
        assertThat(one.sentSha256()).as("the two streams differ").isNotEqualTo(other.sentSha256());
    }

    @ParameterizedTest(name = "tls {0}")
    @ValueSource(booleans = {false, true})
    void carries100MiBEachWayWithTheBytesIntact(boolean tls) throws Exception {
        UnaryOperator<NodeConfig.Builder> cert = c -> tls ? c.cert(TlsFixtures.SELF_SIGNED) : c;
        Node a = node("a", cert);
        Node b = node("b", cert);
        a.addAddresses("b", b.listenAddresses());
        long length = 100 * MIB;
        Probe<Channel> bChannels = new Probe<>();
        Probe<CompletableFuture<StreamCheck.Result>> atB = receiveChecks(b, length, bChannels);

        Channel ch = a.dataConn().connectTo("b", PATIENCE, RECEIVER, "hello", 42).get(20, TimeUnit.SECONDS);
        assertThat(ch.pipeline().get(SslHandler.class) != null).as("TLS in the pipeline").isEqualTo(tls);
        assertThat(ch.config().isAutoRead()).as("handed over with reading off").isFalse();
        StreamCheck.Result atA = await(StreamCheck.start(ch, length, 1, length).result());
        StreamCheck.Result other = await(atB.next());
        assertSameBytes(atA, other, length);
        assertThat(bChannels.next().pipeline().get(SslHandler.class) != null).isEqualTo(tls);
        log.info("100 MiB each way between Java nodes{}: {} ms, {} MiB/s (both directions)", tls ? " over TLS" : "",
                atA.nanos() / 1_000_000, String.format("%.0f", atA.mibPerSecond()));
        ch.close().sync();
    }

    @Test
    void aDataConnectionIsNotALink() throws Exception {
        Node a = node("a", c -> c);
        Node b = node("b", c -> c);
        a.addAddresses("b", b.listenAddresses());
        JavaToJavaTest.echo(b);
        Probe<String> events = new Probe<>();
        a.monitorNodes((node, up, reason) -> events.put("a: " + node + (up ? " up" : " down")));
        b.monitorNodes((node, up, reason) -> events.put("b: " + node + (up ? " up" : " down")));
        JavaToJavaTest.ping(a, b);
        assertThat(List.of(events.next(), events.next())).containsExactlyInAnyOrder("a: b up", "b: a up");
        int linksA = a.stats().links().size();

        Probe<Channel> bChannels = new Probe<>();
        Probe<CompletableFuture<StreamCheck.Result>> atB = receiveChecks(b, MIB, bChannels);
        Channel ch = a.dataConn().connectTo("b", PATIENCE, RECEIVER, "hello", 42).get(20, TimeUnit.SECONDS);
        assertSameBytes(await(StreamCheck.start(ch, MIB, 1, MIB).result()), await(atB.next()), MIB);
        assertThat(a.upNodes()).containsExactly("b");
        assertThat(b.upNodes()).containsExactly("a");
        assertThat(a.stats().links()).hasSize(linksA);
        ch.close().sync();
        assertThat(bChannels.next().closeFuture().await(10, TimeUnit.SECONDS)).isTrue();

        events.nothingWithin(Duration.ofMillis(300));
        JavaToJavaTest.ping(a, b);
        assertThat(a.upNodes()).containsExactly("b");
    }

    /** The README's example, in a network with a seed: a finds b's address through the global service. */
    @Test
    void addressesAreFoundThroughTheGlobalService() throws Exception {
        Node seed = node("seed", c -> c.global(true));
        Node a = node("a", c -> c.seeds(seed.listenAddresses()));
        Node b = node("b", c -> c.seeds(seed.listenAddresses()));
        Probe<CompletableFuture<StreamCheck.Result>> atB = new Probe<>();
        b.dataConn().register("My::Pkg::receiver", (initData, ch) -> {
            assertThat(initData).containsExactly("file-1");
            atB.put(StreamCheck.start(ch, MIB, 2, MIB).result());
        });
        while (!a.db().keys("'l").get(10, TimeUnit.SECONDS).contains("b")) {
            // b's listen address travels b -> seed while a asks
        }
        CompletableFuture<StreamCheck.Result> atA = a.dataConn()
                .connectTo("b", Duration.ofSeconds(5), "My::Pkg::receiver", "file-1")
                .thenCompose(ch -> StreamCheck.start(ch, MIB, 1, MIB).result());
        assertThat(NodeInternals.knownAddresses(a, "b")).as("not in a's address book").isEmpty();
        assertSameBytes(await(atA), await(atB.next()), MIB);
    }

    @Test
    void whenTheOtherNodeDoesNotListenItIsAskedToDial() throws Exception {
        Node a = nodes.start("a", c -> c.secret(JavaToJavaTest.SECRET)); // no listener
        Node b = node("b", c -> c);
        a.addAddresses("b", b.listenAddresses());
        JavaToJavaTest.echo(b);
        JavaToJavaTest.ping(a, b); // the link, dialled by a
        Probe<Channel> aChannels = new Probe<>();
        Probe<CompletableFuture<StreamCheck.Result>> atA = receiveChecks(a, MIB, aChannels);

        Channel ch = b.dataConn().connectTo("a", Duration.ofSeconds(4), RECEIVER, "hello", 42) // looks 2 s for an address
                .get(20, TimeUnit.SECONDS);
        assertSameBytes(await(StreamCheck.start(ch, MIB, 1, MIB).result()), await(atA.next()), MIB);
        assertThat(ch.parent()).as("accepted by b's listener: dialled by a").isNotNull();
        ch.close();
    }

    @Test
    void aConnectionToTheNodeItselfIsAPairOfSockets() throws Exception {
        Node a = node("a", c -> c);
        Probe<Channel> channels = new Probe<>();
        Probe<CompletableFuture<StreamCheck.Result>> checks = receiveChecks(a, MIB, channels);

        Channel ch = a.dataConn().connectTo("a", PATIENCE, RECEIVER, "hello", 42).get(20, TimeUnit.SECONDS);
        assertSameBytes(await(StreamCheck.start(ch, MIB, 1, MIB).result()), await(checks.next()), MIB);
        assertThat(a.upNodes()).isEmpty();
        ch.close();
    }

    @Test
    void anUnknownIdIsRefusedBeforeAuthenticationWithAWarning() throws IOException {
        Node a = node("a", c -> c);
        logs.expect(Level.WARN, LogPatterns.inOrder("data connection from /127.0.0.1:", "refused: no data connection"
                + " 'nope@raw' is awaited from node raw"));
        try (RawPeer raw = RawPeer.connect(a.listenAddresses().get(0), "raw")) {
            raw.sendGreeting("aemp-dataconn;1;raw;hmac_sha3_512;json;provider=raw-test;dataconn_id=nope@raw");
            raw.readGreeting();
            assertThat(raw.peerGreeting()).startsWith("aemp;1;a;");
            assertThat(raw.awaitClosed(PATIENCE)).as("closed, without an auth line").isTrue();
        }
        assertThat(a.stats().refusedConnections()).isEqualTo(1);
    }

    @Test
    void anUnregisteredReceiverFailsTheAttemptAndKillsThePort() throws Exception {
        Node a = node("a", c -> c);
        Node b = node("b", c -> c);
        a.addAddresses("b", b.listenAddresses());
        logs.expect(Level.WARN, "data connection request from node a refused: no data connection receiver"
                + " 'Nobody::home' is registered on node b");
        Probe<KillReason> down = new Probe<>();
        PortId port = a.newPort((ctx, m) -> { });
        a.monitor(port, down::put);

        CompletableFuture<Channel> f = a.dataConn().connectTo(port, "b", PATIENCE, "Nobody::home");
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AempException.class)
                .hasMessage("data connection to node b failed: no data connection receiver 'Nobody::home' is"
                        + " registered on node b");
        assertThat(down.next().values()).containsExactly(DataConn.KILL_TYPE,
                "no data connection receiver 'Nobody::home' is registered on node b");
    }

    @Test
    void aTimeoutFailsTheAttemptAndKillsThePort() throws Exception {
        Node a = node("a", c -> c);
        try (ServerSocket ghost = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // a listener that accepts (in the kernel's backlog) and never says a word
            a.addAddresses("ghost", List.of("127.0.0.1:" + ghost.getLocalPort()));
            Probe<KillReason> down = new Probe<>();
            PortId port = a.newPort((ctx, m) -> { });
            a.monitor(port, down::put);

            CompletableFuture<Channel> f = a.dataConn().connectTo(port, "ghost", Duration.ofMillis(500), RECEIVER);
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TimeoutException.class)
                    .hasMessage("data connection to node ghost failed: not connected within 500 ms");
            assertThat(down.next().values()).containsExactly(DataConn.KILL_TYPE, "not connected within 500 ms");
        }
    }

    @Test
    void anUnreachableNodeFailsTheAttemptBeforeTheTimeout() {
        Node a = node("a", c -> c);
        CompletableFuture<Channel> f = a.dataConn().connectTo("nowhere", Duration.ofSeconds(60), RECEIVER);
        assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AempException.class)
                .hasMessageStartingWith("data connection to node nowhere failed: node nowhere is unreachable: ");
    }

    @Test
    void argumentsAreCheckedAtTheCall() {
        Node a = node("a", c -> c);
        assertThatThrownBy(() -> a.dataConn().connectTo("b", Duration.ZERO, RECEIVER))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be > 0: PT0S");
        assertThatThrownBy(() -> a.dataConn().connectTo(new PortId("b", "x"), "b", PATIENCE, RECEIVER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port must be a port of node a");
        assertThatThrownBy(() -> a.dataConn().register("", (d, ch) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("receiver name must not be empty");
    }
}
