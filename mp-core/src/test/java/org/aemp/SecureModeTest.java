package org.aemp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

/** Secure mode: a node refuses remote function calls and eval, but still runs allow-listed spawns. */
@Timeout(30)
class SecureModeTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @Test
    void aSecureNodeRefusesDirectFunctionCallsButRunsRegisteredSpawns(TestLogs logs) {
        Probe<String> ran = new Probe<>();
        Node secure = nodes.listening("secure", b -> b.secure(true)
                .function("App::call", (ctx, args) -> ran.put("called " + args))
                .function("App::init", (ctx, args) -> {
                    ran.put("spawned " + args);
                    ctx.receive((c, m) -> { });
                }));
        Node other = nodes.listening("other");
        other.addAddresses("secure", secure.listenAddresses());

        other.send(secure.nodePort(), "App::call", 1); // snd_to_func: refused in secure mode
        logs.await(Duration.ofSeconds(10), Level.WARN,
                "call of 'App::call' from other refused: remote execution not allowed \\(secure mode\\)");
        PortId spawned = other.spawn("secure", "App::init", 2);
        assertThat(ran.next()).isEqualTo("spawned [2]");
        ran.nothingWithin(Duration.ofMillis(300));

        Probe<KillReason> down = new Probe<>();
        other.monitor(spawned, down::put);
        other.kill(spawned, "done");
        assertThat(down.next().values()).containsExactly("done");
    }

    @Test
    void anOrdinaryNodeRunsRegisteredFunctionsCalledThroughItsNodePort(TestLogs logs) {
        Probe<String> ran = new Probe<>();
        Node open = nodes.listening("open", b -> b.function("App::call", (ctx, args) ->
                ran.put(ctx.self() + " from " + ctx.sourceNode() + " " + args)));
        Node other = nodes.listening("other");
        other.addAddresses("open", open.listenAddresses());
        other.send(open.nodePort(), "App::call", 1, "x");
        assertThat(ran.next()).isEqualTo("open# from other [1, x]");
        other.send(open.nodePort(), "Not::registered", 1); // logged and dropped
        logs.await(Duration.ofSeconds(10), Level.WARN, "unknown node-port request 'Not::registered' from other");
        other.send(open.nodePort(), "App::call", 2);
        assertThat(ran.next()).isEqualTo("open# from other [2]");
    }
}
