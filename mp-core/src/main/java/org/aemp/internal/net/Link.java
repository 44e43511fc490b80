package org.aemp.internal.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.Channel;
import java.io.IOException;
import io.netty.util.internal.PlatformDependent;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.aemp.spi.Codec;
import org.aemp.spi.CodecException;
import org.aemp.spi.FrameEncoder;

/**
 * An established connection to one node, for sending. Any thread may {@link #write}; messages go
 * into a many-producer, single-consumer array queue (Netty's, which allocates nothing per message
 * once it has grown to the link's usual backlog), and one flush task on the channel's event loop encodes everything
 * queued so far into one buffer and writes it with a single flush, so that a burst of sends costs
 * one system call and a quiet link adds no delay. Messages leave in the order they were queued.
 *
 * <p>Thread-safe.
 */
final class Link {
    private static final int BATCH_BYTES = 64 * 1024;

    final Channel channel;
    final String node;
    final String framing;
    private final FrameEncoder encoder; // event loop only
    private final Network network;
    private final Queue<List<?>> outbox = PlatformDependent.newMpscQueue(); // consumer: the event loop
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable flush = this::flush;
    private volatile String failure;

    Link(Channel channel, String node, Codec codec, Network network) {
        this.channel = channel;
        this.node = node;
        this.framing = codec.name();
        this.encoder = codec.newEncoder();
        this.network = network;
    }

    /** Queues a message ({@code [port name, elements...]}); never blocks. */
    void write(List<?> message) {
        outbox.offer(message);
        if (scheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(flush);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                outbox.clear(); // the node's network is closed: nothing goes out any more
                scheduled.set(false);
            }
        }
    }

    private void flush() {
        if (!channel.isActive()) {
            outbox.clear(); // lost: the link's monitors fire when it is reported down
            scheduled.set(false);
            return;
        }
        ByteBuf buf = channel.alloc().ioBuffer();
        ByteBufOutputStream out = new ByteBufOutputStream(buf);
        try {
            for (List<?> m; (m = outbox.poll()) != null; ) {
                encoder.encode(m, out);
                if (buf.readableBytes() >= BATCH_BYTES) {
                    channel.write(buf, channel.voidPromise());
                    buf = channel.alloc().ioBuffer();
                    out = new ByteBufOutputStream(buf);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a CodecException, or a message changed after it was sent: this link cannot go on
            // without a hole, so it fails and the node's monitors fire
            buf.release();
            outbox.clear();
            scheduled.set(false);
            fail("cannot encode a message for " + node + " (" + framing + "): "
                    + (e instanceof CodecException ? e.getMessage() : e.toString()));
            return;
        }
        if (buf.isReadable()) {
            channel.writeAndFlush(buf, channel.voidPromise());
        } else {
            buf.release();
            channel.flush();
        }
        scheduled.set(false);
        if (!outbox.isEmpty() && scheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(flush);
        }
    }

    /** Closes the link because of {@code reason}, which monitors of the node will see. */
    void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
        channel.close();
    }

    /** Why the link failed, or null if it was closed normally. */
    String failure() {
        return failure;
    }

    /** Closes the link without a failure reason (shutdown). */
    void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "link to " + node + " (" + channel + ")";
    }
}
