/**
 * Not API; may change in any release. The link layer: TCP transports, the AEMP handshake
 * (greeting, nonce, optional TLS, auth line), established links with their framing, and the
 * per-node connection state that the kernel sends through.
 *
 * <h2>The pipeline of one connection</h2>
 * <pre>
 *  socket ─► [tls: SslHandler, only after the nonce lines, if both sides announced tls=1.0]
 *         ─► [handshake: HandshakeHandler, lines ≤ 4096 bytes until the auth line checks out]
 *  (after auth the handshake handler removes itself and leaves:)
 *         ─► [frames: FrameHandler: (ChunkReader, if both announced chunks=1) ─► the codec's
 *             FrameDecoder ─► Kernel.deliver]
 *  Link.write: FrameEncoder ─► the batch (or, for a large message between Java nodes, the queue)
 *         ─► one flush task on the event loop ─► socket (a large message one chunk at a time)
 *  (a data connection, aemp-dataconn, leaves only [tls] and, until its first read, HeldBytes,
 *   and goes to the application: DataConns, HandshakeRouter)
 * </pre>
 */
package org.aemp.internal.net;
