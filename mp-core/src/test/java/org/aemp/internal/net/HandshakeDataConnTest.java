package org.aemp.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.aemp.testing.TestAuth;
import org.junit.jupiter.api.Test;

/**
 * The handshake of a data connection ({@code aemp-dataconn}, AEMP {@code AnyEvent::MP::DataConn}):
 * the dialler greets with its own protocol and id, the listener with its usual greeting; the rest
 * is a link's handshake.
 */
class HandshakeDataConnTest {

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String greetingSentBy(HandshakePair.Side side) {
        String sent = text(side.all(Handshake.Send.class).get(0).bytes());
        return sent.substring(0, sent.indexOf('\n'));
    }

    private static HandshakePair dataConn(String id) {
        return new HandshakePair(HandshakePair.settings("a", "s", () -> null), HandshakePair.settings("b", "s", () -> null),
                1, id);
    }

    @Test
    void aDataConnDialGreetsWithItsProtocolAndIdAndAuthenticatesLikeALink() {
        HandshakePair p = dataConn("7@a").start().run();

        assertThat(greetingSentBy(p.dialler)).startsWith("aemp-dataconn;1;a;" + TestAuth.NAME + ";test;")
                .contains(";dataconn_id=7@a").doesNotContain("mproto").doesNotContain("gproto");
        assertThat(greetingSentBy(p.acceptor)).startsWith("aemp;1;b;").contains(";mproto=1");
        assertThat(p.acceptor.all(Handshake.Claim.class)).containsExactly(new Handshake.Claim("a"));
        assertThat(p.acceptor.machine.dataConnId()).isEqualTo("7@a");
        assertThat(p.dialler.machine.dataConnId()).isEqualTo("7@a");
        assertThat(p.acceptor.authenticated().nodeId()).isEqualTo("a");
        assertThat(p.dialler.authenticated().nodeId()).isEqualTo("b");
    }

    @Test
    void aLinkHasNoDataConnId() {
        HandshakePair p = new HandshakePair("a", "s", "b", "s").start().run();
        assertThat(p.acceptor.authenticated()).isNotNull();
        assertThat(p.acceptor.machine.dataConnId()).isNull();
        assertThat(p.dialler.machine.dataConnId()).isNull();
    }

    @Test
    void aDataConnIsRefusedAtItsClaimLikeALink() {
        HandshakePair p = dataConn("7@a");
        p.acceptor.claimVerdict = "no data connection '7@a' is awaited from node a";
        p.start().run();
        assertThat(p.acceptor.failure()).isEqualTo(new Handshake.Failed(
                "no data connection '7@a' is awaited from node a", Handshake.Fault.REFUSED));
        assertThat(p.acceptor.all(Handshake.SendAuth.class)).as("no auth line sent").isEmpty();
        assertThat(p.dialler.authenticated()).isNull();
    }

    @Test
    void aListenerRefusesADataConnGreetingWithoutId() {
        HandshakePair p = new HandshakePair("a", "s", "b", "s");
        Handshake h = p.acceptor.machine;
        h.start(null, null);
        byte[] greeting = ("aemp-dataconn;1;a;" + TestAuth.NAME + ";test;provider=x\n").getBytes(StandardCharsets.UTF_8);
        assertThat(h.receive(greeting, 0, greeting.length)).containsExactly(new Handshake.Failed(
                "unparsable greeting: aemp-dataconn without dataconn_id", Handshake.Fault.PROTOCOL));
    }

    @Test
    void aLinkDialRefusesAListenerThatGreetsWithAempDataconn() {
        HandshakePair p = new HandshakePair("a", "s", "b", "s");
        Handshake h = p.dialler.machine;
        h.start(null, null);
        byte[] greeting = ("aemp-dataconn;1;b;" + TestAuth.NAME + ";test;dataconn_id=1\n").getBytes(StandardCharsets.UTF_8);
        assertThat(h.receive(greeting, 0, greeting.length)).containsExactly(new Handshake.Failed(
                "unparsable greeting, expected 'aemp', got 'aemp-dataconn'", Handshake.Fault.PROTOCOL));
    }

    @Test
    void onlyADialCarriesADataConnIdAndItIsNotEmpty() {
        HandshakeSettings s = HandshakePair.settings("a", "s", () -> null);
        assertThatThrownBy(() -> new Handshake(s, false, null, () -> 0, new Random(), "1@a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("for dials");
        assertThatThrownBy(() -> new Handshake(s, true, null, () -> 0, new Random(), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be empty");
    }
}
