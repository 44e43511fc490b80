package org.aemp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.aemp.testing.Probe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The static facade with AEMP's names acts on the process's one configured node. */
@Timeout(30)
class AempFacadeTest {

    @AfterEach
    void shutdown() {
        Aemp.shutdown();
    }

    @Test
    void theAempNamesWorkOnTheConfiguredNode() throws Exception {
        assertThatThrownBy(Aemp::NODE).isInstanceOf(IllegalStateException.class).hasMessageContaining("configure");
        Node n = Aemp.configure(NodeConfig.builder().nodeId("perlish").binds(List.of()).build());
        assertThat(Aemp.configure(NodeConfig.builder().nodeId("ignored").binds(List.of()).build()))
                .as("later configure calls change nothing").isSameAs(n);
        assertThat(Aemp.NODE()).isEqualTo("perlish");

        Probe<Object> got = new Probe<>();
        String echo = Aemp.port((ctx, msg) -> ctx.send(PortId.parse((String) msg.get(msg.size() - 1)), msg.get(0)));
        Aemp.rcv(echo, "tagged", (ctx, msg) -> got.put("tagged " + msg));
        assertThat(Aemp.port_is_local(echo)).isTrue();
        assertThat(Aemp.node_of(echo)).isEqualTo("perlish");

        Aemp.snd(echo, "tagged", 1);
        assertThat(got.next()).isEqualTo("tagged [1]");
        assertThat(Aemp.cal(Duration.ofSeconds(5), echo, "hi").get()).containsExactly("hi");

        Aemp.mon(echo, reason -> got.put(reason.values()));
        Aemp.kil(echo, "bye");
        assertThat(got.next()).isEqualTo(List.of("bye"));
    }
}
