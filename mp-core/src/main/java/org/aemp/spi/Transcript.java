package org.aemp.spi;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The four greeting lines an auth token covers, as raw bytes without their line ends: one side's
 * greeting and nonce lines, then the other side's. {@link #bytes()} is exactly what AEMP hashes:
 * {@code L1 \n L2 \n R1 \n R2 \n}. Immutable and thread-safe.
 */
public final class Transcript {
    private final byte[] ownGreeting;
    private final byte[] ownNonce;
    private final byte[] peerGreeting;
    private final byte[] peerNonce;

    private Transcript(byte[] ownGreeting, byte[] ownNonce, byte[] peerGreeting, byte[] peerNonce) {
        this.ownGreeting = ownGreeting;
        this.ownNonce = ownNonce;
        this.peerGreeting = peerGreeting;
        this.peerNonce = peerNonce;
    }

    /** The transcript seen from the side whose lines are {@code ownGreeting} and {@code ownNonce}. */
    public static Transcript of(byte[] ownGreeting, byte[] ownNonce, byte[] peerGreeting, byte[] peerNonce) {
        return new Transcript(ownGreeting.clone(), ownNonce.clone(), peerGreeting.clone(), peerNonce.clone());
    }

    /** The same lines from the other side's point of view. */
    public Transcript reversed() {
        return new Transcript(peerGreeting, peerNonce, ownGreeting, ownNonce);
    }

    /** {@code own1 \n own2 \n peer1 \n peer2 \n}: the bytes a token is computed over. */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(
                ownGreeting.length + ownNonce.length + peerGreeting.length + peerNonce.length + 4);
        for (byte[] line : new byte[][] {ownGreeting, ownNonce, peerGreeting, peerNonce}) {
            out.writeBytes(line);
            out.write('\n');
        }
        return out.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transcript t && Arrays.equals(ownGreeting, t.ownGreeting)
                && Arrays.equals(ownNonce, t.ownNonce) && Arrays.equals(peerGreeting, t.peerGreeting)
                && Arrays.equals(peerNonce, t.peerNonce);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes());
    }

    @Override
    public String toString() {
        return "Transcript[" + bytes().length + " bytes]";
    }
}
