package org.aemp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

@Timeout(30)
class SpawnAndCallTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @Test
    void aLocalSpawnRunsTheRegisteredInitFunctionLaterWithTheNewPortAsSelf() {
        Probe<Object> got = new Probe<>();
        Node node = nodes.start("a", b -> b.function("Demo::init", (ctx, args) -> {
            got.put(ctx.self());
            got.put(args);
            ctx.receive("ping", (c, msg) -> got.put("ping " + msg));
        }));
        PortId spawned = node.spawn("a", "Demo::init", "x", 1);
        assertThat(spawned.node()).isEqualTo("a");
        assertThat(spawned.name()).matches("[0-9A-Za-z]{9}[0-9A-Z][a-z]+");
        node.send(spawned, "ping", 7); // may be sent at once: it queues behind the init function
        assertThat(got.next()).isEqualTo(spawned);
        assertThat(got.next()).isEqualTo(List.of("x", 1));
        assertThat(got.next()).isEqualTo("ping [7]");
    }

    @Test
    void aSpawnOfAnUnregisteredFunctionCreatesNoPort(TestLogs logs) {
        logs.expect(Level.WARN, "spawn request from a for port \\S+ refused: unable to resolve function 'No::such'");
        Node node = nodes.start("a");
        PortId spawned = node.spawn("a", "No::such");
        Probe<KillReason> down = new Probe<>();
        node.monitor(spawned, down::put);
        assertThat(down.next().type()).isEqualTo("no_such_port");
    }

    @Test
    void anInitFunctionThatThrowsKillsTheNewPortWithDie() {
        Probe<KillReason> down = new Probe<>();
        Node node = nodes.start("a", b -> b.function("Demo::bad", (ctx, args) -> {
            ctx.receive((c, m) -> { });
            ctx.node().monitor(ctx.self(), down::put);
            throw new IllegalStateException("init failed");
        }));
        node.spawn("a", "Demo::bad");
        assertThat(down.next().values()).containsExactly("die", "init failed");
    }

    @Test
    void spawnNeedsAQualifiedName() {
        Node node = nodes.start("a");
        assertThatThrownBy(() -> node.spawn("a", "init"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'::'");
    }

    @Test
    void callAppendsTheReplyPortAndCompletesWithTheFirstReply() throws Exception {
        Node node = nodes.start("a");
        PortId rpc = node.newPort((ctx, msg) -> {
            PortId reply = PortId.parse((String) msg.get(msg.size() - 1));
            ctx.send(reply, "rpc_reply", msg.get(0), msg.get(1));
            ctx.send(reply, "second reply is ignored");
        });
        List<Object> reply = node.call(Duration.ofSeconds(5), rpc, "add", 1).get();
        assertThat(reply).containsExactly("rpc_reply", "add", 1);
        assertThat(node.call(rpc, "mon", 2).get()).containsExactly("rpc_reply", "mon", 2);
    }

    @Test
    void callTimesOutAndKillsItsReplyPort() {
        Node node = nodes.start("a");
        Probe<PortId> replyPort = new Probe<>();
        PortId silent = node.newPort((ctx, msg) -> replyPort.put(PortId.parse((String) msg.get(msg.size() - 1))));
        var f = node.call(Duration.ofMillis(100), silent, "hello");
        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
        PortId reply = replyPort.next();
        Probe<KillReason> down = new Probe<>();
        node.monitor(reply, down::put);
        // killed normally, either just now (the monitor sees it) or before the monitor was set
        assertThat(down.next().type()).isIn("", "no_such_port");
    }

    @Test
    void callWithoutTimeoutFailsWhenTheTargetDies() {
        Node node = nodes.start("a");
        PortId target = node.newPort((ctx, msg) -> ctx.kill("gone", "away"));
        var f = node.call(target, "hello");
        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PortDownException.class)
                .satisfies(e -> assertThat(((PortDownException) e).reason().values()).containsExactly("gone", "away"));
    }

    @Test
    void registeredFunctionsCanBeUnregistered(TestLogs logs) {
        logs.expect(Level.WARN, "unable to resolve function 'Demo::f' \\(register it with Node.register\\)");
        Node node = nodes.start("a");
        Probe<Object> got = new Probe<>();
        Guard g = node.register("Demo::f", (ctx, args) -> {
            ctx.receive((c, m) -> { });
            got.put("ran");
        });
        node.spawn("a", "Demo::f");
        assertThat(got.next()).isEqualTo("ran");
        g.close();
        PortId p = node.spawn("a", "Demo::f");
        Probe<KillReason> down = new Probe<>();
        node.monitor(p, down::put);
        assertThat(down.next().type()).isEqualTo("no_such_port");
    }
}
