package org.aemp.internal.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.aemp.internal.SafeText;
import org.aemp.internal.kernel.Backpressure;
import org.aemp.internal.kernel.Inbound;
import org.aemp.spi.CodecException;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameDecoder;
import org.aemp.spi.FrameSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of an established link: decodes frames with the framing the peer chose and
 * hands each message to the kernel. Invalid or oversized input fails the link with a reason that
 * names the codec, logged as a warning with the peer; the node's monitors then fire with
 * {@code transport_error} (the link's close is reported by {@link Connections}). Every read counts
 * as a sign of life for the link's liveness check.
 *
 * <p>Backpressure: when a message lands in a mailbox that is over its threshold, this link stops
 * reading until that mailbox has worked its backlog down, so TCP slows the sender and its link
 * turns busy. Other ports fed by the same link wait too. The messages that came in the same read
 * after that one wait here, in order, and go on first when the link resumes; if the link fails
 * before, they are dropped with it (its sender's monitors fire). So each link adds at most one
 * message to a busy mailbox, however often a sender that trips its backlog limit reconnects:
 * handing the rest of the read to the mailbox let such a sender grow it by a read's worth of
 * messages with every new link, without bound. A peer that ends its stream in order (it closes
 * after its last message) does not fail the link: the link closes once they are delivered.
 *
 * <p>On a link with the {@linkplain ChunkFraming chunked framing}, a {@link ChunkReader} comes
 * first: it hands the codec's stream to the decoder, and a message sent in chunks joins it whole,
 * once its last chunk is in.
 *
 * <p>Not sharable; one per link, confined to its event loop.
 */
final class FrameHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(FrameHandler.class);

    private final Link link;
    private final String codec;
    private final FrameDecoder decoder;
    private final Inbound kernel;
    private final NetworkCounters failures;
    private final FrameSink deliver = this::deliver;
    private final ChunkReader chunks; // null: the link carries the codec's stream as it is
    private final ChunkReader.Sink toDecoder;
    private final Set<Backpressure> holding = new HashSet<>(2); // mailboxes this link waits for
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>(); // read while holding, not delivered yet
    private ChannelHandlerContext context;
    private boolean inputEnded; // the peer ended its stream: the link closes once what waits is delivered

    /**
     * @param decoder the decoder of the framing the peer sends
     * @param kernel where each decoded message goes (on the event loop)
     * @param limits the node's decode limits, which bound the reassembly of chunked messages too
     */
    FrameHandler(Link link, FrameDecoder decoder, Inbound kernel, NetworkCounters failures, DecodeLimits limits) {
        this.link = link;
        this.codec = link.peer.receive().name();
        this.decoder = decoder;
        this.kernel = kernel;
        this.failures = failures;
        this.chunks = link.chunked() ? new ChunkReader(limits) : null;
        this.toDecoder = chunks == null ? null : new ChunkReader.Sink() {
            @Override
            public void stream(ByteBuffer bytes) {
                decoder.decode(bytes, deliver);
            }

            @Override
            public void message(ByteBuffer frame) {
                decoder.decode(frame, deliver);
            }
        };
    }

    /**
     * Lets the link outlive the end of the peer's stream (a peer that closes sends everything, then
     * ends it), so that what was read while a mailbox was busy is still delivered before the link
     * closes; see {@link #userEventTriggered}.
     */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }

    /**
     * The peer ended its stream: the link closes now, or, if it waits for a busy mailbox, once the
     * messages it read before the end are delivered (closing at once dropped them, though the peer
     * had sent them and closed in order).
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputEnded = true;
            if (holding.isEmpty()) {
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * Turns reading on once the link is up, unless the frames that came with the auth line already
     * filled a mailbox: then this link stays paused until that mailbox is ready (turning reading on
     * unconditionally here let a busy port's link read on without bound). On the event loop.
     */
    void startReading() {
        if (holding.isEmpty()) {
            context.channel().config().setAutoRead(true);
        }
    }

    /** A message read while the link waits for a busy mailbox. */
    private record Waiting(List<Object> message, int bytes) {
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
            link.received(buf.readableBytes());
            if (chunks != null) {
                chunks.read(buf, toDecoder);
            } else if (buf.nioBufferCount() == 1) {
                decoder.decode(buf.nioBuffer(), deliver);
            } else {
                for (ByteBuffer b : buf.nioBuffers()) {
                    decoder.decode(b, deliver);
                }
            }
        } catch (CodecException e) {
            failures.decodeFailures.increment();
            String reason = e.getMessage().startsWith(codec) || e.getMessage().startsWith("chunked framing")
                    ? e.getMessage() : codec + ": " + e.getMessage();
            log.warn("link to node {} at {} failed: {}", SafeText.of(link.node), ctx.channel().remoteAddress(),
                    SafeText.of(reason));
            link.fail(reason);
        } finally {
            buf.release();
        }
    }

    private void deliver(List<Object> message, int bytes) {
        if (!holding.isEmpty()) {
            waiting.add(new Waiting(message, bytes));
            return;
        }
        deliverNow(message, bytes);
    }

    private void deliverNow(List<Object> message, int bytes) {
        link.counters.messagesIn.increment();
        Backpressure busy = kernel.deliver(link.node, message, bytes);
        if (busy != null && holding.add(busy)) {
            ChannelHandlerContext ctx = context;
            ctx.channel().config().setAutoRead(false);
            busy.whenReady(() -> {
                try {
                    ctx.executor().execute(() -> {
                        holding.remove(busy);
                        resume();
                    });
                } catch (RejectedExecutionException e) {
                    // the node's network is closed: there is no link to resume
                }
            });
        }
    }

    /** On the event loop: the messages that waited go on first, then reading, unless a mailbox is busy again. */
    private void resume() {
        if (!context.channel().isActive()) {
            waiting.clear();
            return;
        }
        while (holding.isEmpty() && !waiting.isEmpty()) {
            Waiting w = waiting.poll();
            deliverNow(w.message(), w.bytes());
        }
        if (holding.isEmpty()) {
            if (inputEnded) {
                context.close(); // everything the peer sent before it ended its stream is delivered
            } else {
                context.channel().config().setAutoRead(true);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        link.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    /** The link is gone: the decoder gives the bytes it holds back to the node's budget. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        decoder.close();
        if (chunks != null) {
            chunks.close(); // a message still in chunks is lost with the link, whose monitors fire
        }
        waiting.clear(); // lost with the link, whose monitors fire
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        decoder.close();
        if (chunks != null) {
            chunks.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) { // socket errors are what transport_error is for; anything else is not
            log.warn("link to node {} at {} failed", SafeText.of(link.node), ctx.channel().remoteAddress(), cause);
        }
        link.fail(cause.getMessage() != null ? cause.getMessage() : cause.toString());
    }
}
