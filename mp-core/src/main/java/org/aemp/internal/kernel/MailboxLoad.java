package org.aemp.internal.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How full one port's mailbox is, in messages and in encoded bytes (bytes are known for messages
 * from other nodes), and whether it is <em>busy</em>: over either threshold. It turns ready again
 * once both are down to half, and then runs whatever waited for that (the network resuming the
 * links it stopped reading, {@code whenReady} callers).
 *
 * <p>Thread-safe: producers add, the port's worker removes.
 */
final class MailboxLoad implements Backpressure {
    private final int busyMessages;
    private final long busyBytes;
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private volatile boolean busy;
    private List<Runnable> waiters; // guarded by this

    MailboxLoad(int busyMessages, long busyBytes) {
        this.busyMessages = busyMessages;
        this.busyBytes = busyBytes;
    }

    /** A message was queued; true if the mailbox is busy now. */
    boolean added(int size) {
        int m = messages.incrementAndGet();
        long b = bytes.addAndGet(size);
        if (!busy && (m > busyMessages || b > busyBytes)) {
            synchronized (this) {
                busy = true;
            }
        }
        return busy;
    }

    /** A message left the mailbox. */
    void removed(int size) {
        int m = messages.decrementAndGet();
        long b = bytes.addAndGet(-size);
        if (busy && m <= busyMessages / 2 && b <= busyBytes / 2) {
            ready(false);
        }
    }

    /** The mailbox was emptied at once (the port died): whoever waits may go on. */
    void cleared() {
        messages.set(0);
        bytes.set(0);
        ready(true);
    }

    private void ready(boolean force) {
        List<Runnable> go;
        synchronized (this) {
            if (!busy || !force && (messages.get() > busyMessages / 2 || bytes.get() > busyBytes / 2)) {
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

    boolean isBusy() {
        return busy;
    }

    int messages() {
        return messages.get();
    }

    long bytes() {
        return bytes.get();
    }

    @Override
    public void whenReady(Runnable ready) {
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
