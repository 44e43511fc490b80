package org.aemp.internal.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the bytes that arrived together with the handshake of a data connection (after the peer's
 * auth line) until the application reads for the first time, then passes them on and removes
 * itself. A data connection is handed over with reading off, so that the application can add its
 * handlers first; without this handler those bytes would reach an empty pipeline and be lost.
 *
 * <p>Not sharable; confined to its channel's event loop.
 */
final class HeldBytes extends ChannelDuplexHandler {
    static final String NAME = "aemp-dataconn-held";

    private List<ByteBuf> held;

    /** @param held the buffers, in order; this handler owns them from now on */
    HeldBytes(List<ByteBuf> held) {
        this.held = new ArrayList<>(held);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        List<ByteBuf> h = held;
        held = null;
        if (h != null) {
            for (ByteBuf b : h) {
                ctx.fireChannelRead(b);
            }
            ctx.fireChannelReadComplete();
        }
        ctx.read(); // what it reads arrives later, on this event loop, once this handler is gone
        if (!ctx.isRemoved()) {
            ctx.pipeline().remove(this);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        List<ByteBuf> h = held; // closed (or removed by the application) before the first read
        held = null;
        if (h != null) {
            h.forEach(ByteBuf::release);
        }
    }
}
