package org.aemp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two nodes in one JVM over real loopback sockets, with mp-core's test codec and auth method. */
@Timeout(30)
class LoopbackLinkTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @Test
    void messagesGoBothWaysOverOneLink() {
        Node a = nodes.listening("a");
        Node b = nodes.listening("b");
        a.receive(new PortId("a", "echo"), (ctx, msg) -> ctx.send(PortId.parse((String) msg.get(0)), msg.get(1)));
        b.addAddresses("a", a.listenAddresses());
        Probe<Object> got = new Probe<>();
        PortId reply = b.newPort((ctx, msg) -> got.put(ctx.sourceNode() + " " + msg));
        b.send(PortId.parse("a#echo"), reply.toString(), "hello");
        assertThat(got.next()).isEqualTo("a [hello]");
        assertThat(a.upNodes()).containsExactly("b");
        assertThat(b.upNodes()).containsExactly("a");
    }

    @Test
    void connectFindsWhoeverListensAtAnAddress() throws Exception {
        Node a = nodes.listening("a");
        Node b = nodes.listening("b");
        assertThat(b.connect(a.listenAddresses().get(0)).get()).isEqualTo("a");
        assertThat(b.nodeIsUp("a")).contains(true);
        assertThat(b.nodeIsUp("b")).contains(true);
        assertThat(b.nodeIsUp("zzz")).isEmpty();
    }

    @Test
    void aNodeRefusesToTalkToItself() {
        Node a = nodes.listening("a");
        assertThatThrownBy(() -> a.connect(a.listenAddresses().get(0)).get())
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("I refuse to talk to myself");
    }

    @Test
    void remoteMonitorsFireOnKillAndForMissingPorts() {
        Node a = nodes.listening("a");
        Node b = nodes.listening("b");
        b.addAddresses("a", a.listenAddresses());
        PortId target = a.newPort((ctx, msg) -> { });
        Probe<KillReason> down = new Probe<>();
        b.monitor(target, down::put);
        b.monitor(new PortId("a", "nosuch"), down::put);
        assertThat(down.next().values()).containsExactly("no_such_port", "cannot monitor nonexistent port", "a#nosuch");
        b.kill(target, "remote", "kill");
        assertThat(down.next().values()).containsExactly("remote", "kill");
    }

    @Test
    void aLostLinkFiresEveryMonitorOfThatNodeWithTransportError() {
        Node a = nodes.listening("a");
        Node b = nodes.listening("b");
        b.addAddresses("a", a.listenAddresses());
        PortId p1 = a.newPort((ctx, msg) -> { });
        PortId p2 = a.newPort((ctx, msg) -> { });
        Probe<KillReason> down = new Probe<>();
        Probe<String> events = new Probe<>();
        b.monitorNodes((node, up, reason) -> events.put(node + (up ? " up" : " down " + reason.values())));
        b.monitor(p1, down::put);
        b.monitor(p2, down::put);
        b.monitor(a.nodePort(), down::put);
        assertThat(events.next()).isEqualTo("a up");
        NodeInternals.crash(a); // the links drop, as if node a had crashed: no port of a is killed
        for (int i = 0; i < 3; i++) {
            KillReason r = down.next();
            assertThat(r.values()).startsWith("transport_error", "a");
        }
        assertThat(events.next()).startsWith("a down [transport_error, a, ");
    }

    @Test
    void withoutAMasterAnUnknownNodeTimesOutAfterConnectInterval() {
        Node b = nodes.listening("b", c -> c.connectInterval(Duration.ofMillis(300)));
        Probe<KillReason> down = new Probe<>();
        long start = System.nanoTime();
        b.monitor(PortId.parse("ghost#x"), down::put);
        assertThat(down.next().values()).containsExactly("transport_error", "ghost", "connect timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aMessageTheEncoderCannotWriteIsRefusedAtTheCallAndTheLinkGoesOn() {
        Node a = nodes.listening("a");
        Node b = nodes.listening("b");
        b.addAddresses("a", a.listenAddresses());
        Probe<Object> got = new Probe<>();
        PortId in = a.receive(new PortId("a", "in"), (ctx, m) -> got.put(m));
        Probe<KillReason> down = new Probe<>();
        b.send(in, "before");
        assertThat(got.next()).isEqualTo(List.of("before"));
        b.monitor(in, down::put);
        // the test codec cannot write a string of more than 65535 bytes: the message is encoded at
        // the call, so the caller hears it
        assertThatThrownBy(() -> b.send(in, "bad", "x".repeat(70_000))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot encode a message for a (test)");
        b.send(in, "after");
        assertThat(got.next()).isEqualTo(List.of("after"));
        assertThat(down.isEmpty()).as("the link stayed up").isTrue();
    }

    @Test
    void aQueuedMessageThatBreaksTheEncoderFailsTheLinkCleanlyAndTheNextSendReconnects() {
        Node a = nodes.listening("a");
        Node b = nodes.listening("b");
        b.addAddresses("a", a.listenAddresses());
        Probe<Object> got = new Probe<>();
        PortId in = a.receive(new PortId("a", "in"), (ctx, m) -> got.put(m));
        Probe<KillReason> down = new Probe<>();
        b.monitor(in, down::put);
        // queued while the link is being made and encoded once it is up, on b's event loop; a list
        // changed meanwhile is lost, and the link fails so that its monitors fire
        List<Object> shifty = new java.util.AbstractList<>() {
            @Override
            public Object get(int i) {
                return "x";
            }

            @Override
            public int size() {
                if (Thread.currentThread().getName().startsWith("aemp-b-io-")) {
                    throw new java.util.ConcurrentModificationException("changed after send");
                }
                return 1;
            }
        };
        b.send(in, "bad", shifty);
        assertThat(down.next().values()).containsExactly("transport_error", "a",
                "cannot encode a message for a (test): java.util.ConcurrentModificationException: changed after send");
        b.send(in, "after");
        assertThat(got.next()).isEqualTo(List.of("after"));
    }

    @Test
    void aRemoteSpawnRunsTheFunctionOnTheOtherNode() {
        Probe<Object> got = new Probe<>();
        Node a = nodes.listening("a", c -> c.function("Demo::init", (ctx, args) -> {
            got.put(ctx.node().id() + " " + args);
            ctx.receive((c2, m) -> c2.send(PortId.parse((String) m.get(0)), "pong"));
        }));
        Node b = nodes.listening("b");
        b.addAddresses("a", a.listenAddresses());
        PortId spawned = b.spawn("a", "Demo::init", "x");
        PortId reply = b.newPort((ctx, msg) -> got.put(msg));
        b.send(spawned, reply.toString());
        assertThat(got.next()).isEqualTo("a [x]");
        assertThat(got.next()).isEqualTo(List.of("pong"));
    }

    @Test
    void callWorksAcrossNodes() throws Exception {
        Node a = nodes.listening("a");
        Node b = nodes.listening("b");
        b.addAddresses("a", a.listenAddresses());
        a.receive(new PortId("a", "rpc"), (ctx, msg) ->
                ctx.send(PortId.parse((String) msg.get(msg.size() - 1)), "rpc_reply", msg.get(0)));
        assertThat(b.call(Duration.ofSeconds(5), PortId.parse("a#rpc"), "x").get()).containsExactly("rpc_reply", "x");
        assertThat(b.call(PortId.parse("a#rpc"), "y").get()).containsExactly("rpc_reply", "y");
    }

    @Test
    void nodesSendingToEachOtherAtOnceLoseNothing() {
        for (int round = 0; round < 30; round++) {
            Node a = nodes.listening("a" + round);
            Node b = nodes.listening("b" + round);
            a.addAddresses(b.id(), b.listenAddresses());
            b.addAddresses(a.id(), a.listenAddresses());
            Probe<Object> got = new Probe<>();
            PortId pa = a.receive(new PortId(a.id(), "in"), (ctx, m) -> got.put(m.get(0)));
            PortId pb = b.receive(new PortId(b.id(), "in"), (ctx, m) -> got.put(m.get(0)));
            a.send(pb, "to b");
            b.send(pa, "to a");
            assertThat(List.of(got.next(), got.next())).containsExactlyInAnyOrder("to b", "to a");
            assertThat(a.upNodes()).containsExactly(b.id());
        }
    }
}
