package org.aemp.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.Secret;
import org.aemp.testing.TestAuth;
import org.aemp.testing.TestCodec;
import org.aemp.testing.logging.TestLogs;
import org.slf4j.event.Level;

/**
 * The handshake's line reader against arbitrary bytes, through an {@link EmbeddedChannel}: it never
 * lets an exception out of the pipeline, and a connection it gives up on is closed with a reason
 * that says what was wrong (never the catch-all {@code handshake error:} of an unexpected exception).
 */
class HandshakeLineReaderProperties {

    /** Every refused input is logged as a misbehaving peer, as it should be. */
    @BeforeProperty
    void refusedHandshakesAreWarnings() {
        TestLogs.current().allow(Level.WARN, HandshakeHandler.class.getName(), "^handshake with .* failed: ");
    }

    /** Records what the handshake reports; accepts every claim. */
    private static final class Recorder implements HandshakeHandler.Links {
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());

        @Override
        public java.util.concurrent.CompletionStage<String> check(String node, HandshakeHandler handshake) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        @Override
        public void authenticated(HandshakeHandler handshake, Handshake.Peer peer) {
            throw new AssertionError("no random input can authenticate");
        }

        @Override
        public void ended(HandshakeHandler handshake, String node, String reason, Handshake.Fault fault) {
            failures.add(reason);
        }
    }

    /** The settings of a node "self" that speaks {@link TestAuth} with secret "s" (also used by other handshake tests). */
    static HandshakeSettings settings() {
        return new HandshakeSettings("self", List.of(new TestCodec()), List.of(TestAuth.NAME), List.of(TestAuth.NAME),
                Map.of(TestAuth.NAME, new TestAuth()), Secret.of("s"), () -> null, Duration.ofSeconds(30),
                DecodeLimits.of(1 << 20), "test");
    }

    /** Feeds {@code input} in pieces of {@code chunk} bytes; returns the recorder after closing the channel. */
    private static Recorder feed(byte[] input, int chunk, boolean expectClosed) {
        Recorder links = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(new HandshakeHandler(new Handshake(settings(), false, null,
                System::nanoTime, new java.util.Random(1)), links, null, null));
        try {
            for (int off = 0; off < input.length && ch.isOpen(); off += chunk) {
                int n = Math.min(chunk, input.length - off);
                ch.writeInbound(Unpooled.wrappedBuffer(input, off, n));
                ch.checkException();
            }
            ch.runPendingTasks();
            ch.checkException();
            if (expectClosed) {
                assertThat(ch.isOpen()).as("the handshake gave up on the connection").isFalse();
                assertThat(links.failures).hasSize(1);
            }
            if (!ch.isOpen()) {
                assertThat(links.failures).hasSize(1);
            }
        } finally {
            ch.finishAndReleaseAll();
        }
        assertThat(links.failures).as("one failure, reported once").hasSize(1);
        assertThat(TestLogs.current().events()).allSatisfy(e -> assertThat(e.message().codePoints()
                .filter(Character::isISOControl)).as("raw peer bytes in %s", e).isEmpty());
        String reason = links.failures.get(0);
        assertThat(reason).isNotBlank().doesNotStartWith("handshake error:");
        assertThat(reason.length()).isLessThan(400);
        return links;
    }

    @Property(tries = 300)
    void randomBytesNeverEscapeThePipeline(@ForAll @Size(max = 9000) byte[] input,
            @ForAll @IntRange(min = 1, max = 5000) int chunk) {
        boolean hasLine = indexOf(input, (byte) '\n') >= 0 && indexOf(input, (byte) '\n') < Handshake.MAX_LINE;
        feed(input, chunk, hasLine || input.length >= Handshake.MAX_LINE);
    }

    @Property(tries = 300)
    void greetingLikeLinesAreRefusedWithAClearReason(@ForAll("lines") List<String> lines,
            @ForAll @IntRange(min = 1, max = 300) int chunk) {
        byte[] input = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        Recorder links = feed(input, chunk, false);
        String reason = links.failures.get(0);
        assertThat(reason).containsAnyOf("unparsable", "version mismatch", "line too long", "auth", "framing",
                "refuse to talk to myself", "echo attack", "connection closed during the handshake");
    }

    /** A greeting line (valid or nearly), a nonce, and an auth line made of likely and unlikely pieces. */
    @Provide
    Arbitrary<List<String>> lines() {
        Arbitrary<String> greeting = Arbitraries.of(
                "aemp;1;peer;" + TestAuth.NAME + ";test", "aemp;1;peer;" + TestAuth.NAME + ";test;tls=1.0",
                "aemp;1;self;" + TestAuth.NAME + ";test", "aemp;2;peer;x;test", "aemp;1;peer;other;test",
                "aemp;1;peer;" + TestAuth.NAME + ";cbor", "aemp;1;;a;b", "aemp;1", "HELO world", "");
        Arbitrary<String> nonce = Arbitraries.strings().alpha().numeric().ofMaxLength(100);
        Arbitrary<String> auth = Arbitraries.oneOf(
                Arbitraries.of(TestAuth.NAME + ";00;test", TestAuth.NAME + ";;", "cleartext;73;test", ";;", "x",
                        TestAuth.NAME + ";00;cbor", "tls_anon;;test"),
                Arbitraries.strings().ofMaxLength(200).map(s -> s.replace('\n', ' ')),
                Arbitraries.just("y".repeat(5000)));
        return net.jqwik.api.Combinators.combine(greeting, nonce, auth).as(List::of);
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
