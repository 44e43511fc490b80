package org.aemp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.aemp.Node;
import org.aemp.PortId;
import org.aemp.config.Profiles;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * The network commands against Java nodes in this JVM: a seed on 127.0.0.1 port 0, and an rc file
 * whose {@code aemp} profile points aemp's own node at it (CONFIG-CLI.md §4.3, §4.4, §4.8).
 */
@Timeout(60)
class NetworkCommandsTest {
    /** Short limits, so that the time-out cases take a moment instead of 5 s and 15 s. */
    private static final Environment.Timeouts SHORT =
            new Environment.Timeouts(Duration.ofMillis(500), Duration.ofMillis(800));

    @TempDir
    Path dir;
    private TestNetwork net;
    private Cli cli;

    @BeforeEach
    void startSeed() {
        net = new TestNetwork();
        cli = Cli.in(dir).withRc(net.rc());
    }

    @AfterEach
    void stop() {
        net.close();
    }

    // ---- snd ----

    @Test
    void sndDeliversAndPrintsTheRelayWithASpaceBeforeTheNewline() throws Exception {
        Cli.Result r = cli.run("snd", "seed#echo", "hello", "[1,{\"a\":null}]");

        assertThat(r.out()).isEqualTo("message sent successfully \n");
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        TestNetwork.Received got = net.echoed.poll(10, TimeUnit.SECONDS);
        assertThat(got.message()).containsExactly("hello", List.of(1, java.util.Collections.singletonMap("a", null)));
        assertThat(got.from()).as("aemp's node id is aemp/%n/%u")
                .matches("aemp/" + java.util.regex.Pattern.quote(Profiles.hostName()) + "/[0-9A-Za-z]{9}[0-9A-Z]");
    }

    @Test
    void sndToAMissingPortPrintsTheMonitorsReasonAndExitsZero() {
        Cli.Result r = cli.run("snd", "seed#nosuch", "hi");

        assertThat(r.out()).isEqualTo("no_such_port cannot monitor nonexistent port seed#nosuch \n");
        assertThat(r.status()).isZero();
    }

    @Test
    void sndToAnUnknownNodePrintsTheTransportError() {
        Cli.Result r = cli.run("snd", "nosuchnode#x", "hi");

        assertThat(r.out()).isEqualTo("transport_error nosuchnode no known address \n");
        assertThat(r.status()).isZero();
    }

    @Test
    void sndWithoutAnswerInTimeExitsOneAndPrintsNothingOnStdout() {
        // no seed that answers: the node cannot even look the target up before the limit
        Cli lost = Cli.in(dir).withRc("{\"version\":1,\"secret\":\"s\",\"profile\":{\"aemp\":{\"binds\":[],"
                + "\"connect_interval\":30}}}").with(e -> e.withTimeouts(SHORT));

        Cli.Result r = lost.run("snd", "elsewhere#x", "hi");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("snd: no answer from node elsewhere within 500 ms");
    }

    @Test
    void aMissingPortArgumentIsAUsageErrorWithPerlsMessage() {
        for (String command : List.of("snd", "cal", "mon", "eval", "restart")) {
            Cli.Result r = cli.run(command);
            assertThat(r.status()).as(command).isEqualTo(2);
            assertThat(r.err()).as(command).isEqualTo(NetworkCommands.NO_ID + "\n");
        }
        assertThat(cli.run("snd", "#x").err()).contains("expected <node>#<port>");
        assertThat(cli.run("trace").err()).isEqualTo("node id missing\n");
    }

    // ---- cal ----

    @Test
    void calPrintsTheReplyAsACompactJsonListWithoutBrackets() {
        Cli.Result r = cli.run("cal", "seed#rpc", "hello", "1", "[1,{\"a\":null}]");

        assertThat(r.out()).isEqualTo("\"rpc_reply\",\"hello\",\"1\",[1,{\"a\":null}]\n");
        assertThat(r.status()).isZero();
    }

    @Test
    void calTakesJsonValuesFromTheSingleArrayForm() {
        Cli.Result r = cli.run("[\"cal\",\"seed#rpc\",1,true,null,\"x\",2.5]");

        assertThat(r.out()).isEqualTo("\"rpc_reply\",1,true,null,\"x\",2.5\n");
    }

    @Test
    void calOfANodeTimeAnswersTheNodesClock() {
        double before = System.currentTimeMillis() / 1000.0;

        Cli.Result r = cli.run("cal", "seed", "time");

        assertThat(r.status()).isZero();
        assertThat(r.out()).matches("\\d{10}(\\.\\d+)?\n");
        assertThat(Double.parseDouble(r.out().strip())).isBetween(before - 1, before + 60);
    }

    @Test
    void calOfAMissingPortPrintsPerlsEmptyLineThenSaysWhyAndExitsOne() {
        Cli.Result r = cli.run("cal", "seed#nosuch", "x", "snd", "seed#echo", "not reached");

        assertThat(r.out()).isEqualTo("\n");
        assertThat(r.err()).isEqualTo("cal: no reply from seed#nosuch: no_such_port cannot monitor nonexistent port"
                + " seed#nosuch\n");
        assertThat(r.status()).isEqualTo(1);
        assertThat(net.echoed).as("a failed command ends the command line").isEmpty();
    }

    @Test
    void calOfAnUnreachableNodePrintsAnEmptyLineAndTheTransportErrorOnStderr() {
        Cli.Result r = cli.run("cal", "nosuchnode#x", "hi");

        assertThat(r.out()).isEqualTo("\n");
        assertThat(r.err()).isEqualTo("cal: no reply from nosuchnode#x: transport_error nosuchnode no known address\n");
        assertThat(r.status()).isEqualTo(1);
    }

    // ---- mon ----

    @Test
    void monOfAMissingPortPrintsNoSuchPortAndTheNextCommandRuns() {
        Cli.Result r = cli.run("mon", "seed#nosuch", "snd", "seed#echo", "after");

        assertThat(r.out()).isEqualTo("no_such_port cannot monitor nonexistent port seed#nosuch \n"
                + "message sent successfully \n");
        assertThat(r.status()).isZero();
    }

    @Test
    void monOfAPortOnAnUnreachableNodePrintsPerlsLineThenSaysWhyAndExitsOne() {
        Cli.Result r = cli.run("mon", "nosuchnode#x");

        assertThat(r.out()).isEqualTo("transport_error nosuchnode no known address \n");
        assertThat(r.err()).isEqualTo("mon: no answer about nosuchnode#x: node nosuchnode cannot be reached"
                + " (transport_error nosuchnode no known address)\n");
        assertThat(r.status()).isEqualTo(1);
    }

    @Test
    void monPrintsTheKillReasonSpaceJoined() throws Exception {
        assertThat(monitorAndKill("myreason", "some detail")).isEqualTo("myreason some detail \n");
    }

    @Test
    void monOfANormalExitPrintsAnEmptyLine() throws Exception {
        assertThat(monitorAndKill()).isEqualTo("\n");
    }

    /**
     * Runs {@code mon n4#victim} and kills the port once the monitor is surely in place: aemp's node
     * first meets n4 through that command, so the {@code mon1} request is the first thing it sends
     * on the new link, and a relay request from n4 answered over the same link proves that n4 has
     * handled it.
     */
    private String monitorAndKill(Object... reason) throws Exception {
        Node n4 = net.leaf("n4");
        PortId victim = n4.receive(new PortId("n4", "victim"), (ctx, m) -> { });
        PortId probe = n4.newPort((ctx, m) -> ctx.node().kill(victim, reason));
        n4.monitorNodes((node, up, why) -> {
            if (up && node.equals("cli")) {
                n4.send(PortId.nodePort("cli"), "snd", probe.toString(), "probe");
            }
        });
        Cli named = Cli.in(dir).withRc(net.rc("\"nodeid\":\"cli\","));

        Cli.Result r = CompletableFuture.supplyAsync(() -> named.run("mon", "n4#victim")).get(30, TimeUnit.SECONDS);

        assertThat(r.status()).isZero();
        return r.out();
    }

    // ---- eval, restart, shell ----

    @Test
    void evalOnAJavaNodeFailsAtOnceWithItsError() {
        Cli.Result r = cli.run("eval", "seed#whatever", "1+1");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("eval not supported: seed is a Java node\n");
        assertThat(cli.run("restart", "seed").err()).isEqualTo("eval not supported: seed is a Java node\n");
    }

    @Test
    void evalOfAnUnknownNodeReportsTheMonitorsReason() {
        Cli.Result r = cli.run("eval", "nosuchnode", "1");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("transport_error nosuchnode no known address\n");
    }

    @Test
    void evalOnASecureNodeTimesOutWithStatusOne(TestLogs logs) {
        net.registeredLeaf("n3", b -> b.secure(true));

        Cli.Result r = cli.with(e -> e.withTimeouts(SHORT)).run("eval", "n3", "1");
        logs.await(Duration.ofSeconds(10), Level.WARN,
                "^eval request from aemp/\\S+ refused: remote execution not allowed \\(secure mode\\)$");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("eval: no answer from node n3 within 500 ms");
    }

    @Test
    void theShellListsNodesAndPrintsEachAnswerUntilTheInputEnds() {
        String input = "=\n=seed\npackage Foo;\n1+1\n";
        Cli shell = cli.with(e -> e.withStdin(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8))));

        Cli.Result r = shell.run("shell");

        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("Entering interactive shell")
                .containsPattern("\nnodes: .*\\baemp/.*\\bseed\\b")
                .contains("seed Foo> ")
                .containsPattern("\nseed: 1\\+1\n\\d+\\.\\d{3}s\neval not supported: seed is a Java node \n");
    }

    // ---- trace ----

    @Test
    void traceWalksTheNetworkAndLeavesOutAempsOwnNode() {
        net.leaf("n2");

        Cli.Result r = cli.run("trace", "seed");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("seed -> seed\nseed -> n2\nn2 -> seed\n");
    }

    @Test
    void traceMarksNodesThatDoNotAnswerAndExitsOne() {
        Cli.Result r = cli.with(e -> e.withTimeouts(SHORT)).run("trace", "nosuchnode");

        assertThat(r.out()).isEqualTo("seed -> nosuchnode\nnosuchnode (timeout)\n");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("trace: no answer within 800 ms from nosuchnode");
    }

    // ---- one node for several commands ----

    @Test
    void networkCommandsOnOneLineShareOneNodeAndConfigurationCommandsBeforeThemCount() throws Exception {
        Cli.Result r = cli.run("profile", "aemp", "nodeid", "shared", "cal", "seed#rpc", "x");

        assertThat(r.out()).isEqualTo("\"rpc_reply\",\"x\"\n");
        Cli.Result two = cli.run("mon", "seed#nosuch", "snd", "seed#echo", "y");
        assertThat(two.status()).isZero();
        assertThat(net.echoed.poll(10, TimeUnit.SECONDS).from()).isEqualTo("shared");
    }
}
