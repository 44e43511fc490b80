package org.aemp.internal.net;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.aemp.spi.AuthMethod;
import org.aemp.spi.Codec;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.Secret;
import org.aemp.spi.TlsContext;

/**
 * What a handshake needs to know about its own node. Immutable, shared by every connection.
 *
 * @param nodeId this node's id, sent in the greeting
 * @param codecs the framings this node receives and sends, in order of preference
 * @param accept the auth methods announced in the greeting and accepted from peers
 * @param offer the auth methods this node may send
 * @param methods the auth methods that have a provider, by name
 * @param secret the shared secret, or null
 * @param tls the current TLS context (null if this node has no certificate); read per connection,
 *     so a reloaded certificate is used by new links
 * @param handshakeTimeout the absolute deadline of a handshake
 * @param decodeLimits the decoders' limits, one for all links of the node (it holds their shared budget)
 * @param provider the {@code provider=} greeting extension
 * @param chunkSize if above 0, links greet with {@code chunks=1} and, with a peer that does too,
 *     send messages larger than this many bytes in chunks of this size ({@link ChunkFraming})
 */
public record HandshakeSettings(String nodeId, List<Codec> codecs, List<String> accept, List<String> offer,
        Map<String, AuthMethod> methods, Secret secret, Supplier<TlsContext> tls, Duration handshakeTimeout,
        DecodeLimits decodeLimits, String provider, int chunkSize) {

    /** Settings without the chunked framing. */
    public HandshakeSettings(String nodeId, List<Codec> codecs, List<String> accept, List<String> offer,
            Map<String, AuthMethod> methods, Secret secret, Supplier<TlsContext> tls, Duration handshakeTimeout,
            DecodeLimits decodeLimits, String provider) {
        this(nodeId, codecs, accept, offer, methods, secret, tls, handshakeTimeout, decodeLimits, provider, 0);
    }

    /** The framing names of the greeting, in order. */
    List<String> framingNames() {
        return codecs.stream().map(Codec::name).toList();
    }

    Codec codec(String name) {
        for (Codec c : codecs) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
