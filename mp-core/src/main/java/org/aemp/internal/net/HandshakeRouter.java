package org.aemp.internal.net;

import java.util.concurrent.CompletionStage;

/**
 * Sends what a handshake reports to the node's link table ({@link Connections}), or, for a data
 * connection ({@code aemp-dataconn}), to {@link DataConns}, which never touches the link table. A
 * listener learns which one a connection is from its greeting, so a handshake that fails before
 * its greeting arrived counts as a link's. Stateless and thread-safe.
 */
final class HandshakeRouter implements HandshakeHandler.Links {
    private final HandshakeHandler.Links links;
    private final HandshakeHandler.Links dataConns;

    HandshakeRouter(HandshakeHandler.Links links, HandshakeHandler.Links dataConns) {
        this.links = links;
        this.dataConns = dataConns;
    }

    private HandshakeHandler.Links of(HandshakeHandler h) {
        return h.dataConnId() != null ? dataConns : links;
    }

    @Override
    public CompletionStage<String> check(String claimedNode, HandshakeHandler handshake) {
        return of(handshake).check(claimedNode, handshake);
    }

    @Override
    public void authenticated(HandshakeHandler handshake, Handshake.Peer peer) {
        of(handshake).authenticated(handshake, peer);
    }

    @Override
    public void answered(String claimedNode, HandshakeHandler handshake) {
        of(handshake).answered(claimedNode, handshake);
    }

    @Override
    public void ended(HandshakeHandler handshake, String claimedNode, String reason, Handshake.Fault fault) {
        of(handshake).ended(handshake, claimedNode, reason, fault);
    }
}
