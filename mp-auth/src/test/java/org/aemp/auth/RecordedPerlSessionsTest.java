package org.aemp.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.aemp.spi.AuthMethod;
import org.aemp.spi.Secret;
import org.aemp.spi.Transcript;
import org.aemp.testing.Transcripts;
import org.aemp.testing.Transcripts.AuthLine;
import org.aemp.testing.Transcripts.Connection;
import org.aemp.testing.Transcripts.Direction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recomputes the auth tokens of every session recorded between real Perl AnyEvent::MP 2.02 nodes
 * (and the Python client written from the notes) from the recorded greeting lines, and checks them
 * against the recorded auth lines. The {@code tls} scenario is left out: its auth lines travel
 * inside TLS.
 */
class RecordedPerlSessionsTest {
    static final Secret SECRET = Secret.of(Transcripts.SECRET);
    static final Secret WRONG_SECRET = Secret.of(Transcripts.WRONG_SECRET);

    final HmacSha3Auth hmac = new HmacSha3Auth();
    final CleartextAuth cleartext = new CleartextAuth();

    /** One auth line of a recorded session: scenario, connection, and the direction it was sent in. */
    static List<Arguments> authLines() {
        List<Arguments> out = new ArrayList<>();
        for (String scenario : Transcripts.scenarios()) {
            if (scenario.equals("tls")) {
                continue;
            }
            for (Connection c : Transcripts.load(scenario).connections()) {
                for (Direction d : Direction.values()) {
                    AuthLine line = c.handshake(d).auth().orElseThrow(
                            () -> new AssertionError(scenario + " connection " + c.id() + " " + d + ": no auth line"));
                    out.add(Arguments.of(scenario, c.id(), d, line));
                }
            }
        }
        return out;
    }

    static List<Arguments> hmacLines() {
        return authLines().stream()
                .filter(a -> ((AuthLine) a.get()[3]).method().equals(HmacSha3Auth.NAME))
                .toList();
    }

    /** The secret the sender used: the connector of an {@code auth-failure-*} session had the wrong one. */
    static Secret senderSecret(String scenario, Direction sent) {
        return scenario.startsWith("auth-failure-") && sent == Direction.TO_ACCEPTOR ? WRONG_SECRET : SECRET;
    }

    @Test
    void everyScenarioButTlsIsCovered() {
        // 14 scenarios without TLS, 16 connections (auth-failure-perl has 3), two auth lines each;
        // one of them is the Python client's cleartext line
        assertThat(authLines()).hasSize(32);
        assertThat(hmacLines()).hasSize(31);
        assertThat(hmacLines()).extracting(a -> a.get()[0]).containsAll(
                Transcripts.scenarios().stream().filter(s -> !s.equals("tls")).toList());
    }

    @ParameterizedTest(name = "{0} #{1} {2}")
    @MethodSource("hmacLines")
    void recordedTokenIsRecomputedFromTheGreetingLines(String scenario, int conn, Direction sent, AuthLine line) {
        Connection c = Transcripts.load(scenario).connection(conn);

        assertThat(hmac.token(c.transcript(sent), senderSecret(scenario, sent))).isEqualTo(line.token());
    }

    @ParameterizedTest(name = "{0} #{1} {2}")
    @MethodSource("hmacLines")
    void receiverVerifiesTheRecordedTokenAndRejectsOneChangedCharacter(String scenario, int conn, Direction sent,
            AuthLine line) {
        Transcript receiverView = Transcripts.load(scenario).connection(conn).transcript(sent.reverse());
        Secret secret = senderSecret(scenario, sent);

        assertThat(hmac.verify(receiverView, secret, line.token())).isTrue();
        assertThat(hmac.verify(receiverView, secret, changeOneCharacter(line.token()))).isFalse();
    }

    @ParameterizedTest(name = "{0} #{1}")
    @MethodSource("hmacLines")
    void wrongSecretTokensFailAgainstTheRealSecret(String scenario, int conn, Direction sent, AuthLine line) {
        Transcript receiverView = Transcripts.load(scenario).connection(conn).transcript(sent.reverse());
        boolean madeWithWrongSecret = senderSecret(scenario, sent) == WRONG_SECRET;

        // what the Perl acceptor (secret interop-secret) concluded: only the auth-failure connectors fail
        assertThat(hmac.verify(receiverView, SECRET, line.token())).isEqualTo(!madeWithWrongSecret);
    }

    @Test
    void theTwoFailureScenariosCarryFourWrongSecretTokens() {
        assertThat(hmacLines()).filteredOn(a -> senderSecret((String) a.get()[0], (Direction) a.get()[2]) == WRONG_SECRET)
                .hasSize(4); // auth-failure-raw: 1 connection, auth-failure-perl: 3
    }

    @Test
    void pythonClientsCleartextTokenVerifies() {
        Connection c = Transcripts.load("raw-python-cleartext").connection(1);
        AuthLine line = c.handshake(Direction.TO_ACCEPTOR).auth().orElseThrow();
        Transcript acceptorView = c.transcript(Direction.TO_CONNECTOR);

        assertThat(line.method()).isEqualTo(CleartextAuth.NAME);
        assertThat(line.token()).isEqualTo(cleartext.token(acceptorView, SECRET));
        assertThat(cleartext.verify(acceptorView, SECRET, line.token())).isTrue();
        assertThat(cleartext.verify(acceptorView, WRONG_SECRET, line.token())).isFalse();
        assertThat(cleartext.verify(acceptorView, SECRET, changeOneCharacter(line.token()))).isFalse();
        // the acceptor answered with its HMAC, which the client checks as usual
        AuthLine reply = c.handshake(Direction.TO_CONNECTOR).auth().orElseThrow();
        assertThat(hmac.verify(c.transcript(Direction.TO_ACCEPTOR), SECRET, reply.token())).isTrue();
    }

    @Test
    void everyMethodSeenOnTheWireIsProvidedHere() {
        List<AuthMethod> ours = List.of(hmac, cleartext);

        assertThat(authLines()).extracting(a -> ((AuthLine) a.get()[3]).method())
                .allMatch(m -> ours.stream().anyMatch(o -> o.name().equals(m)));
    }

    /** Flips the last hex digit to another hex digit, so the result is still well-formed. */
    static String changeOneCharacter(String token) {
        char last = token.charAt(token.length() - 1);
        return token.substring(0, token.length() - 1) + (last == '0' ? '1' : '0');
    }
}
