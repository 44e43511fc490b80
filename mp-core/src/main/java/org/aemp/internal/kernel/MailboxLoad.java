package org.aemp.internal.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * How full one port's mailbox is, in messages and in encoded bytes (bytes are known for messages
 * from other nodes), and whether it is <em>busy</em>: over either threshold. It turns ready again
 * once both are down to half, and then runs whatever waited for that (the network resuming the
 * links it stopped reading, {@code whenReady} callers).
 *
 * <p>The port extends this class rather than holding one: a node may have a million idle ports,
 * and this way the counts cost a few fields of the port instead of three objects of their own.
 * The thresholds are the node's, asked through {@link #busyMessages()} and {@link #busyBytes()}.
 *
 * <p>Thread-safe: producers add, the port's worker removes.
 */
abstract class MailboxLoad implements Backpressure {
    private static final VarHandle MESSAGES;
    private static final VarHandle BYTES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            MESSAGES = l.findVarHandle(MailboxLoad.class, "messages", int.class);
            BYTES = l.findVarHandle(MailboxLoad.class, "bytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int messages;
    private volatile long bytes;
    private volatile boolean busy;
    private List<Runnable> waiters; // guarded by this

    /** Messages waiting above which the mailbox is busy. */
    abstract int busyMessages();

    /** Bytes waiting above which the mailbox is busy. */
    abstract long busyBytes();

    /** A message was queued; true if the mailbox is busy now. */
    final boolean added(int size) {
        int m = (int) MESSAGES.getAndAdd(this, 1) + 1;
        long b = (long) BYTES.getAndAdd(this, (long) size) + size;
        if (!busy && (m > busyMessages() || b > busyBytes())) {
            synchronized (this) {
                busy = true;
            }
        }
        return busy;
    }

    /** A message left the mailbox. */
    final void removed(int size) {
        int m = (int) MESSAGES.getAndAdd(this, -1) - 1;
        long b = (long) BYTES.getAndAdd(this, (long) -size) - size;
        if (busy && m <= busyMessages() / 2 && b <= busyBytes() / 2) {
            ready(false);
        }
    }

    /** The mailbox was emptied at once (the port died): whoever waits may go on. */
    final void cleared() {
        messages = 0;
        bytes = 0;
        ready(true);
    }

    private void ready(boolean force) {
        List<Runnable> go;
        synchronized (this) {
            if (!busy || !force && (messages > busyMessages() / 2 || bytes > busyBytes() / 2)) {
                return;
            }
            busy = false;
            go = waiters;
            waiters = null;
        }
        if (go != null) {
            go.forEach(Runnable::run);
        }
    }

    final boolean isBusy() {
        return busy;
    }

    final int messages() {
        return messages;
    }

    final long bytes() {
        return bytes;
    }

    @Override
    public final void whenReady(Runnable ready) {
        synchronized (this) {
            if (busy) {
                if (waiters == null) {
                    waiters = new ArrayList<>(2);
                }
                waiters.add(ready);
                return;
            }
        }
        ready.run();
    }
}
