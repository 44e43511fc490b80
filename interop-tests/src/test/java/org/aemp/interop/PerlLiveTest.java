package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.NodeInternals;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testkit.PerlPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Live tests against real Perl AnyEvent::MP 2.02 nodes (mp-testkit's {@code aemp-peer.pl}, through {@link PerlPeer}), run
 * only when {@code AEMP_PERL5LIB} points at an AnyEvent::MP 2.02 installation. Each test runs with
 * JSON framing in both directions and with Perl's default, CBOR. In "Java to Perl" tests the
 * Java node dials the Perl node; in "Perl to Java" tests the Perl node is started with the Java
 * node as its seed, so Perl dials (and the Java node never does).
 */
@Timeout(60)
class PerlLiveTest {
    private static final String SECRET = "interop-secret";

    @RegisterExtension
    final TestNodes nodes = new TestNodes();
    private final List<PerlPeer> perls = new ArrayList<>();

    @BeforeEach
    void needsPerl() {
        PerlPeer.assumePerl();
    }

    @AfterEach
    void stopPerl() {
        perls.forEach(PerlPeer::close);
    }

    private Node java(String framing) {
        Node n = nodes.start("java", b -> JavaEchoNode.functions(b).binds(List.of("127.0.0.1:0")).secret(SECRET)
                .framingFormat(framing.equals("json") ? List.of("json") : List.of("cbor", "json")));
        JavaEchoNode.serve(n);
        return n;
    }

    /** A Perl node that the Java node will dial. */
    private PerlPeer perl(String framing, Node java) throws IOException {
        PerlPeer p = start("perl-" + framing, "nodeid=perl", "bind=127.0.0.1:*", "secret=" + SECRET,
                framing.equals("json") ? "framing=json" : "framing=");
        java.addAddresses(p.node(), p.binds());
        return p;
    }

    /** A Perl node that dials the Java node (as its seed); returns once both see the link up. */
    private PerlPeer perlDialling(String framing, Node java) throws IOException {
        Probe<String> up = new Probe<>();
        java.monitorNodes((node, isUp, reason) -> up.put(node + (isUp ? " up" : " down")));
        PerlPeer p = start("perl-dialling-" + framing, "nodeid=perl", "bind=127.0.0.1:*", "secret=" + SECRET,
                "seeds=" + java.listenAddresses().get(0), framing.equals("json") ? "framing=json" : "framing=");
        assertThat(up.next(PerlPeer.PATIENCE)).isEqualTo("perl up");
        assertThat(p.await("node_up", null).get("node")).isEqualTo("java");
        return p;
    }

    private PerlPeer start(String name, String... args) throws IOException {
        PerlPeer p = PerlPeer.start(name, args);
        perls.add(p);
        return p;
    }

    /** Perl may send a number it has printed as a string: compare as text. */
    private static List<String> text(List<Object> message) {
        return message.stream().map(String::valueOf).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "cbor"})
    void javaPingsPerl(String framing) throws IOException {
        Node java = java(framing);
        PerlPeer perl = perl(framing, java);
        Probe<List<Object>> got = new Probe<>();
        PortId reply = java.newPort((ctx, m) -> got.put(m));
        java.send(PortId.parse("perl#echo"), reply.toString(), "pong", 1, List.of("x", 2), Map.of("k", "v"));
        assertThat(got.next()).containsExactly("pong", 1, List.of("x", 2), Map.of("k", "v"));
        assertThat(perl.await("node_up", null).get("node")).isEqualTo("java");
        assertThat(java.upNodes()).containsExactly("perl");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "cbor"})
    void perlPingsJava(String framing) throws IOException {
        Node java = java(framing);
        PerlPeer perl = perlDialling(framing, java);
        String id = perl.command("ping", "to", "java#echo", "msg", List.of("pong", 2));
        assertThat(perl.reply(id)).containsExactly("pong", 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "cbor"})
    void javaSpawnsOnPerlAndMonitorsTheNewPort(String framing) throws IOException {
        Node java = java(framing);
        perl(framing, java);
        Probe<List<Object>> got = new Probe<>();
        PortId reply = java.newPort((ctx, m) -> got.put(m));
        PortId spawned = java.spawn("perl", "AempPeer::echo", reply.toString(), "arg");
        Probe<KillReason> down = new Probe<>();
        java.monitor(spawned, down::put);
        assertThat(got.next()).containsExactly("spawned", spawned.toString(), "arg");
        java.send(spawned, "hello", 3);
        assertThat(text(got.next())).containsExactly("echo", spawned.toString(), "hello", "3");
        java.send(spawned, "kil", "my_error", "from java");
        assertThat(down.next().values()).containsExactly("my_error", "from java");
        // kil1 from Java, and the die of a spawned port
        PortId second = java.spawn("perl", "AempPeer::echo", reply.toString());
        java.monitor(second, down::put);
        assertThat(got.next()).containsExactly("spawned", second.toString());
        java.kill(second, "shot", "by java");
        assertThat(down.next().values()).containsExactly("shot", "by java");
        PortId third = java.spawn("perl", "AempPeer::echo", reply.toString());
        java.monitor(third, down::put);
        assertThat(got.next()).containsExactly("spawned", third.toString());
        java.send(third, "die", "oops");
        assertThat(down.next().values()).containsExactly("die", "oops");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "cbor"})
    void perlSpawnsOnJava(String framing) throws IOException {
        Node java = java(framing);
        PerlPeer perl = perlDialling(framing, java);
        String id = perl.command("spawn", "node", "java", "func", "InteropSpawn::echo", "args", List.of(PerlPeer.REPLY, "arg"));
        String port = (String) perl.await("spawned", id).get("port");
        assertThat(port).startsWith("java#");
        assertThat(perl.reply(id)).containsExactly("spawned", port, "arg");
        String mon = perl.command("mon", "port", port);
        perl.command("send", "to", port, "msg", List.of("hello"));
        assertThat(perl.reply(id)).containsExactly("echo", port, "hello");
        perl.command("kil", "port", port, "reason", List.of("killed_by", "perl"));
        assertThat(perl.await("mon_fired", mon).get("reason")).isEqualTo(List.of("killed_by", "perl"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "cbor"})
    void monitorsWorkBothWays(String framing) throws IOException {
        Node java = java(framing);
        PerlPeer perl = perlDialling(framing, java);
        // Perl monitors a Java port that Java kills with a reason
        PortId watched = java.newPort((ctx, m) -> { });
        String mon = perl.command("mon", "port", watched.toString());
        String sync = perl.command("ping", "to", "java#echo", "msg", List.of("mon1 is there")); // same link, after mon1
        assertThat(perl.reply(sync)).containsExactly("mon1 is there");
        java.kill(watched, "shot", 42);
        assertThat(perl.await("mon_fired", mon).get("reason")).isEqualTo(List.of("shot", 42));
        // each side monitors a port the other does not have
        String missing = perl.command("mon", "port", "java#nosuch");
        assertThat(perl.await("mon_fired", missing).get("reason"))
                .isEqualTo(List.of("no_such_port", "cannot monitor nonexistent port", "java#nosuch"));
        Probe<KillReason> down = new Probe<>();
        java.monitor(PortId.parse("perl#nosuch"), down::put);
        assertThat(down.next().values()).containsExactly("no_such_port", "cannot monitor nonexistent port", "perl#nosuch");
        // Java monitors a Perl port that Perl kills itself
        Probe<List<Object>> got = new Probe<>();
        PortId reply = java.newPort((ctx, m) -> got.put(m));
        PortId spawned = java.spawn("perl", "AempPeer::echo", reply.toString());
        java.monitor(spawned, down::put);
        assertThat(got.next()).containsExactly("spawned", spawned.toString());
        perl.command("kil", "port", spawned.toString(), "reason", List.of("killed_by", "perl"));
        assertThat(down.next().values()).containsExactly("killed_by", "perl");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "cbor"})
    void killingThePerlProcessFiresTransportError(String framing) throws Exception {
        Node java = java(framing);
        PerlPeer perl = perl(framing, java);
        Probe<List<Object>> got = new Probe<>();
        Probe<KillReason> down = new Probe<>();
        Probe<String> events = new Probe<>();
        java.monitorNodes((node, up, reason) -> events.put(node + (up ? " up" : " down " + reason.values().subList(0, 2))));
        PortId reply = java.newPort((ctx, m) -> got.put(m));
        PortId sink = java.spawn("perl", "AempPeer::sink");
        java.monitor(sink, down::put);
        java.monitor(PortId.parse("perl#echo"), down::put);
        java.monitor(PortId.nodePort("perl"), down::put);
        java.send(PortId.parse("perl#echo"), reply.toString(), "alive");
        assertThat(got.next()).containsExactly("alive");
        assertThat(events.next()).isEqualTo("perl up");

        perl.kill();

        for (int i = 0; i < 3; i++) {
            KillReason r = down.next();
            assertThat(r.values()).hasSize(3);
            assertThat(r.values().subList(0, 2)).containsExactly("transport_error", "perl");
        }
        down.nothingWithin(Duration.ofMillis(200));
        assertThat(events.next()).isEqualTo("perl down [transport_error, perl]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "cbor"})
    void perlSeesTransportErrorWhenTheJavaNodeGoesAway(String framing) throws IOException {
        Node java = java(framing);
        PerlPeer perl = perlDialling(framing, java);
        String mon = perl.command("mon", "port", "java#echo");
        String sync = perl.command("ping", "to", "java#echo", "msg", List.of("ok"));
        assertThat(perl.reply(sync)).containsExactly("ok");
        NodeInternals.crash(java); // the link drops; no port of the Java node is killed
        @SuppressWarnings("unchecked")
        List<Object> reason = (List<Object>) perl.await("mon_fired", mon).get("reason");
        assertThat(reason.subList(0, 2)).containsExactly("transport_error", "java");
        assertThat(perl.await("node_down", null).get("node")).isEqualTo("java");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "cbor"})
    void callsGoBothWays(String framing) throws Exception {
        Node java = java(framing);
        PerlPeer perl = perlDialling(framing, java);
        assertThat(text(java.call(Duration.ofSeconds(10), PortId.parse("perl#rpc"), "x", 1).get(20, TimeUnit.SECONDS)))
                .containsExactly("rpc_reply", "x", "1");
        String id = perl.command("cal", "to", "java#rpc", "msg", List.of("y", 2), "timeout", 10);
        assertThat(perl.await("cal_result", id).get("msg")).isEqualTo(List.of("rpc_reply", "y", 2));
        String none = perl.command("cal", "to", "java#nosuch", "msg", List.of("z"), "timeout", 0.5);
        assertThat(perl.await("cal_result", none).get("msg")).as("a timed-out cal gets no arguments").isEqualTo(List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "cbor"})
    void perlsNodePortRequestsToJava(String framing) throws IOException {
        Node java = java(framing);
        PerlPeer perl = perlDialling(framing, java);
        String time = perl.command("send", "to", "java#", "msg", List.of("time", PerlPeer.REPLY, "t"));
        List<Object> t = perl.reply(time);
        assertThat(t.get(0)).isEqualTo("t");
        assertThat(((Number) t.get(1)).doubleValue()).isCloseTo(System.currentTimeMillis() / 1000.0,
                org.assertj.core.data.Offset.offset(60.0));
        String can = perl.command("send", "to", "java#", "msg", List.of("can", "time", PerlPeer.REPLY, "c"));
        assertThat(perl.reply(can)).containsExactly("c", true);
        String cannot = perl.command("send", "to", "java#", "msg", List.of("can", "No::such", PerlPeer.REPLY, "n"));
        assertThat(perl.reply(cannot)).containsExactly("n", false);
        String relay = perl.command("send", "to", "java#", "msg", List.of("snd", PerlPeer.REPLY, "relayed", 3));
        assertThat(perl.reply(relay)).containsExactly("relayed", 3);
    }
}
