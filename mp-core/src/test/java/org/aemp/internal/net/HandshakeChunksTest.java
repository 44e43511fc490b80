package org.aemp.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Negotiating the chunked framing: each side announces {@code chunks=1} in its greeting when its
 * chunk size is above 0 (never on a data connection), and a link runs it only if both did.
 */
class HandshakeChunksTest {

    private static HandshakeSettings settings(String id, int chunkSize) {
        HandshakeSettings s = HandshakePair.settings(id, "s", () -> null);
        return new HandshakeSettings(s.nodeId(), s.codecs(), s.accept(), s.offer(), s.methods(), s.secret(), s.tls(),
                s.handshakeTimeout(), s.decodeLimits(), s.provider(), chunkSize);
    }

    private static String greetingSentBy(HandshakePair.Side side) {
        String sent = new String(side.all(Handshake.Send.class).get(0).bytes(), StandardCharsets.UTF_8);
        return sent.substring(0, sent.indexOf('\n'));
    }

    @Test
    void twoNodesThatBothAnnounceChunksUseThemWithTheirOwnChunkSize() {
        HandshakePair p = new HandshakePair(settings("a", 4096), settings("b", 65536), 1).start().run();
        assertThat(greetingSentBy(p.dialler)).containsPattern(";chunks=1(;|$)");
        assertThat(greetingSentBy(p.acceptor)).containsPattern(";chunks=1(;|$)");
        assertThat(p.dialler.authenticated().chunkSize()).isEqualTo(4096);
        assertThat(p.acceptor.authenticated().chunkSize()).isEqualTo(65536);
    }

    @Test
    void ifEitherSideDoesNotAnnounceChunksNeitherUsesThem() {
        for (boolean dialler : new boolean[] {true, false}) {
            HandshakePair p = new HandshakePair(settings("a", dialler ? 0 : 4096), settings("b", dialler ? 4096 : 0), 1)
                    .start().run();
            HandshakePair.Side off = dialler ? p.dialler : p.acceptor;
            assertThat(greetingSentBy(off)).doesNotContain("chunks");
            assertThat(p.dialler.authenticated().chunkSize()).isZero();
            assertThat(p.acceptor.authenticated().chunkSize()).isZero();
        }
    }

    @Test
    void settingsWithoutAChunkSizeAnnounceNothing() {
        HandshakePair p = new HandshakePair("a", "s", "b", "s").start().run();
        assertThat(greetingSentBy(p.dialler)).doesNotContain("chunks");
        assertThat(p.dialler.authenticated().chunkSize()).isZero();
    }

    @Test
    void aDataConnectionNeverAnnouncesChunks() {
        HandshakePair p = new HandshakePair(settings("a", 4096), settings("b", 4096), 1, "7@a").start().run();
        assertThat(greetingSentBy(p.dialler)).startsWith("aemp-dataconn;").doesNotContain("chunks");
        assertThat(p.acceptor.authenticated().chunkSize()).isZero();
    }
}
