package org.aemp.internal.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.aemp.internal.SafeText;
import org.aemp.spi.CodecException;
import org.aemp.spi.FrameEncoder;

/**
 * An established connection to one node.
 *
 * <p>Sending: any thread may {@link #write}. The message is encoded at once, on the caller's
 * thread, into the link's batch buffer under the link's lock (so a bad message is refused at the
 * call, and messages leave in the order they were written), and one flush task on the channel's
 * event loop hands everything batched so far to the socket with a single flush, so that a burst of
 * sends costs one system call and a quiet link adds no delay.
 *
 * <p>Flow control: the backlog is every byte encoded and not yet taken by the socket (the batch
 * plus Netty's outbound buffer), counted exactly. Above the busy threshold the link is
 * <em>busy</em> ({@link #isBusy}): {@code trySend} refuses, and {@link #whenReady} waits until the
 * backlog is down to half of it again. At the hard limit a plain send fails the link, so its
 * monitors fire: a message is never dropped quietly. One message is always taken into an empty
 * backlog, however large.
 *
 * <p>Liveness: every byte that arrives counts as a sign of life ({@link #received()}). A link
 * quiet for a third of the liveness timeout asks its peer for one, with the node-port request
 * {@code ["", "time", "<self>#", ""]}: every AEMP 2.02 node answers {@code ["", "", <time>]},
 * which is a no-op for the asker (Perl ignores the empty tag, and so does this node). A link quiet
 * for the whole timeout fails with {@code transport_error}, unless it is held back for a busy
 * mailbox (it is not reading, so its silence says nothing about the peer): then it keeps asking,
 * and the timeout counts again once it reads. {@link #proveAlive} asks the same
 * question on demand, when a newer connection from the same node must be weighed against it.
 *
 * <p>Thread-safe; the liveness state is confined to the channel's event loop.
 */
final class Link {
    /** What became of a message given to {@link #write}. */
    enum Outcome {
        /** Encoded and queued. */
        QUEUED,
        /** Not queued: the link is busy ({@link Mode#TRY} only). */
        REFUSED,
        /** Not queued, and the link fails: the backlog limit was reached ({@link Mode#SEND}). */
        OVERFLOW
    }

    /** How {@link #write} treats a full link and a message it cannot encode. */
    enum Mode {
        /** A plain send: taken even when busy; at the hard limit the link fails; a bad message throws. */
        SEND,
        /** trySend: refused when busy or at the hard limit; a bad message throws. */
        TRY,
        /** A message accepted earlier (queued while connecting, or the node's own): a bad one fails the link. */
        ACCEPTED
    }

    /**
     * The sizes that govern a link.
     *
     * @param liveness how long the link may stay silent
     * @param busyBytes the backlog above which the link is busy
     * @param limitBytes the backlog at which a plain send fails the link
     */
    record Limits(Duration liveness, long busyBytes, long limitBytes) {
    }

    final Channel channel;
    final String node;
    final String framing;
    final Handshake.Peer peer;
    final LinkCounters counters;
    private final List<?> probe;
    private final long timeoutNanos;
    private final long busyBytes;
    private final long limitBytes;
    private final Consumer<Boolean> busyChanged;
    private final Consumer<String> overflowed;

    private final Object lock = new Object();
    private FrameEncoder encoder; // guarded by lock
    private ByteBuf batch; // guarded by lock: encoded, not yet handed to the socket
    private ByteBufOutputStream batchOut; // guarded by lock
    private long batchMessages; // guarded by lock
    private boolean flushScheduled; // guarded by lock
    private boolean overflowTold; // guarded by lock
    private volatile long batched; // bytes in the batch
    private volatile boolean busy;
    private final List<Runnable> readyWaiters = new ArrayList<>(); // guarded by lock
    private final AtomicLong accepted = new AtomicLong(); // messages queued on this link
    private final AtomicLong written = new AtomicLong(); // messages the socket took
    private final Runnable flush = this::flush;
    private volatile String failure;

    private long lastRead = System.nanoTime(); // event loop
    private ScheduledFuture<?> ticker; // event loop
    private List<Consumer<Boolean>> aliveWaiters; // event loop: waiting for a sign of life
    private long aliveAskedAt; // event loop
    private boolean silentSinceProof; // event loop: a proof went unanswered, and nothing arrived since

    /**
     * @param selfId this node's id, where the peer sends its answer to a liveness probe
     * @param busyChanged told when the link turns busy (true) or ready (false), under the link's
     *     lock so that the calls come in the order of the changes: it must only hand off
     * @param overflowed told why, when a send hits the backlog limit, before the link fails (so that
     *     the overflow is told before the down it causes); under the link's lock: it must only hand off
     */
    Link(Channel channel, Handshake.Peer peer, String selfId, Limits limits, LinkCounters counters,
            Consumer<Boolean> busyChanged, Consumer<String> overflowed) {
        this.channel = channel;
        this.peer = peer;
        this.node = peer.nodeId();
        this.framing = peer.send().name();
        this.encoder = peer.send().newEncoder();
        this.counters = counters;
        this.probe = List.of("", "time", selfId + "#", "");
        this.timeoutNanos = limits.liveness().toNanos();
        this.busyBytes = limits.busyBytes();
        this.limitBytes = limits.limitBytes();
        this.busyChanged = busyChanged;
        this.overflowed = overflowed;
        int high = (int) Math.min(Integer.MAX_VALUE, busyBytes);
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(Math.max(1, high / 2), Math.max(1, high)));
    }

    // ---- sending (any thread) ----

    /**
     * Encodes {@code message} ({@code [port name, elements...]}) and queues it; never blocks.
     *
     * @throws IllegalArgumentException in modes {@link Mode#SEND} and {@link Mode#TRY}, if the
     *     message cannot be encoded in this link's framing (nothing is queued; the link goes on)
     */
    Outcome write(List<?> message, Mode mode) {
        boolean schedule = false;
        String lost = null;
        Outcome outcome;
        synchronized (lock) {
            if (mode == Mode.TRY && busy) {
                counters.refusals.increment();
                return Outcome.REFUSED;
            }
            long before = batched + pendingInSocket();
            if (batch == null) {
                batch = channel.alloc().ioBuffer();
                batchOut = new ByteBufOutputStream(batch);
            }
            int mark = batch.writerIndex();
            try {
                encoder.encode(message, batchOut);
            } catch (IOException | RuntimeException e) {
                batch.writerIndex(mark);
                encoder = peer.send().newEncoder(); // the old one may be left mid-message
                String why = "cannot encode a message for " + SafeText.escape(node) + " (" + framing + "): "
                        + (e instanceof CodecException ? e.getMessage() : e.toString());
                if (mode != Mode.ACCEPTED) {
                    throw new IllegalArgumentException(why, e);
                }
                lost = why; // accepted earlier and now lost: the link fails, so its monitors fire
            }
            long size = batch.writerIndex() - mark;
            if (lost != null) {
                outcome = Outcome.OVERFLOW;
            } else if (before > 0 && before + size > limitBytes) {
                batch.writerIndex(mark);
                if (mode == Mode.TRY) {
                    counters.refusals.increment();
                    return Outcome.REFUSED;
                }
                counters.overflows.increment();
                outcome = Outcome.OVERFLOW;
                lost = "backlog limit reached: " + limitBytes + " bytes queued for node " + SafeText.escape(node)
                        + ", which does not read them fast enough (link_backlog_limit)";
                if (!overflowTold) { // once: the sends that follow into the failing link are the same overflow
                    overflowTold = true;
                    overflowed.accept(lost);
                }
            } else {
                batched = batch.readableBytes();
                batchMessages++;
                accepted.incrementAndGet();
                counters.messagesOut.increment();
                outcome = Outcome.QUEUED;
                schedule = !flushScheduled;
                flushScheduled = true;
                if (before + size > busyBytes) {
                    turnBusy();
                }
            }
        }
        if (lost != null) {
            fail(lost);
        } else if (schedule) {
            try {
                channel.eventLoop().execute(flush);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                discardBatch(); // the node's network is closed: nothing goes out any more
            }
        }
        return outcome;
    }

    private long pendingInSocket() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /** Bytes encoded for this link and not yet taken by the socket. */
    long backlog() {
        return batched + pendingInSocket();
    }

    /** True if the backlog is above the busy threshold. */
    boolean isBusy() {
        return busy;
    }

    /** Runs {@code r} (on any thread) once the link is not busy; at once if it is not. */
    void whenReady(Runnable r) {
        synchronized (lock) {
            if (busy) {
                readyWaiters.add(r);
                return;
            }
        }
        r.run();
    }

    /**
     * Marks the link busy and tells {@code busyChanged}, if it was not (lock held: told outside it,
     * a busy could overtake the ready that followed it, leaving listeners with the wrong state).
     */
    private void turnBusy() {
        if (busy) {
            return;
        }
        busy = true;
        counters.busy(true, System.nanoTime());
        busyChanged.accept(true);
    }

    /** The socket's writability changed (event loop): perhaps the link is ready again. */
    void writabilityChanged() {
        if (channel.isWritable() && batched <= busyBytes / 2) {
            turnReady();
        } else if (!channel.isWritable()) {
            synchronized (lock) {
                turnBusy();
            }
        }
    }

    private void turnReady() {
        List<Runnable> waiting;
        synchronized (lock) {
            if (!busy) {
                return;
            }
            busy = false;
            counters.busy(false, System.nanoTime());
            busyChanged.accept(false);
            waiting = new ArrayList<>(readyWaiters);
            readyWaiters.clear();
        }
        waiting.forEach(Runnable::run);
    }

    private void flush() {
        ByteBuf b;
        long n;
        synchronized (lock) {
            b = batch;
            n = batchMessages;
            batch = null;
            batchOut = null;
            batchMessages = 0;
            batched = 0;
            flushScheduled = false;
        }
        if (b == null) {
            return;
        }
        if (!channel.isActive()) {
            b.release(); // lost: the link's monitors fire when it is reported down
            return;
        }
        counters.bytesOut.add(b.readableBytes());
        channel.writeAndFlush(b).addListener(f -> {
            if (f.isSuccess()) {
                written.addAndGet(n);
            }
        });
        if (busy && channel.isWritable()) {
            turnReady();
        }
    }

    private void discardBatch() {
        synchronized (lock) {
            if (batch != null) {
                batch.release();
                batch = null;
                batchOut = null;
                batchMessages = 0;
                batched = 0;
            }
            flushScheduled = false;
        }
    }

    /** Messages queued on this link that the socket has not taken (yet). */
    long unsent() {
        return accepted.get() - written.get();
    }

    /**
     * Hands everything queued to the socket and completes once the socket has taken it (or the
     * link is gone). Any thread.
     */
    CompletableFuture<Void> drain() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            channel.eventLoop().execute(() -> {
                flush();
                if (!channel.isActive()) {
                    done.complete(null);
                    return;
                }
                ChannelFuture f = channel.writeAndFlush(Unpooled.EMPTY_BUFFER);
                f.addListener(x -> done.complete(null));
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.complete(null);
        }
        return done;
    }

    // ---- liveness (event loop) ----

    /** Starts watching for silence; called on the event loop once the link is up. */
    void startLiveness() {
        long interval = Math.max(1, timeoutNanos / 3);
        lastRead = System.nanoTime();
        ticker = channel.eventLoop().scheduleAtFixedRate(this::tick, interval, interval, TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(f -> {
            ticker.cancel(false);
            discardBatch();
            List<Runnable> waiting;
            synchronized (lock) {
                waiting = new ArrayList<>(readyWaiters);
                readyWaiters.clear();
            }
            waiting.forEach(Runnable::run); // a lost link is not busy any more: its node reconnects
        });
    }

    /** Bytes arrived from the peer (event loop). */
    void received(int bytes) {
        lastRead = System.nanoTime();
        counters.bytesIn.add(bytes);
        silentSinceProof = false;
        if (aliveWaiters != null) {
            answerAlive(true);
        }
    }

    private void tick() {
        long idle = System.nanoTime() - lastRead;
        // a link held back (not reading, for a busy mailbox) hears nothing because it does not
        // listen: that silence is ours, so it only asks; once it reads again, silence counts
        if (idle >= timeoutNanos && channel.config().isAutoRead()) {
            fail("no data from node " + SafeText.escape(node) + " for "
                    + TimeUnit.NANOSECONDS.toMillis(idle) + " ms: it is gone or hung (liveness timeout "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms)");
        } else if (idle >= timeoutNanos / 3) {
            write(probe, Mode.ACCEPTED);
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
                write(probe, Mode.ACCEPTED);
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

    // ---- closing ----

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
