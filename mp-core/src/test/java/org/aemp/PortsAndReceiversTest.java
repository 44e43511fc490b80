package org.aemp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class PortsAndReceiversTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @Test
    void defaultReceiverGetsTheWholeMessageWithItsPortAsSelf() {
        Node node = nodes.start("a");
        Probe<Object> got = new Probe<>();
        PortId port = node.newPort((ctx, msg) -> {
            got.put(ctx.self());
            got.put(ctx.sourceNode());
            got.put(msg);
        });
        node.send(port, "hello", 42, null);
        assertThat(got.next()).isEqualTo(port);
        assertThat(got.next()).isEqualTo("a");
        assertThat(got.next()).isEqualTo(java.util.Arrays.asList("hello", 42, null));
    }

    @Test
    void tagReceiverGetsTheMessageWithoutItsTag() {
        Node node = nodes.start("a");
        Probe<Object> got = new Probe<>();
        PortId port = node.newPort((ctx, msg) -> got.put("default " + msg));
        node.receive(port, "ping", (ctx, msg) -> got.put("ping " + msg));
        node.send(port, "ping", 1, 2);
        node.send(port, "other", 3);
        assertThat(got.next()).isEqualTo("ping [1, 2]");
        assertThat(got.next()).isEqualTo("default [other, 3]");
    }

    @Test
    void aTagReceiverCanBeReplacedAndUnregistered() {
        Node node = nodes.start("a");
        Probe<Object> got = new Probe<>();
        PortId port = node.newPort((ctx, msg) -> got.put("default " + msg));
        node.receive(port, "t", (ctx, msg) -> got.put("first"));
        Guard second = node.receive(port, "t", (ctx, msg) -> got.put("second"));
        node.send(port, "t");
        assertThat(got.next()).isEqualTo("second");
        second.close();
        node.send(port, "t");
        assertThat(got.next()).isEqualTo("default [t]");
    }

    @Test
    void theDefaultReceiverCanBeReplacedFromInsideACallback() {
        Node node = nodes.start("a");
        Probe<Object> got = new Probe<>();
        PortId port = node.newPort((ctx, msg) -> {
            got.put("old " + msg);
            ctx.receive((c2, m2) -> got.put("new " + m2));
        });
        node.send(port, 1);
        node.send(port, 2);
        assertThat(got.next()).isEqualTo("old [1]");
        assertThat(got.next()).isEqualTo("new [2]");
    }

    @Test
    void integerFirstElementMatchesATagAsPerlStringComparisonWould() {
        Node node = nodes.start("a");
        Probe<Object> got = new Probe<>();
        PortId port = node.newPort();
        node.receive(port, "7", (ctx, msg) -> got.put(msg));
        node.send(port, 7, "x");
        assertThat(got.next()).isEqualTo(List.of("x"));
    }

    @Test
    void receiveOnAnUnknownLocalNameCreatesAWellKnownPort() {
        Node node = nodes.start("a");
        Probe<Object> got = new Probe<>();
        PortId echo = new PortId("a", "echo");
        assertThat(node.receive(echo, (ctx, msg) -> got.put(msg))).isEqualTo(echo);
        node.send(PortId.parse("a#echo"), "hi");
        assertThat(got.next()).isEqualTo(List.of("hi"));
    }

    @Test
    void receiveOnlyWorksOnLocalNonNodePorts() {
        Node node = nodes.start("a");
        assertThatThrownBy(() -> node.receive(PortId.parse("b#x"), (ctx, msg) -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rcv can only be called on local ports");
        assertThatThrownBy(() -> node.receive(node.nodePort(), "t", (ctx, msg) -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node port");
    }

    @Test
    void sendingToAPortThatDoesNotExistIsSilentlyDropped() {
        Node node = nodes.start("a");
        node.send(new PortId("a", "nosuch"), "x");
        Probe<Object> got = new Probe<>();
        PortId port = node.newPort((ctx, msg) -> got.put(msg));
        node.send(port, "still works");
        assertThat(got.next()).isEqualTo(List.of("still works"));
    }

    @Test
    void nodeOfAndIsLocal() {
        Node node = nodes.start("a");
        PortId p = node.newPort();
        assertThat(node.isLocal(p)).isTrue();
        assertThat(node.isLocal(PortId.parse("b#x"))).isFalse();
        assertThat(PortId.nodeOf(p.toString())).isEqualTo("a");
        assertThat(node.nodePort()).isEqualTo(PortId.parse("a#"));
    }

    @Test
    void psubRunsTheBlockLaterInThePortsContext() {
        Node node = nodes.start("a");
        Probe<Object> got = new Probe<>();
        Probe<Runnable> handoff = new Probe<>();
        PortId port = node.newPort((ctx, msg) -> handoff.put(ctx.psub(() -> got.put(Thread.currentThread().getName()))));
        node.send(port, "go");
        Runnable wrapped = handoff.next();
        wrapped.run(); // from the test thread
        assertThat((String) got.next()).startsWith("aemp-a-worker-");
    }

    @Test
    void anExceptionInAPsubBlockKillsThePort() {
        Node node = nodes.start("a");
        Probe<Runnable> handoff = new Probe<>();
        Probe<KillReason> down = new Probe<>();
        PortId port = node.newPort((ctx, msg) -> handoff.put(ctx.psub(() -> {
            throw new IllegalStateException("in psub");
        })));
        node.monitor(port, down::put);
        node.send(port, "go");
        handoff.next().run();
        assertThat(down.next()).isEqualTo(KillReason.die("in psub"));
    }

    @Test
    void pevalReturnsTheValueOrKillsThePort() throws Exception {
        Node node = nodes.start("a");
        PortId port = node.newPort((ctx, msg) -> { });
        assertThat(node.peval(port, () -> 6 * 7).get()).isEqualTo(42);
        Probe<KillReason> down = new Probe<>();
        node.monitor(port, down::put);
        assertThat(node.peval(port, () -> {
            throw new IllegalArgumentException("bad");
        })).failsWithin(Duration.ofSeconds(5));
        assertThat(down.next()).isEqualTo(KillReason.die("bad"));
        assertThat(node.peval(port, () -> 1)).failsWithin(Duration.ofSeconds(5));
    }

    @Test
    void afterSendsAMessageOrRunsACallback() {
        Node node = nodes.start("a");
        Probe<Object> got = new Probe<>();
        PortId port = node.newPort((ctx, msg) -> got.put(msg));
        node.after(Duration.ofMillis(20), port, "timer", 1);
        assertThat(got.next()).isEqualTo(List.of("timer", 1));
        node.after(Duration.ofMillis(20), () -> got.put("callback"));
        assertThat(got.next()).isEqualTo("callback");
    }

    @Test
    void aCancelledTimerDoesNotFire() {
        Node node = nodes.start("a");
        Probe<Object> got = new Probe<>();
        PortId port = node.newPort((ctx, msg) -> got.put(msg));
        node.after(Duration.ofMillis(200), port, "cancelled").close();
        node.after(Duration.ofMillis(400), port, "kept");
        assertThat(got.next()).isEqualTo(List.of("kept"));
        assertThat(got.isEmpty()).isTrue();
    }

    @Test
    void remoteSendsRejectNonPlainValuesAtTheCall() {
        Node node = nodes.start("a");
        assertThatThrownBy(() -> node.send(PortId.parse("b#x"), "ok", new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("element 1")
                .hasMessageContaining("java.lang.Object");
    }
}
