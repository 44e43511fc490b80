package org.aemp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reason table of AEMP 2.02 (API.md section 4): each row is produced the way the table says,
 * and a monitor sees exactly that reason list. The DataConn row is left out: DataConn is an
 * experimental 1.x side channel that a Java node refuses (PROTOCOL.md section 13).
 */
@Timeout(30)
class KillReasonTableTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    /** Makes a port die one way, returning the port that a monitor was set on. */
    interface Scenario extends BiFunction<Node, Probe<KillReason>, PortId> {
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("(empty): kil without a reason", (Scenario) (node, down) -> {
                    PortId p = node.newPort((ctx, msg) -> { });
                    node.monitor(p, down::put);
                    node.kill(p);
                    return p;
                }, List.of()),
                Arguments.of("(empty): kil $SELF from a reply handler", (Scenario) (node, down) -> {
                    PortId p = node.newPort((ctx, msg) -> ctx.kill());
                    node.monitor(p, down::put);
                    node.send(p, "reply");
                    return p;
                }, List.of()),
                Arguments.of("die: an exception in port context", (Scenario) (node, down) -> {
                    PortId p = node.newPort((ctx, msg) -> {
                        throw new RuntimeException("oops");
                    });
                    node.monitor(p, down::put);
                    node.send(p, "x");
                    return p;
                }, List.of("die", "oops")),
                Arguments.of("unhandled_message: no default receiver", (Scenario) (node, down) -> {
                    PortId p = node.newPort();
                    node.monitor(p, down::put);
                    node.send(p, "hello", 1);
                    return p;
                }, List.of("unhandled_message", "no callback found for message 'hello'")),
                Arguments.of("no_such_port: monitor set on a missing port", (Scenario) (node, down) -> {
                    PortId p = new PortId(node.id(), "missing");
                    node.monitor(p, down::put);
                    return p;
                }, List.of("no_such_port", "cannot monitor nonexistent port", "a#missing")),
                Arguments.of("transport_error: the port's node cannot be reached", (Scenario) (node, down) -> {
                    PortId p = PortId.parse("unreachable#x");
                    node.monitor(p, down::put); // no master to ask for its address: gives up after connect_interval
                    return p;
                }, List.of("transport_error", "unreachable", "connect timeout")),
                Arguments.of("anything else: chosen by the application", (Scenario) (node, down) -> {
                    PortId p = node.newPort((ctx, msg) -> { });
                    node.monitor(p, down::put);
                    node.kill(p, "my_error", "detail");
                    return p;
                }, List.of("my_error", "detail")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void aMonitorSeesTheReasonOfTheTable(String row, Scenario scenario, List<Object> expected) {
        Node node = nodes.start("a");
        Probe<KillReason> down = new Probe<>();
        scenario.apply(node, down);
        KillReason reason = down.next();
        assertThat(reason.values()).as(row).isEqualTo(expected);
        assertThat(reason.isNormal()).isEqualTo(expected.isEmpty());
    }
}
