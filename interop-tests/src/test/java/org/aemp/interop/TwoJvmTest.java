package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aemp.Context;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testkit.ChildProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Java node here and {@link JavaEchoNode} in a JVM of its own, linked over loopback: the same
 * protocol across a process boundary, and what a crash of the other process looks like. The child
 * processes are always ended, also when a test fails.
 */
@Timeout(60)
class TwoJvmTest {
    private static final String SECRET = "two-jvm-secret";
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static ChildProcess child;
    private static String childAddress;

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    /** The {@code ready <id> <addresses>} line of a JavaEchoNode: its first address. */
    private static String startedAt(ChildProcess p) {
        String ready = p.await(STARTUP, l -> l.startsWith("ready "), "starting with 'ready'");
        return ready.split(" ")[2].split(",")[0];
    }

    private static ChildProcess startChild(String id) throws IOException {
        return ChildProcess.startJava(id, JavaEchoNode.class, "nodeid=" + id, "bind=127.0.0.1:0",
                "secret=" + SECRET, "framing=json");
    }

    @BeforeAll
    static void startTheOtherJvm() throws IOException {
        child = startChild("jvm2");
        childAddress = startedAt(child);
    }

    @AfterAll
    static void stopTheOtherJvm() {
        if (child != null) {
            child.close();
        }
    }

    /** A local node with an id of its own per test (the child may not have seen the last one go yet). */
    private Node local(TestInfo test) {
        String id = "local-" + test.getTestMethod().orElseThrow().getName();
        Node n = nodes.start(id, b -> b.binds(List.of("127.0.0.1:0")).secret(SECRET).framingFormat(List.of("json")));
        n.addAddresses("jvm2", List.of(childAddress));
        return n;
    }

    @Test
    void pingPong(TestInfo test) {
        Node n = local(test);
        Probe<List<Object>> got = new Probe<>();
        PortId reply = n.newPort((ctx, m) -> got.put(m));
        n.send(PortId.parse("jvm2#echo"), reply.toString(), "pong", 1);
        assertThat(got.next()).containsExactly("pong", 1);
        assertThat(n.upNodes()).containsExactly("jvm2");
    }

    @Test
    void spawnMonitorAndKillASpawnedPort(TestInfo test) {
        Node n = local(test);
        Probe<List<Object>> got = new Probe<>();
        PortId reply = n.newPort((ctx, m) -> got.put(m));
        PortId spawned = n.spawn("jvm2", "InteropSpawn::echo", reply.toString(), "arg");
        Probe<KillReason> down = new Probe<>();
        n.monitor(spawned, down::put);
        assertThat(got.next()).containsExactly("spawned", spawned.toString(), "arg");
        n.send(spawned, "hello");
        assertThat(got.next()).containsExactly("echo", spawned.toString(), "hello");
        n.send(spawned, "kil", "my_error", "from the test");
        assertThat(down.next().values()).containsExactly("my_error", "from the test");
    }

    @Test
    void monitorsWorkInBothDirections(TestInfo test) {
        Node n = local(test);
        Probe<List<Object>> got = new Probe<>();
        PortId reply = n.newPort((ctx, m) -> got.put(m));
        PortId watched = n.newPort((ctx, m) -> { });
        // the other node monitors our port; we kill it with a reason
        n.send(PortId.parse("jvm2#ctl"), "mon", watched.toString(), reply.toString());
        // through the same port, so it comes after the mon1 the other node sent us
        n.send(PortId.parse("jvm2#ctl"), "snd", reply.toString(), "monitor set");
        assertThat(got.next()).containsExactly("monitor set");
        n.kill(watched, "shot", 42);
        assertThat(got.next()).containsExactly("mon_fired", watched.toString(), "shot", 42);
        // we monitor ports of the other node: a missing one, and one it kills itself
        Probe<KillReason> down = new Probe<>();
        n.monitor(PortId.parse("jvm2#nosuch"), down::put);
        assertThat(down.next().values()).containsExactly("no_such_port", "cannot monitor nonexistent port", "jvm2#nosuch");
        n.send(PortId.parse("jvm2#ctl"), "newport", reply.toString());
        List<Object> created = got.next();
        assertThat(created.get(0)).isEqualTo("newport");
        PortId theirs = PortId.parse((String) created.get(1));
        n.monitor(theirs, down::put);
        n.send(theirs, "kil", "bye", "now");
        assertThat(down.next().values()).containsExactly("bye", "now");
    }

    @Test
    void callsGoBothWays(TestInfo test) throws Exception {
        Node n = local(test);
        assertThat(n.call(Duration.ofSeconds(10), PortId.parse("jvm2#rpc"), "x", 1).get(20, TimeUnit.SECONDS))
                .containsExactly("rpc_reply", "x", 1);
        PortId rpc = n.receive(new PortId(n.id(), "rpc"), (ctx, m) ->
                ctx.send(PortId.parse(Context.text(m, m.size() - 1)), "local_reply", m.get(0)));
        Probe<List<Object>> got = new Probe<>();
        PortId reply = n.newPort((ctx, m) -> got.put(m));
        n.send(PortId.parse("jvm2#ctl"), "cal", rpc.toString(), "y", reply.toString());
        assertThat(got.next()).containsExactly("cal_result", "local_reply", "y");
    }

    @Test
    void killingTheOtherProcessFiresTransportError(TestInfo test) throws Exception {
        try (ChildProcess victim = startChild("jvm3")) {
            String address = startedAt(victim);
            Node n = local(test);
            n.addAddresses("jvm3", List.of(address));
            Probe<List<Object>> got = new Probe<>();
            PortId reply = n.newPort((ctx, m) -> got.put(m));
            PortId sink = n.spawn("jvm3", "InteropSpawn::sink");
            Probe<KillReason> down = new Probe<>();
            Probe<String> events = new Probe<>();
            n.monitorNodes((node, up, reason) -> events.put(node + (up ? " up" : " down " + reason.values().subList(0, 2))));
            n.monitor(sink, down::put);
            n.monitor(PortId.parse("jvm3#echo"), down::put);
            n.monitor(PortId.nodePort("jvm3"), down::put);
            n.send(PortId.parse("jvm3#echo"), reply.toString(), "alive");
            assertThat(got.next()).containsExactly("alive");
            assertThat(events.next()).isEqualTo("jvm3 up");

            victim.kill();

            for (int i = 0; i < 3; i++) {
                KillReason r = down.next();
                assertThat(r.values()).hasSize(3);
                assertThat(r.values().subList(0, 2)).containsExactly("transport_error", "jvm3");
            }
            down.nothingWithin(Duration.ofMillis(200));
            assertThat(events.next()).isEqualTo("jvm3 down [transport_error, jvm3]");
            assertThat(n.upNodes()).doesNotContain("jvm3");
        }
    }
}
