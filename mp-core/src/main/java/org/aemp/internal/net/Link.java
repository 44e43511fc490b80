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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Large messages between Java nodes: when both greetings announced the {@linkplain ChunkFraming
 * chunked framing}, a message whose frame is longer than the chunk size is cut out of the batch
 * and queued; the event loop sends it one chunk at a time, the next only once the socket has taken
 * the last, and sends whatever was batched meanwhile between two chunks, so a small message waits
 * for at most one chunk (and what the kernel holds) instead of the whole message. What may not
 * overtake a queued large message waits in the queue behind it: a message to a port that has one
 * queued, and every message to the node port, which waits for all large messages before it and
 * holds up everything sent after it until it is out (kills, monitors and requests keep their
 * place among the messages around them). Such waiting messages count in the backlog as any other.
 * On a link without the framing, nothing of this runs: every message goes out in the batch.
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

    private final int chunkSize; // above 0: the chunked framing runs on this link
    private final int largeAbove; // frames longer than this are sent in chunks (MAX_VALUE: never)
    private final int header; // bytes reserved for a STREAM header at the start of every buffer

    private final Object lock = new Object();
    private FrameEncoder encoder; // guarded by lock
    private final Object largeLock = new Object(); // taken before lock, never inside it
    private FrameEncoder largeEncoder; // guarded by largeLock: for messages that look large
    private ByteBuf batch; // guarded by lock: encoded, not yet handed to the socket
    private ByteBufOutputStream batchOut; // guarded by lock
    private long batchMessages; // guarded by lock
    private final List<ByteBuf> sealed = new ArrayList<>(1); // guarded by lock: batched bytes cut off before a large message
    private long sealedMessages; // guarded by lock
    private final ArrayDeque<Segment> queue = new ArrayDeque<>(); // guarded by lock: large messages and what waits for them
    private final Map<String, Integer> queuedPorts = new HashMap<>(); // guarded by lock: ports with something queued
    private int queuedBarriers; // guarded by lock: node-port messages queued
    private volatile long queued; // bytes in the queue
    private int nextId; // guarded by lock: the id of the next large message
    private boolean chunkInFlight; // event loop: a chunk is written and the socket has not taken it yet
    private List<CompletableFuture<Void>> drainWaiters; // event loop
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
        this.chunkSize = peer.chunkSize();
        this.largeAbove = chunkSize > 0 ? chunkSize : Integer.MAX_VALUE;
        this.header = chunkSize > 0 ? ChunkFraming.STREAM_HEADER : 0;
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
        if (chunkSize > 0 && looksLarge(message)) {
            return writeLarge(message, mode);
        }
        boolean schedule = false;
        String lost = null;
        Outcome outcome;
        synchronized (lock) {
            if (mode == Mode.TRY && busy) {
                counters.refusals.increment();
                return Outcome.REFUSED;
            }
            long before = batched + queued + pendingInSocket();
            // null: it may go out now; the liveness probe always may (only its answer counts, not its place)
            Segment behind = queue.isEmpty() || message == probe ? null : waitingSegment(message);
            ByteBuf buf;
            ByteBufOutputStream out;
            if (behind == null) {
                if (batch == null) {
                    batch = channel.alloc().ioBuffer();
                    batch.writerIndex(header);
                    batchOut = new ByteBufOutputStream(batch);
                }
                buf = batch;
                out = batchOut;
            } else {
                buf = behind.buf;
                out = behind.out;
            }
            int mark = buf.writerIndex();
            try {
                encoder.encode(message, out);
            } catch (IOException | RuntimeException e) {
                buf.writerIndex(mark);
                encoder = peer.send().newEncoder(); // the old one may be left mid-message
                String why = "cannot encode a message for " + SafeText.escape(node) + " (" + framing + "): "
                        + (e instanceof CodecException ? e.getMessage() : e.toString());
                if (mode != Mode.ACCEPTED) {
                    throw new IllegalArgumentException(why, e);
                }
                lost = why; // accepted earlier and now lost: the link fails, so its monitors fire
            }
            long size = buf.writerIndex() - mark;
            if (lost != null) {
                outcome = Outcome.OVERFLOW;
            } else if (before > 0 && before + size > limitBytes) {
                buf.writerIndex(mark);
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
                if (size > largeAbove) {
                    queueLarge(behind, mark, (int) size, portOf(message));
                } else if (behind != null) {
                    behind.add(portOf(message));
                    queued += size;
                } else {
                    batchMessages++;
                }
                batched = expressBytes();
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

    /**
     * True if one of the first elements of {@code message} alone is longer than a chunk: a string
     * or byte array, whatever the framing, encodes to at least a byte per character or byte. A
     * cheap look for the common shape of a large message (a few elements, one of them bulky);
     * a large message of another shape is found after encoding, as usual.
     */
    private boolean looksLarge(List<?> message) {
        for (int i = 1, n = Math.min(message.size(), 8); i < n; i++) {
            Object v = message.get(i);
            if (v instanceof String str ? str.length() > largeAbove : v instanceof byte[] b && b.length > largeAbove) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes a message that looks large: it is encoded on the caller's thread without the link's
     * lock, into a buffer of its own, with the link's second encoder (one large message at a time),
     * so that encoding megabytes holds up no small message (one sent meanwhile from another thread
     * goes first), and is queued whole, in chunks, under the lock. Same outcomes as {@link #write}.
     */
    private Outcome writeLarge(List<?> message, Mode mode) {
        if (mode == Mode.TRY && busy) {
            counters.refusals.increment();
            return Outcome.REFUSED;
        }
        ByteBuf frame = channel.alloc().ioBuffer();
        try {
            synchronized (largeLock) { // one large message at a time, beside the small ones
                if (largeEncoder == null) {
                    largeEncoder = peer.send().newEncoder();
                }
                try {
                    largeEncoder.encode(message, new ByteBufOutputStream(frame));
                } catch (IOException | RuntimeException e) {
                    largeEncoder = null; // it may be left mid-message
                    throw e;
                }
            }
        } catch (IOException | RuntimeException e) {
            frame.release();
            String why = "cannot encode a message for " + SafeText.escape(node) + " (" + framing + "): "
                    + (e instanceof CodecException ? e.getMessage() : e.toString());
            if (mode != Mode.ACCEPTED) {
                throw new IllegalArgumentException(why, e);
            }
            fail(why); // accepted earlier and now lost: the link fails, so its monitors fire
            return Outcome.OVERFLOW;
        }
        int size = frame.readableBytes();
        boolean schedule;
        String lost = null;
        synchronized (lock) {
            long before = batched + queued + pendingInSocket();
            if (before > 0 && before + size > limitBytes) {
                frame.release();
                if (mode == Mode.TRY) {
                    counters.refusals.increment();
                    return Outcome.REFUSED;
                }
                counters.overflows.increment();
                lost = "backlog limit reached: " + limitBytes + " bytes queued for node " + SafeText.escape(node)
                        + ", which does not read them fast enough (link_backlog_limit)";
                if (!overflowTold) {
                    overflowTold = true;
                    overflowed.accept(lost);
                }
                schedule = false;
            } else {
                String port = portOf(message);
                if (size > largeAbove) {
                    Segment large = new Segment(frame, nextId);
                    nextId = (nextId + 1) & Integer.MAX_VALUE;
                    queue.add(large);
                    large.add(port);
                    large.messages = 1;
                    queued += size;
                } else { // not large after all: it joins the others, in their buffer
                    Segment behind = queue.isEmpty() ? null : waitingSegment(message);
                    if (behind == null) {
                        if (batch == null) {
                            batch = channel.alloc().ioBuffer();
                            batch.writerIndex(header);
                            batchOut = new ByteBufOutputStream(batch);
                        }
                        batch.writeBytes(frame);
                        batchMessages++;
                    } else {
                        behind.buf.writeBytes(frame);
                        behind.add(port);
                        queued += size;
                    }
                    frame.release();
                }
                batched = expressBytes();
                accepted.incrementAndGet();
                counters.messagesOut.increment();
                schedule = !flushScheduled;
                flushScheduled = true;
                if (before + size > busyBytes) {
                    turnBusy();
                }
            }
        }
        if (lost != null) {
            fail(lost);
            return Outcome.OVERFLOW;
        }
        if (schedule) {
            try {
                channel.eventLoop().execute(flush);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                discardBatch();
            }
        }
        return Outcome.QUEUED;
    }

    /** The destination port's name; the empty name (the node port) for anything else. */
    private static String portOf(List<?> message) {
        return !message.isEmpty() && message.get(0) instanceof String s ? s : "";
    }

    /**
     * The queued segment {@code message} must wait in (lock held, queue not empty), or null if it
     * may overtake everything queued: it may, unless its port has something queued, or it goes to
     * the node port, or a node-port message is queued.
     */
    private Segment waitingSegment(List<?> message) {
        String port = portOf(message);
        if (queuedBarriers == 0 && !port.isEmpty() && !queuedPorts.containsKey(port)) {
            return null;
        }
        Segment tail = queue.peekLast();
        if (tail.out == null) { // a large message, or a segment already being sent
            tail = new Segment(channel.alloc().ioBuffer(), -1);
            queue.add(tail);
            queued += header;
        }
        return tail;
    }

    /**
     * Moves the large frame just encoded at {@code [mark, mark + size)} of the batch (if
     * {@code behind} is null) or of {@code behind} to the end of the queue (lock held). What was
     * encoded before it in the same buffer stays where it was, sealed: nothing more is added to it.
     */
    private void queueLarge(Segment behind, int mark, int size, String port) {
        ByteBuf whole = behind == null ? batch : behind.buf;
        ByteBuf frame = whole.retainedSlice(mark, size);
        if (behind == null) {
            if (mark > header) {
                sealed.add(whole.retainedSlice(0, mark));
                sealedMessages += batchMessages;
            }
            batchMessages = 0;
            batch = null;
            batchOut = null;
        } else {
            behind.buf = whole.retainedSlice(0, mark);
            behind.out = null;
        }
        whole.release();
        Segment large = new Segment(frame, nextId);
        nextId = (nextId + 1) & Integer.MAX_VALUE;
        queue.add(large);
        large.add(port);
        large.messages = 1;
        queued += size;
    }

    /** Bytes batched and not handed to the socket yet (lock held). */
    private long expressBytes() {
        long n = batch == null ? 0 : batch.readableBytes();
        for (int i = 0; i < sealed.size(); i++) { // no iterator: this runs for every message
            n += sealed.get(i).readableBytes();
        }
        return n;
    }

    /**
     * A piece of the queue: a large message sent in chunks, or messages that wait for one (a STREAM
     * record, open for more until it is sealed).
     */
    private final class Segment {
        ByteBuf buf;
        ByteBufOutputStream out; // null once sealed, and always for a large message
        final int id; // a large message's id, -1 for waiting messages
        int sent; // a large message's bytes written so far
        long messages;
        final List<String> ports = new ArrayList<>(1);

        /** A large message's frame if {@code id >= 0}; else an empty buffer for waiting messages. */
        Segment(ByteBuf buf, int id) {
            this.buf = buf;
            this.id = id;
            if (id < 0) {
                buf.writerIndex(header);
                this.out = new ByteBufOutputStream(buf);
            }
        }

        boolean isLarge() {
            return id >= 0;
        }

        /** Counts a message to {@code port} in this segment (lock held). */
        void add(String port) {
            if (!isLarge()) {
                messages++;
            }
            ports.add(port);
            if (port.isEmpty()) {
                queuedBarriers++;
            } else {
                queuedPorts.merge(port, 1, Integer::sum);
            }
        }

        /** The segment has left the queue: its ports no longer hold anything up (lock held). */
        void leave() {
            for (String port : ports) {
                if (port.isEmpty()) {
                    queuedBarriers--;
                } else {
                    queuedPorts.computeIfPresent(port, (k, n) -> n == 1 ? null : n - 1);
                }
            }
        }
    }

    private long pendingInSocket() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /** Bytes encoded for this link and not yet taken by the socket. */
    long backlog() {
        return batched + queued + pendingInSocket();
    }

    /** True if the backlog is above the busy threshold. */
    boolean isBusy() {
        return busy;
    }

    /** True if this link runs the {@linkplain ChunkFraming chunked framing}. */
    boolean chunked() {
        return chunkSize > 0;
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
        if (channel.isWritable() && batched + queued <= busyBytes / 2) {
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

    /**
     * On the event loop: hands what is batched to the socket, then the queue's waiting messages and
     * the next chunk of a large message, unless a chunk is still with the socket, and flushes once.
     */
    private void flush() {
        boolean wrote = false;
        while (true) {
            ByteBuf b;
            long n;
            long nCut;
            List<ByteBuf> cut = null;
            Segment next = null;
            int from = 0;
            int len = 0;
            boolean last = false;
            synchronized (lock) {
                b = batch;
                n = batchMessages;
                nCut = sealedMessages;
                if (!sealed.isEmpty()) {
                    cut = new ArrayList<>(sealed);
                    sealed.clear();
                }
                batch = null;
                batchOut = null;
                batchMessages = 0;
                sealedMessages = 0;
                batched = 0;
                flushScheduled = false;
                if (!chunkInFlight && !queue.isEmpty()) {
                    next = queue.peek();
                    if (!next.isLarge()) {
                        queue.poll();
                        next.out = null;
                        next.leave();
                        queued -= next.buf.readableBytes();
                    } else {
                        from = next.sent;
                        len = Math.min(chunkSize, next.buf.readableBytes() - from);
                        next.sent += len;
                        queued -= len;
                        last = next.sent == next.buf.readableBytes();
                        if (last) {
                            queue.poll();
                            next.leave();
                        }
                    }
                }
            }
            if (!channel.isActive()) { // lost: the link's monitors fire when it is reported down
                if (b != null) {
                    b.release();
                }
                if (cut != null) {
                    cut.forEach(ByteBuf::release);
                }
                if (next != null && (!next.isLarge() || last)) { // out of the queue: ours to release
                    next.buf.release();
                }
                discardBatch();
                return;
            }
            if (cut != null) {
                for (ByteBuf c : cut) {
                    wrote |= send(c, nCut); // the count goes with the first piece
                    nCut = 0;
                }
            }
            wrote |= send(b, n);
            if (next == null) {
                break;
            }
            if (!next.isLarge()) {
                wrote |= send(next.buf, next.messages);
                continue;
            }
            ByteBuf head = ChunkFraming.chunkHeader(channel.alloc(), from == 0, next.id, next.buf.readableBytes(), len);
            counters.bytesOut.add(head.readableBytes() + len);
            channel.write(head);
            ByteBuf chunk = next.buf.retainedSlice(from, len);
            if (last) {
                next.buf.release();
            }
            chunkInFlight = true;
            wrote = true;
            boolean whole = last;
            channel.write(chunk).addListener(f -> {
                chunkInFlight = false;
                if (f.isSuccess() && whole) {
                    written.incrementAndGet();
                }
                flush();
            });
            break;
        }
        if (wrote) {
            channel.flush();
        }
        if (busy && channel.isWritable() && batched + queued <= busyBytes / 2) {
            turnReady();
        }
        if (drainWaiters != null && !chunkInFlight && queueEmpty()) {
            List<CompletableFuture<Void>> waiting = drainWaiters;
            drainWaiters = null;
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(x -> waiting.forEach(d -> d.complete(null)));
        }
    }

    /** Writes a STREAM buffer (not flushed); false if there was nothing in it. Event loop. */
    private boolean send(ByteBuf b, long messages) {
        if (b == null) {
            return false;
        }
        if (b.readableBytes() <= header) {
            b.release();
            return false;
        }
        if (header > 0) {
            ChunkFraming.fillStreamHeader(b);
        }
        counters.bytesOut.add(b.readableBytes());
        channel.write(b).addListener(f -> {
            if (f.isSuccess()) {
                written.addAndGet(messages);
            }
        });
        return true;
    }

    private boolean queueEmpty() {
        synchronized (lock) {
            return queue.isEmpty();
        }
    }

    /** Lets go of everything not handed to the socket yet (the link is gone, or the network closed). */
    private void discardBatch() {
        synchronized (lock) {
            if (batch != null) {
                batch.release();
                batch = null;
                batchOut = null;
                batchMessages = 0;
            }
            sealed.forEach(ByteBuf::release);
            sealed.clear();
            sealedMessages = 0;
            batched = 0;
            for (Segment s; (s = queue.poll()) != null; ) {
                s.leave();
                s.buf.release();
            }
            queued = 0;
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
                if (chunkInFlight || !queueEmpty()) { // completed when the last chunk is taken
                    if (drainWaiters == null) {
                        drainWaiters = new ArrayList<>(1);
                    }
                    drainWaiters.add(done);
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
            if (drainWaiters != null) {
                drainWaiters.forEach(d -> d.complete(null));
                drainWaiters = null;
            }
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
