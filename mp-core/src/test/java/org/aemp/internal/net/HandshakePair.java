package org.aemp.internal.net;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.Secret;
import org.aemp.spi.TlsContext;
import org.aemp.testing.TestAuth;
import org.aemp.testing.TestCodec;

/**
 * Two {@link Handshake} machines wired to each other without sockets, for tests: one dials
 * ({@link #dialler}), one accepts ({@link #acceptor}); bytes one sends are queued for the other
 * and delivered in chunks of the test's choosing. A fake clock drives the deadlines. TLS is not
 * run: {@link #tlsDone} stands in for it on both sides.
 */
final class HandshakePair {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The fake clock, in nanoseconds. */
    long now = 1_000_000_000L;
    final Side dialler;
    final Side acceptor;

    HandshakePair(String diallerId, String diallerSecret, String acceptorId, String acceptorSecret) {
        this(settings(diallerId, diallerSecret, () -> null), settings(acceptorId, acceptorSecret, () -> null), 1);
    }

    HandshakePair(HandshakeSettings dialling, HandshakeSettings accepting, long seed) {
        this(dialling, accepting, seed, null);
    }

    /** @param dataConnId the dialler's data connection id ({@code aemp-dataconn}), or null for a link */
    HandshakePair(HandshakeSettings dialling, HandshakeSettings accepting, long seed, String dataConnId) {
        dialler = new Side(new Handshake(dialling, true, null, () -> now, new Random(seed), dataConnId));
        acceptor = new Side(new Handshake(accepting, false, null, () -> now, new Random(seed + 1)));
        dialler.peer = acceptor;
        acceptor.peer = dialler;
    }

    static HandshakeSettings settings(String nodeId, String secret, Supplier<TlsContext> tls) {
        return new HandshakeSettings(nodeId, List.of(new TestCodec()), List.of(TestAuth.NAME), List.of(TestAuth.NAME),
                Map.of(TestAuth.NAME, new TestAuth()), secret == null ? null : Secret.of(secret), tls, TIMEOUT,
                DecodeLimits.of(1 << 20), "test");
    }

    /** Starts both sides. */
    HandshakePair start() {
        dialler.take(dialler.machine.start(null, null));
        acceptor.take(acceptor.machine.start(null, null));
        return this;
    }

    /** Delivers everything queued, both ways, whole, until nothing moves. */
    HandshakePair run() {
        while (dialler.deliver(Integer.MAX_VALUE) | acceptor.deliver(Integer.MAX_VALUE)) {
            // keep going
        }
        return this;
    }

    /** One end of the pair: its machine, what it did, and the bytes waiting for it. */
    static final class Side {
        final Handshake machine;
        Side peer;
        final List<Handshake.Action> actions = new ArrayList<>();
        private final java.io.ByteArrayOutputStream inbox = new java.io.ByteArrayOutputStream();
        private int read;
        /** The answer to give a claim: null accepts it. */
        String claimVerdict;
        /** True to decide claims only when the test says so ({@link #decideClaim}). */
        boolean holdClaims;

        Side(Handshake machine) {
            this.machine = machine;
        }

        void take(List<Handshake.Action> done) {
            for (Handshake.Action a : done) {
                actions.add(a);
                if (a instanceof Handshake.Send s) {
                    peer.inbox.writeBytes(s.bytes());
                } else if (a instanceof Handshake.SendAuth s) {
                    peer.inbox.writeBytes(s.bytes());
                } else if (a instanceof Handshake.Claim && !holdClaims) {
                    take(machine.claimDecided(claimVerdict));
                }
            }
        }

        void decideClaim(String verdict) {
            take(machine.claimDecided(verdict));
        }

        void tlsDone() {
            take(machine.tlsEstablished());
        }

        /** Feeds up to {@code chunk} waiting bytes; true if any were fed. */
        boolean deliver(int chunk) {
            byte[] all = inbox.toByteArray();
            int n = Math.min(chunk, all.length - read);
            if (n <= 0) {
                return false;
            }
            take(machine.receive(all, read, n));
            read += n;
            return true;
        }

        /** The bytes sent to this side and not yet delivered. */
        int waiting() {
            return inbox.size() - read;
        }

        <T extends Handshake.Action> List<T> all(Class<T> type) {
            List<T> out = new ArrayList<>();
            for (Handshake.Action a : actions) {
                if (type.isInstance(a)) {
                    out.add(type.cast(a));
                }
            }
            return out;
        }

        Handshake.Failed failure() {
            List<Handshake.Failed> f = all(Handshake.Failed.class);
            return f.isEmpty() ? null : f.get(0);
        }

        Handshake.Peer authenticated() {
            List<Handshake.Authenticated> a = all(Handshake.Authenticated.class);
            return a.isEmpty() ? null : a.get(0).peer();
        }
    }
}
