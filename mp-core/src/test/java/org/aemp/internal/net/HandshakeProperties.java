package org.aemp.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.aemp.testing.TestAuth;

/**
 * The handshake state machine against arbitrary, truncated, interleaved and hostile input: it
 * never throws, reports at most one outcome, and every handshake is over by its deadline.
 */
class HandshakeProperties {

    /** Two honest sides authenticate each other however the two byte streams are cut and interleaved. */
    @Property(tries = 300)
    void anyInterleavingOfTwoHonestStreamsAuthenticatesBothSides(
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 200) Integer> chunks,
            @ForAll boolean acceptorFirst, @ForAll long seed) {
        HandshakePair p = new HandshakePair(HandshakePair.settings("alpha", "s3cret", () -> null),
                HandshakePair.settings("beta", "s3cret", () -> null), seed).start();
        HandshakePair.Side first = acceptorFirst ? p.acceptor : p.dialler;
        HandshakePair.Side second = acceptorFirst ? p.dialler : p.acceptor;
        for (int i = 0; first.waiting() > 0 || second.waiting() > 0; i++) {
            int n = chunks.get(i % chunks.size());
            first.deliver(n);
            second.deliver(chunks.get((i + 1) % chunks.size()));
        }
        assertThat(p.dialler.authenticated()).isNotNull();
        assertThat(p.acceptor.authenticated()).isNotNull();
        assertThat(p.dialler.authenticated().rank()).isEqualTo(p.acceptor.authenticated().rank());
        assertThat(p.dialler.failure()).isNull();
        assertThat(p.acceptor.failure()).isNull();
    }

    /** Arbitrary bytes, in arbitrary pieces, with the clock moving: no exception, one outcome at most, over by the deadline. */
    @Property(tries = 500)
    void hostileBytesNeverThrowAndTheHandshakeIsOverByItsDeadline(@ForAll("hostile") byte[] input,
            @ForAll @IntRange(min = 1, max = 700) int chunk, @ForAll @IntRange(min = 0, max = 3) int ticksPerChunk,
            @ForAll boolean outgoing, @ForAll boolean refuseClaim) {
        long[] now = {0};
        Handshake h = new Handshake(HandshakePair.settings("self", "s", () -> null), outgoing, null, () -> now[0],
                new java.util.Random(1));
        List<Handshake.Action> all = new ArrayList<>(h.start(null, null));
        for (int off = 0; off < input.length; off += chunk) {
            List<Handshake.Action> out = h.receive(input, off, Math.min(chunk, input.length - off));
            all.addAll(out);
            for (Handshake.Action a : out) {
                if (a instanceof Handshake.Claim) {
                    all.addAll(h.claimDecided(refuseClaim ? "refused" : null));
                }
            }
            for (int t = 0; t < ticksPerChunk; t++) {
                now[0] += HandshakePair.TIMEOUT.toNanos() / 7;
                all.addAll(h.tick());
            }
        }
        now[0] = h.deadline();
        all.addAll(h.tick());
        assertThat(h.isOver()).as("over by the deadline").isTrue();
        long outcomes = all.stream().filter(a -> a instanceof Handshake.Failed || a instanceof Handshake.Authenticated)
                .count();
        assertThat(outcomes).as("exactly one outcome").isEqualTo(1);
        for (Handshake.Action a : all) {
            if (a instanceof Handshake.Failed f) {
                assertThat(f.reason()).isNotBlank().doesNotContain("Exception");
                assertThat(f.reason().chars().allMatch(c -> c >= 0x20)).as("no control character in " + f.reason())
                        .isTrue();
            }
        }
        assertThat(h.receive(input, 0, Math.min(10, input.length))).as("nothing once over").isEmpty();
    }

    /** A stream cut short anywhere leaves the handshake waiting, and the deadline ends it as a timeout. */
    @Property(tries = 200)
    void aTruncatedHonestStreamEndsAsATimeout(@ForAll @IntRange(min = 0, max = 400) int keep, @ForAll long seed) {
        HandshakePair p = new HandshakePair(HandshakePair.settings("alpha", "s3cret", () -> null),
                HandshakePair.settings("beta", "s3cret", () -> null), seed).start();
        p.acceptor.deliver(keep);
        p.dialler.deliver(Integer.MAX_VALUE);
        p.acceptor.deliver(0);
        if (p.acceptor.authenticated() != null) {
            return; // kept the whole stream
        }
        assertThat(p.acceptor.failure()).isNull();
        p.now += HandshakePair.TIMEOUT.toNanos();
        p.acceptor.take(p.acceptor.machine.tick());
        assertThat(p.acceptor.failure().fault()).isEqualTo(Handshake.Fault.TIMEOUT);
    }

    @Provide
    Arbitrary<byte[]> hostile() {
        Arbitrary<String> greeting = Arbitraries.of("aemp;1;peer;" + TestAuth.NAME + ";test",
                "aemp;1;peer;" + TestAuth.NAME + ";test;tls=1.0", "aemp;1;self;" + TestAuth.NAME + ";test",
                "aemp;2;peer;x;test", "aemp;1;pe\u001b[31mer;a;b", "aemp;1;;a;b", "aemp;1", "HELO world",
                "aemp;1;p#q;a;b", "");
        Arbitrary<String> nonce = Arbitraries.strings().ofMaxLength(120);
        Arbitrary<String> auth = Arbitraries.oneOf(Arbitraries.of(TestAuth.NAME + ";00;test", ";;", "x",
                        TestAuth.NAME + ";00;cbor", "cleartext;s;test"),
                Arbitraries.strings().ofMaxLength(300), Arbitraries.just("y".repeat(5000)));
        Arbitrary<byte[]> lines = Combinators.combine(greeting, nonce, auth)
                .as((g, n, a) -> (g + "\n" + n + "\n" + a + "\n").getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(lines, Arbitraries.bytes().array(byte[].class).ofMaxSize(9000));
    }
}
