package org.aemp.internal.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.aemp.internal.SafeText;
import org.aemp.spi.CodecException;
import org.aemp.spi.FrameEncoder;

/**
 * An established connection to one node. Any thread may {@link #write}; messages go into a
 * many-producer, single-consumer array queue (Netty's, which allocates nothing per message once it
 * has grown to the link's usual backlog), and one flush task on the channel's event loop encodes
 * everything queued so far into one buffer and writes it with a single flush, so that a burst of
 * sends costs one system call and a quiet link adds no delay. Messages leave in the order they
 * were queued.
 *
 * <p>Liveness: every byte that arrives counts as a sign of life ({@link #received()}). A link
 * quiet for a third of the liveness timeout asks its peer for one, with the node-port request
 * {@code ["", "time", "<self>#", ""]}: every AEMP 2.02 node answers {@code ["", "", <time>]},
 * which is a no-op for the asker (Perl ignores the empty tag, and so does this node). A link quiet
 * for the whole timeout fails with {@code transport_error}. {@link #proveAlive} asks the same
 * question on demand, when a newer connection from the same node must be weighed against it.
 *
 * <p>Thread-safe; the liveness state is confined to the channel's event loop.
 */
final class Link {
    private static final int BATCH_BYTES = 64 * 1024;

    final Channel channel;
    final String node;
    final String framing;
    final Handshake.Peer peer;
    private final FrameEncoder encoder; // event loop only
    private final List<?> probe;
    private final long timeoutNanos;
    private final Queue<List<?>> outbox = PlatformDependent.newMpscQueue(); // consumer: the event loop
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable flush = this::flush;
    private volatile String failure;

    private long lastRead = System.nanoTime(); // event loop
    private ScheduledFuture<?> ticker; // event loop
    private List<Consumer<Boolean>> aliveWaiters; // event loop: waiting for a sign of life
    private long aliveAskedAt; // event loop
    private boolean silentSinceProof; // event loop: a proof went unanswered, and nothing arrived since

    /**
     * @param selfId this node's id, where the peer sends its answer to a liveness probe
     * @param livenessTimeout how long the link may stay silent
     */
    Link(Channel channel, Handshake.Peer peer, String selfId, Duration livenessTimeout) {
        this.channel = channel;
        this.peer = peer;
        this.node = peer.nodeId();
        this.framing = peer.send().name();
        this.encoder = peer.send().newEncoder();
        this.probe = List.of("", "time", selfId + "#", "");
        this.timeoutNanos = livenessTimeout.toNanos();
    }

    /** Starts watching for silence; called on the event loop once the link is up. */
    void startLiveness() {
        long interval = Math.max(1, timeoutNanos / 3);
        lastRead = System.nanoTime();
        ticker = channel.eventLoop().scheduleAtFixedRate(this::tick, interval, interval, TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(f -> ticker.cancel(false));
    }

    /** Bytes arrived from the peer (event loop). */
    void received() {
        lastRead = System.nanoTime();
        silentSinceProof = false;
        if (aliveWaiters != null) {
            answerAlive(true);
        }
    }

    private void tick() {
        long idle = System.nanoTime() - lastRead;
        if (idle >= timeoutNanos) {
            fail("no data from node " + SafeText.escape(node) + " for "
                    + TimeUnit.NANOSECONDS.toMillis(idle) + " ms: it is gone or hung (liveness timeout "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms)");
        } else if (idle >= timeoutNanos / 3) {
            write(probe);
        }
    }

    /**
     * Asks the peer for a sign of life and tells {@code result} (on the event loop) whether one
     * came within {@code within}: any byte that arrives after the question counts. A link that
     * left an earlier question unanswered and has heard nothing since is known to be silent: the
     * answer is then false at once, so that a node that reconnects waits for one proof, not for
     * one per step of its handshake or per attempt (each as long as its whole connect interval).
     */
    void proveAlive(Duration within, Consumer<Boolean> result) {
        channel.eventLoop().execute(() -> {
            if (!channel.isActive() || silentSinceProof) {
                result.accept(false);
                return;
            }
            if (aliveWaiters == null) {
                aliveWaiters = new ArrayList<>(1);
                aliveAskedAt = System.nanoTime();
                channel.eventLoop().schedule(() -> {
                    if (aliveWaiters != null && System.nanoTime() - aliveAskedAt >= within.toNanos()) {
                        answerAlive(false);
                    }
                }, within.toNanos(), TimeUnit.NANOSECONDS);
                write(probe);
            }
            aliveWaiters.add(result);
        });
    }

    private void answerAlive(boolean alive) {
        List<Consumer<Boolean>> waiters = aliveWaiters;
        aliveWaiters = null;
        silentSinceProof = !alive;
        for (Consumer<Boolean> w : waiters) {
            w.accept(alive);
        }
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
            fail("cannot encode a message for " + SafeText.escape(node) + " (" + framing + "): "
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
        return "link to " + SafeText.escape(node) + " (" + channel + ")";
    }
}
