package org.aemp.internal.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.aemp.spi.CodecException;
import org.aemp.spi.FrameDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of an established link: decodes frames with the framing the peer chose and
 * hands each message to the kernel. Invalid or oversized input fails the link with a reason that
 * names the codec, logged as a warning with the peer; the node's monitors then fire with
 * {@code transport_error}. A closed socket is reported as {@code Unexpected end-of-file}, as Perl
 * reports it.
 *
 * <p>Not sharable; one per link, confined to its event loop.
 */
final class FrameHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(FrameHandler.class);

    private final Link link;
    private final String codec;
    private final FrameDecoder decoder;
    private final Network network;
    private final Consumer<List<Object>> deliver;

    FrameHandler(Link link, String codec, FrameDecoder decoder, Network network) {
        this.link = link;
        this.codec = codec;
        this.decoder = decoder;
        this.network = network;
        this.deliver = m -> network.received(link, m);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (link.failure() != null) {
                return; // failed: read nothing more from this link
            }
            if (buf.nioBufferCount() == 1) {
                decoder.decode(buf.nioBuffer(), deliver);
            } else {
                for (ByteBuffer b : buf.nioBuffers()) {
                    decoder.decode(b, deliver);
                }
            }
        } catch (CodecException e) {
            String reason = e.getMessage().startsWith(codec) ? e.getMessage() : codec + ": " + e.getMessage();
            log.warn("link to node {} at {} failed: {}", PeerText.printable(link.node),
                    ctx.channel().remoteAddress(), PeerText.printable(reason));
            link.fail(reason);
        } finally {
            buf.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        String failure = link.failure();
        network.linkDown(link, failure != null ? failure : "Unexpected end-of-file");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) { // socket errors are what transport_error is for; anything else is not
            log.warn("link to node {} at {} failed", PeerText.printable(link.node), ctx.channel().remoteAddress(),
                    cause);
        }
        link.fail(cause.getMessage() != null ? cause.getMessage() : cause.toString());
    }
}
