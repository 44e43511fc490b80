package org.aemp.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.event.Level;

/**
 * The Java examples against Perl AnyEvent::MP 2.02 programs that exchange the same messages as
 * Perl's {@code eg/} programs: every Perl node here loads {@code AnyEvent::MP::Global}, as those do,
 * and finds ports with the 1.x group functions they use ({@code grp_reg}, {@code grp_get}), so the
 * Java and Perl global nodes must share one database. Skipped without {@code AEMP_PERL5LIB}.
 */
@Timeout(120)
class ExamplesPerlLiveTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String SECRET = "examples-live-secret";

    /** What every Perl program here starts with: a global node, configured from the environment. */
    private static final String PREAMBLE = """
            use common::sense;
            use AnyEvent;
            use AnyEvent::MP;
            use AnyEvent::MP::Global;
            $| = 1;
            configure nodeid => $ENV{NODEID}, secret => $ENV{SECRET}, norc => 1,
                binds => [$ENV{BINDS}], seeds => [split /,/, $ENV{SEEDS}];
            """;

    /** A chat server speaking ChatServer's messages. */
    private static final String PERL_CHAT_SERVER = PREAMBLE + """
            my %members;
            sub relay {
                my ($text) = @_;
                print "relaying: $text\\n";
                snd $_, $text for values %members;
            }
            my $server = port;
            rcv $server, join => sub {
                my ($who, $nick) = @_;
                $members{$who} = $who;
                mon $who, sub { delete $members{$who}; relay "$nick (quits, @_)" };
                relay "$nick (joins)";
            };
            rcv $server, privmsg => sub { my ($nick, $text) = @_; relay "$nick: $text" };
            grp_reg eg_chat_server => $server;
            print "server ready\\n";
            AE::cv->recv;
            """;

    /** A chat client speaking ChatClient's messages: lines on stdin are said, what arrives is printed. */
    private static final String PERL_CHAT_CLIENT = PREAMBLE + """
            my ($server, $retry);
            my $me = port { print "got @_\\n" };
            sub look {
                my $found = grp_get "eg_chat_server";
                unless ($found) { $retry = AE::timer 0.5, 0, \\&look; return }
                $server = $found->[0];
                snd $server, join => $me, $ENV{NICK};
                mon $server, $me;
                print "joined\\n";
            }
            look;
            my $stdin = AE::io *STDIN, 0, sub {
                my $line = <STDIN>;
                exit 0 unless defined $line;
                chomp $line;
                snd $server, privmsg => $ENV{NICK}, $line if $server;
            };
            AE::cv->recv;
            """;

    /** A receiver in eg_receivers. */
    private static final String PERL_RECEIVER = PREAMBLE + """
            my $port = port;
            grp_reg eg_receivers => $port;
            rcv $port, test => sub { print "Received data: $_[0]\\n" };
            print "receiver ready\\n";
            AE::cv->recv;
            """;

    /** A sender to eg_receivers, twice a second. */
    private static final String PERL_SENDER = PREAMBLE + """
            my $tick = AE::timer 0, 0.5, sub {
                my $ports = grp_get "eg_receivers" or return;
                snd $_, test => time for @$ports;
            };
            print "sender ready\\n";
            AE::cv->recv;
            """;

    /** A bridge-head chat server: clients spawn ::client_connect here. */
    private static final String PERL_BRIDGE_SERVER = PREAMBLE + """
            my %members;
            sub relay {
                my ($text) = @_;
                print "relaying: $text\\n";
                snd $_, $text for values %members;
            }
            sub client_connect {
                my ($who, $nick) = @_;
                mon $who;
                mon $who, sub { delete $members{$who}; relay "$nick (quits, @_)" };
                $members{$who} = $who;
                relay "$nick (joins)";
                rcv $SELF, sub { relay "$nick: $_[0]" };
            }
            grp_reg eg_chat_server2 => $NODE;
            print "server ready\\n";
            AE::cv->recv;
            """;

    /** A bridge-head chat client: spawns its port on the server node, says stdin's lines to it. */
    private static final String PERL_BRIDGE_CLIENT = PREAMBLE + """
            my ($head, $retry);
            my $me = port { print "got @_\\n" };
            sub look {
                my $found = grp_get "eg_chat_server2";
                unless ($found) { $retry = AE::timer 0.5, 0, \\&look; return }
                $head = spawn $found->[0], "::client_connect", $me, $ENV{NICK};
                mon $head, $me;
                print "joined\\n";
            }
            look;
            my $stdin = AE::io *STDIN, 0, sub {
                my $line = <STDIN>;
                exit 0 unless defined $line;
                chomp $line;
                snd $head, $line if $head;
            };
            AE::cv->recv;
            """;

    private final List<Node> nodes = new ArrayList<>();
    private final List<PerlProgram> programs = new ArrayList<>();

    @BeforeEach
    void needsPerl() {
        PerlProgram.assumePerl();
    }

    @BeforeAll
    static void teardownNoise(TestLogs logs) {
        // a node that closes while its Perl peer is going away may find a message it could not hand over
        logs.allow(Level.WARN, "node .* stopped: \\d+ messages were not sent");
    }

    @AfterEach
    void stop() throws InterruptedException {
        // the Java nodes first, while the Perl programs still read what they flush on closing, and
        // the last started first: clients before the seed they talk through
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        for (PerlProgram p : programs) {
            p.close();
        }
    }

    private Node javaSeed() throws IOException {
        return node(NodeConfig.builder().nodeId("java-seed").global(true));
    }

    private Node javaNode(String id, List<String> seeds) throws IOException {
        return node(NodeConfig.builder().nodeId(id).seeds(seeds));
    }

    private Node node(NodeConfig.Builder b) throws IOException {
        Node n = Node.start(b.secret(SECRET).binds("127.0.0.1:0").build());
        nodes.add(n);
        return n;
    }

    private PerlProgram perl(String id, String script, List<String> seeds, String binds, Map<String, String> more)
            throws IOException {
        Map<String, String> env = new java.util.HashMap<>(more);
        env.put("NODEID", id);
        env.put("SECRET", SECRET);
        env.put("BINDS", binds);
        env.put("SEEDS", String.join(",", seeds));
        PerlProgram p = PerlProgram.start(id, script, env);
        programs.add(p);
        return p;
    }

    private static String freeAddress() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    private static void awaitLine(BlockingQueue<String> lines, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        List<String> seen = new ArrayList<>();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(line).as("'%s' within %s; seen %s", expected, PATIENCE, seen).isNotNull();
            if (line.equals(expected)) {
                return;
            }
            seen.add(line);
        }
    }

    @Test
    void aPerlChatClientTalksThroughTheJavaChatServer() throws Exception {
        Node seed = javaSeed();
        ChatServer.start(seed, line -> { });
        BlockingQueue<String> alice = new LinkedBlockingQueue<>();
        ChatClient java = ChatClient.start(javaNode("alice", seed.listenAddresses()), "alice", alice::add);
        awaitLine(alice, "alice (joins)");

        PerlProgram perl = perl("perl-client", PERL_CHAT_CLIENT, seed.listenAddresses(), "127.0.0.1:*",
                Map.of("NICK", "camel"));
        perl.await("joined", PATIENCE);
        awaitLine(alice, "camel (joins)");
        perl.println("hello from perl");
        awaitLine(alice, "camel: hello from perl");
        ExamplesTest.awaitConnected(java::isConnected);
        java.say("hello from java");
        perl.await("got alice: hello from java", PATIENCE);
    }

    @Test
    void javaChatClientsTalkThroughThePerlChatServer() throws Exception {
        String address = freeAddress();
        PerlProgram server = perl("perl-server", PERL_CHAT_SERVER, List.of(address), address, Map.of());
        server.await("server ready", PATIENCE);
        BlockingQueue<String> alice = new LinkedBlockingQueue<>();
        BlockingQueue<String> bob = new LinkedBlockingQueue<>();
        ChatClient.start(javaNode("alice", List.of(address)), "alice", alice::add);
        awaitLine(alice, "alice (joins)");
        ChatClient b = ChatClient.start(javaNode("bob", List.of(address)), "bob", bob::add);
        awaitLine(alice, "bob (joins)");

        ExamplesTest.awaitConnected(b::isConnected);
        b.say("hello alice");

        awaitLine(alice, "bob: hello alice");
        server.await("relaying: bob: hello alice", PATIENCE);
    }

    @Test
    void theJavaSenderReachesAPerlReceiver() throws Exception {
        Node seed = javaSeed();
        PerlProgram receiver = perl("perl-receiver", PERL_RECEIVER, seed.listenAddresses(), "127.0.0.1:*", Map.of());
        receiver.await("receiver ready", PATIENCE);
        try (SimpleSender sender = SimpleSender.start(javaNode("java-sender", seed.listenAddresses()),
                Duration.ofMillis(500))) {
            long before = System.currentTimeMillis() / 1000;
            String line = receiver.awaitMatch("Received data: \\d+", PATIENCE);
            assertThat(Long.parseLong(line.substring("Received data: ".length()))).isBetween(before - 5, before + 60);
        }
    }

    @Test
    void aPerlSenderReachesTheJavaReceiver() throws Exception {
        Node seed = javaSeed();
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        SimpleReceiver.listen(javaNode("java-receiver", seed.listenAddresses()), received::add);
        PerlProgram sender = perl("perl-sender", PERL_SENDER, seed.listenAddresses(), "127.0.0.1:*", Map.of());
        sender.await("sender ready", PATIENCE);
        long before = System.currentTimeMillis() / 1000;
        String data = received.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(data).as("a test message from Perl within %s", PATIENCE).isNotNull();
        assertThat(Long.parseLong(data)).isBetween(before - 5, before + 60);
    }

    @Test
    void aPerlBridgeHeadClientTalksThroughTheJavaServer() throws Exception {
        Node seed = javaSeed();
        BridgeHeadChatServer.start(seed, line -> { });
        BlockingQueue<String> alice = new LinkedBlockingQueue<>();
        BridgeHeadChatClient java = BridgeHeadChatClient.start(javaNode("alice", seed.listenAddresses()), "alice",
                alice::add);
        awaitLine(alice, "alice (joins)");

        PerlProgram perl = perl("perl-bridge-client", PERL_BRIDGE_CLIENT, seed.listenAddresses(), "127.0.0.1:*",
                Map.of("NICK", "camel"));
        perl.await("joined", PATIENCE);
        awaitLine(alice, "camel (joins)");
        perl.println("hello from perl");
        awaitLine(alice, "camel: hello from perl");
        ExamplesTest.awaitConnected(java::isConnected);
        java.say("hello from java");
        perl.await("got alice: hello from java", PATIENCE);
    }

    @Test
    void javaBridgeHeadClientsTalkThroughThePerlServer() throws Exception {
        String address = freeAddress();
        PerlProgram server = perl("perl-bridge-server", PERL_BRIDGE_SERVER, List.of(address), address, Map.of());
        server.await("server ready", PATIENCE);
        BlockingQueue<String> alice = new LinkedBlockingQueue<>();
        BridgeHeadChatClient.start(javaNode("alice", List.of(address)), "alice", alice::add);
        awaitLine(alice, "alice (joins)");
        BridgeHeadChatClient b = BridgeHeadChatClient.start(javaNode("bob", List.of(address)), "bob",
                new LinkedBlockingQueue<String>()::add);
        awaitLine(alice, "bob (joins)");

        ExamplesTest.awaitConnected(b::isConnected);
        b.say("hello alice");

        awaitLine(alice, "bob: hello alice");
        server.await("relaying: bob: hello alice", PATIENCE);
    }
}
