package org.aemp.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.aemp.spi.TlsContext;
import org.aemp.testing.TestAuth;
import org.junit.jupiter.api.Test;

/** Every branch of the handshake state machine, driven without sockets and with a fake clock. */
class HandshakeTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void twoSidesAuthenticateEachOtherAndAgreeOnTheRank() {
        HandshakePair p = new HandshakePair("a", "s3cret", "b", "s3cret").start().run();
        Handshake.Peer seenByA = p.dialler.authenticated();
        Handshake.Peer seenByB = p.acceptor.authenticated();
        assertThat(seenByA.nodeId()).isEqualTo("b");
        assertThat(seenByB.nodeId()).isEqualTo("a");
        assertThat(seenByA.rank()).isEqualTo(seenByB.rank());
        assertThat(seenByA.rank().dialler()).isEqualTo("a");
        assertThat(seenByA.authMethod()).isEqualTo(TestAuth.NAME);
        assertThat(seenByA.tls()).isFalse();
        assertThat(p.dialler.machine.state()).isEqualTo(Handshake.State.DONE);
        assertThat(p.dialler.all(Handshake.SendAuth.class)).hasSize(1);
    }

    @Test
    void theClaimedNodeIsAskedAboutBeforeAnythingElseAndARefusalEndsOnlyThisHandshake() {
        HandshakePair p = new HandshakePair("a", "s", "b", "s");
        p.acceptor.holdClaims = true;
        p.start().run();
        assertThat(p.acceptor.all(Handshake.Claim.class)).containsExactly(new Handshake.Claim("a"));
        assertThat(p.acceptor.machine.state()).isEqualTo(Handshake.State.CLAIMED);
        assertThat(p.acceptor.all(Handshake.SendAuth.class)).as("no auth line before the claim is decided").isEmpty();
        p.acceptor.decideClaim("simultaneous connection with a: keeping the other");
        assertThat(p.acceptor.failure()).isEqualTo(new Handshake.Failed(
                "simultaneous connection with a: keeping the other", Handshake.Fault.REFUSED));
    }

    @Test
    void bytesThatArriveWhileTheClaimIsDecidedAreHeldAndHandledAfterwards() {
        HandshakePair p = new HandshakePair("a", "s", "b", "s");
        p.acceptor.holdClaims = true;
        p.start().run();
        assertThat(p.acceptor.authenticated()).isNull();
        p.acceptor.decideClaim(null);
        p.run();
        assertThat(p.acceptor.authenticated().nodeId()).isEqualTo("a");
        assertThat(p.dialler.authenticated().nodeId()).isEqualTo("b");
    }

    @Test
    void aWrongSecretIsAnAuthFailure() {
        HandshakePair p = new HandshakePair("a", "wrong", "b", "right").start().run();
        assertThat(p.acceptor.failure()).isEqualTo(new Handshake.Failed("authentication failure/shared secret mismatch",
                Handshake.Fault.AUTH));
        assertThat(p.acceptor.authenticated()).isNull();
    }

    @Test
    void theDeadlineIsAbsoluteAndTrickledBytesDoNotMoveIt() {
        HandshakePair p = new HandshakePair("a", "s", "b", "s");
        Handshake h = p.acceptor.machine;
        h.start(null, null);
        long deadline = h.deadline();
        assertThat(deadline - p.now).isEqualTo(HandshakePair.TIMEOUT.toNanos());
        byte[] greeting = bytes("aemp;1;a;" + TestAuth.NAME + ";test\n");
        for (int i = 0; i < greeting.length - 1; i++) {
            p.now += HandshakePair.TIMEOUT.toNanos() / greeting.length;
            assertThat(h.receive(greeting, i, 1)).isEmpty();
            assertThat(h.deadline()).isEqualTo(deadline);
        }
        p.now = deadline - 1;
        assertThat(h.tick()).isEmpty();
        p.now = deadline;
        assertThat(h.tick()).containsExactly(new Handshake.Failed("handshake timeout: not done within 10000 ms",
                Handshake.Fault.TIMEOUT));
        assertThat(h.tick()).as("ends once").isEmpty();
        assertThat(h.isOver()).isTrue();
    }

    @Test
    void aLineOf4096BytesOrMoreIsRefusedWithoutBufferingMore() {
        Handshake h = new HandshakePair("a", "s", "b", "s").acceptor.machine;
        h.start(null, null);
        byte[] junk = new byte[10_000];
        java.util.Arrays.fill(junk, (byte) 'x');
        List<Handshake.Action> out = h.receive(junk, 0, junk.length);
        assertThat(out).singleElement().isInstanceOf(Handshake.Failed.class)
                .satisfies(f -> assertThat(((Handshake.Failed) f).reason()).startsWith("line too long: over 4095 bytes"));
        assertThat(h.receive(junk, 0, 10)).as("nothing more once failed").isEmpty();
    }

    @Test
    void aLineOf4095BytesWithItsEndIsTheLongestAllowed() {
        Handshake ok = new HandshakePair("a", "s", "b", "s").acceptor.machine;
        ok.start(null, null);
        String greeting = "aemp;1;a;" + TestAuth.NAME + ";test;x=";
        String line = greeting + "y".repeat(4094 - greeting.length()) + "\n";
        assertThat(line).hasSize(4095);
        assertThat(ok.receive(bytes(line), 0, 4095)).containsExactly(new Handshake.Claim("a"));

        Handshake tooLong = new HandshakePair("a", "s", "b", "s").acceptor.machine;
        tooLong.start(null, null);
        String longer = greeting + "y".repeat(4095 - greeting.length()) + "\n";
        assertThat(tooLong.receive(bytes(longer), 0, 4096)).singleElement().isInstanceOf(Handshake.Failed.class);
    }

    @Test
    void aNodeRefusesToTalkToItself() {
        HandshakePair p = new HandshakePair("a", "s", "a", "s").start().run();
        assertThat(p.acceptor.failure()).isEqualTo(new Handshake.Failed("I refuse to talk to myself",
                Handshake.Fault.REFUSED));
    }

    @Test
    void aDialForOneNodeThatReachesAnotherFails() {
        HandshakePair p = new HandshakePair("a", "s", "b", "s");
        Handshake dial = new Handshake(HandshakePair.settings("a", "s", () -> null), true, "c", () -> p.now,
                new java.util.Random(3));
        dial.start(null, null);
        byte[] greeting = bytes("aemp;1;b;" + TestAuth.NAME + ";test\n");
        List<Handshake.Action> out = dial.receive(greeting, 0, greeting.length);
        assertThat(out).singleElement().isEqualTo(new Handshake.Failed("dialled for node c, but node b answered",
                Handshake.Fault.PROTOCOL));
    }

    @Test
    void aPeerEchoingOurOwnLinesIsRefused() {
        HandshakePair p = new HandshakePair("a", "s", "b", "s");
        Handshake h = p.acceptor.machine;
        byte[] sent = ((Handshake.Send) h.start(null, null).get(0)).bytes();
        // a peer that sends back exactly what it got: the same greeting, node id and all
        List<Handshake.Action> out = new java.util.ArrayList<>(h.receive(sent, 0, sent.length));
        assertThat(out).isEqualTo(List.of(new Handshake.Failed("I refuse to talk to myself", Handshake.Fault.REFUSED)));
    }

    @Test
    void badAuthLinesAreRefusedWithAClearReason() {
        assertThat(authFailure("nonsense")).isEqualTo("unparsable auth line: expected <method>;<token>;<framing>");
        assertThat(authFailure("cleartext;s;test")).isEqualTo("cleartext: fatal, selected unsupported rcv auth method");
        assertThat(authFailure(TestAuth.NAME + ";00;test")).isEqualTo("authentication failure/shared secret mismatch");
    }

    /** What the acceptor says of this auth line from a peer that got through greeting and nonce. */
    private static String authFailure(String authLine) {
        HandshakePair p = new HandshakePair("a", "s", "b", "s");
        Handshake h = p.acceptor.machine;
        h.start(null, null);
        byte[] lines = bytes("aemp;1;a;" + TestAuth.NAME + ";test\nNONCE\n" + authLine + "\n");
        List<Handshake.Action> out = new java.util.ArrayList<>(h.receive(lines, 0, lines.length));
        out.addAll(h.claimDecided(null));
        return out.stream().filter(Handshake.Failed.class::isInstance).map(f -> ((Handshake.Failed) f).reason())
                .findFirst().orElse("(none)");
    }

    @Test
    void withTlsOnBothSidesTheAuthLineWaitsForTlsAndTheSmallerNonceIsTheClient() {
        TlsContext fake = new TlsContext() {
            @Override
            public SSLEngine newEngine(boolean clientMode) {
                throw new AssertionError("the machine never makes an engine itself");
            }

            @Override
            public String implementation() {
                return "fake";
            }
        };
        HandshakePair p = new HandshakePair(HandshakePair.settings("a", "s", () -> fake),
                HandshakePair.settings("b", "s", () -> fake), 7).start().run();
        List<Handshake.StartTls> a = p.dialler.all(Handshake.StartTls.class);
        List<Handshake.StartTls> b = p.acceptor.all(Handshake.StartTls.class);
        assertThat(a).hasSize(1);
        assertThat(b).hasSize(1);
        assertThat(a.get(0).client()).isNotEqualTo(b.get(0).client());
        assertThat(a.get(0).tls()).isSameAs(fake);
        assertThat(p.dialler.all(Handshake.SendAuth.class)).as("no auth line before TLS is up").isEmpty();
        // no auth method needs TLS here, so with TLS up there is none to send: a clear failure
        p.dialler.tlsDone();
        assertThat(p.dialler.failure().reason()).contains("no common auth type supported");
    }

    @Test
    void abortingAfterTheEndChangesNothing() {
        HandshakePair p = new HandshakePair("a", "s", "b", "s").start().run();
        assertThat(p.dialler.machine.abort("late", Handshake.Fault.CLOSED)).isEmpty();
        assertThat(p.dialler.machine.tick()).isEmpty();
    }

    @Test
    void theRankPrefersTheSmallerDiallerThenTheLargerNonce() {
        Handshake.Rank a1 = new Handshake.Rank("a", bytes("AAAA"));
        Handshake.Rank a2 = new Handshake.Rank("a", bytes("BBBB"));
        Handshake.Rank b = new Handshake.Rank("b", bytes("ZZZZ"));
        assertThat(a1.before(b)).isTrue();
        assertThat(b.before(a1)).isFalse();
        assertThat(a2.before(a1)).isTrue();
        assertThat(a1.before(a2)).isFalse();
        assertThat(a1.before(a1)).isFalse();
    }
}
