package org.aemp.spi;

/**
 * A framing: how messages are written as bytes on a link, named as in the AEMP greeting
 * ({@code json}, {@code cbor}, {@code kryo}). Each direction of a link uses the framing its sender
 * chose from the receiver's list, so a node may send one framing and receive another.
 *
 * <p>Implementations are shared and thread-safe; {@link #newEncoder()} and {@link #newDecoder}
 * make the stateful per-connection parts. A provider registers itself in
 * {@code META-INF/services/org.aemp.spi.Codec} and has a cheap public no-argument constructor.
 */
public interface Codec {

    /** The framing's name in the greeting, e.g. {@code json}. */
    String name();

    /**
     * True if Perl AnyEvent::MP nodes can read this framing. A Java-only framing (Kryo) is put in
     * the greeting's framing list so Java peers pick it, but Perl never chooses it.
     */
    default boolean perlCompatible() {
        return true;
    }

    /**
     * Rank among the codecs found on the class path when no {@code framing_format} is configured:
     * higher comes first in the greeting. JSON, the baseline, is 0.
     */
    default int preference() {
        return 0;
    }

    /**
     * True if this codec can carry values of {@code type} beyond the plain AEMP values (null,
     * String, Boolean, Number, byte[], List, Map): for example classes registered with Kryo. A node
     * accepts such a value in a remote send only if a codec claims it.
     */
    default boolean canEncode(Class<?> type) {
        return false;
    }

    /** A new encoder for one connection. */
    FrameEncoder newEncoder();

    /**
     * A new incremental decoder for one connection, usually a {@link BoundedFrameDecoder}.
     *
     * @param limits the node's limits, shared by all its decoders: a message longer than
     *     {@link DecodeLimits#maxFrameLength()} fails with {@link FrameTooLongException} before it is
     *     buffered whole, one of more values than {@link DecodeLimits#maxElements()} fails before
     *     they are built, and the bytes held for incomplete messages come from its budget
     */
    FrameDecoder newDecoder(DecodeLimits limits);
}
