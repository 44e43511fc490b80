package org.aemp.internal.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.aemp.internal.SafeText;
import org.aemp.spi.CodecException;
import org.aemp.spi.FrameDecoder;
import org.aemp.spi.FrameSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of an established link: decodes frames with the framing the peer chose and
 * hands each message to the kernel. Invalid or oversized input fails the link with a reason that
 * names the codec, logged as a warning with the peer; the node's monitors then fire with
 * {@code transport_error} (the link's close is reported by {@link Network}). Every read counts as a
 * sign of life for the link's liveness check.
 *
 * <p>Not sharable; one per link, confined to its event loop.
 */
final class FrameHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(FrameHandler.class);

    private final Link link;
    private final String codec;
    private final FrameDecoder decoder;
    private final FrameSink deliver;

    /**
     * @param decoder the decoder of the framing the peer sends
     * @param deliver where each decoded message goes, with its encoded size (on the event loop)
     */
    FrameHandler(Link link, FrameDecoder decoder, FrameSink deliver) {
        this.link = link;
        this.codec = link.peer.receive().name();
        this.decoder = decoder;
        this.deliver = deliver;
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
            link.received();
            if (buf.nioBufferCount() == 1) {
                decoder.decode(buf.nioBuffer(), deliver);
            } else {
                for (ByteBuffer b : buf.nioBuffers()) {
                    decoder.decode(b, deliver);
                }
            }
        } catch (CodecException e) {
            String reason = e.getMessage().startsWith(codec) ? e.getMessage() : codec + ": " + e.getMessage();
            log.warn("link to node {} at {} failed: {}", SafeText.of(link.node), ctx.channel().remoteAddress(),
                    SafeText.of(reason));
            link.fail(reason);
        } finally {
            buf.release();
        }
    }

    /** The link is gone: the decoder gives the bytes it holds back to the node's budget. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        decoder.close();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        decoder.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) { // socket errors are what transport_error is for; anything else is not
            log.warn("link to node {} at {} failed", SafeText.of(link.node), ctx.channel().remoteAddress(), cause);
        }
        link.fail(cause.getMessage() != null ? cause.getMessage() : cause.toString());
    }
}
