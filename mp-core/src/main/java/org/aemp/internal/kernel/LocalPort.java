package org.aemp.internal.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One local port: its receivers, its mailbox and its monitors.
 *
 * <p>The mailbox is many-producer, single-consumer: any thread may {@link #deliver} or
 * {@link #kill}, and at most one worker drains it at a time ({@code scheduled} is the token), so
 * the port's callbacks never overlap and entries from one producer are handled in the order they
 * were added. A kill is an entry like a message, so "send, then kill" from one sender keeps its
 * order, as Erlang keeps the order of messages and exit signals between two processes. A kill
 * issued by the port's own running callback takes effect as soon as that callback returns.
 *
 * <p>Thread-safe. The fields marked "worker" are confined to the thread draining the mailbox.
 */
final class LocalPort implements Runnable, Port {
    /** How many entries one turn handles before the worker is given back to the pool, for fairness. */
    private static final int BATCH = 256;

    final String name;
    private final Kernel kernel;
    private final ConcurrentLinkedQueue<Object> mailbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Map<String, PortHandler> tags = new ConcurrentHashMap<>(4);
    private volatile PortHandler defaultReceiver;
    final MailboxLoad load;
    private volatile int capacity; // 0: none
    private volatile List<Object> overflow; // set once the mailbox went over its capacity

    private List<MonitorAction.Entry> monitors = new ArrayList<>(2); // guarded by this; null once dead
    private volatile boolean dead;

    private Thread runner; // worker: the thread draining the mailbox now
    private String sourceNode = ""; // worker
    private List<Object> selfKill; // worker: a kill issued by the running callback
    private Object attachment; // worker: the API's view of this port, made on first use

    LocalPort(Kernel kernel, String name, PortHandler defaultReceiver, MailboxLoad load) {
        this.kernel = kernel;
        this.name = name;
        this.defaultReceiver = defaultReceiver;
        this.load = load;
    }

    // ---- producers (any thread) ----

    /**
     * Queues a message from {@code source}. Dropped silently if the port is dead, as in AEMP.
     *
     * @param bytes its encoded size if it came from another node, else 0
     * @return true if the mailbox is busy now (over its threshold)
     */
    boolean deliver(String source, List<Object> message, int bytes) {
        if (dead || overflow != null) {
            return false;
        }
        enqueue(new Delivery(source, message, bytes));
        boolean busy = load.added(bytes);
        int cap = capacity;
        if (cap > 0 && load.messages() > cap && overflow == null) {
            overflow = List.of(Reasons.MAILBOX_OVERFLOW, load.messages() + " messages waiting, capacity " + cap);
            if (scheduled.compareAndSet(false, true)) {
                kernel.execute(this);
            }
        }
        return busy;
    }

    /** Kills the port with {@code mailbox_overflow} once more than {@code messages} wait (0: no limit). */
    void capacity(int messages) {
        capacity = messages;
    }

    /** Kills the port: after the running callback if called from it, else in mailbox order. */
    void kill(List<Object> reason) {
        if (runner == Thread.currentThread()) {
            if (selfKill == null) {
                selfKill = reason;
            }
        } else if (!dead) {
            enqueue(new Kill(reason));
        }
    }

    /** Queues a block to run in this port's context; if the port dies first, it is told instead. */
    void execute(PortTask task) {
        if (dead) {
            task.dropped();
            return;
        }
        enqueue(task);
        if (dead && mailbox.remove(task)) {
            task.dropped(); // the port died while the task was being queued, after its mailbox was drained
        }
    }

    private void enqueue(Object entry) {
        mailbox.offer(entry);
        if (scheduled.compareAndSet(false, true)) {
            kernel.execute(this);
        }
    }

    void setDefault(PortHandler receiver) {
        defaultReceiver = receiver;
    }

    void putTag(String tag, PortHandler receiver) {
        tags.put(tag, receiver);
    }

    void removeTag(String tag, PortHandler receiver) {
        tags.remove(tag, receiver);
    }

    boolean hasReceivers() {
        return defaultReceiver != null || !tags.isEmpty();
    }

    /** Adds a monitor; false if the port is already dead (the caller reports {@code no_such_port}). */
    synchronized boolean addMonitor(MonitorAction.Entry entry) {
        if (monitors == null) {
            return false;
        }
        monitors.add(entry);
        return true;
    }

    synchronized void removeMonitor(MonitorAction.Entry entry) {
        if (monitors != null) {
            monitors.remove(entry);
        }
    }

    /** Removes the watch of remote {@code node} (its {@code mon0}). */
    synchronized void removeRemoteWatch(String node) {
        if (monitors != null) {
            monitors.removeIf(e -> e.action instanceof MonitorAction.RemoteWatch w && w.node().equals(node));
        }
    }

    /** Adds the watch of remote {@code node} once, however many {@code mon1} it sends. */
    synchronized boolean addRemoteWatch(String node) {
        if (monitors == null) {
            return false;
        }
        for (MonitorAction.Entry e : monitors) {
            if (e.action instanceof MonitorAction.RemoteWatch w && w.node().equals(node)) {
                return true;
            }
        }
        monitors.add(new MonitorAction.Entry(new MonitorAction.RemoteWatch(node)));
        return true;
    }

    boolean isDead() {
        return dead;
    }

    // ---- the consumer (one worker at a time) ----

    @Override
    public void run() {
        runner = Thread.currentThread();
        try {
            for (int i = 0; i < BATCH && !dead; i++) {
                if (overflow != null) {
                    kernel.mailboxOverflowed(name, overflow);
                    die(overflow, null);
                    break;
                }
                Object entry = mailbox.poll();
                if (entry == null) {
                    break;
                }
                handle(entry);
                if (selfKill != null) {
                    List<Object> reason = selfKill;
                    selfKill = null;
                    die(reason, null);
                }
            }
        } finally {
            runner = null;
            scheduled.set(false);
            if (!mailbox.isEmpty() && !dead && scheduled.compareAndSet(false, true)) {
                kernel.execute(this);
            }
        }
    }

    private void handle(Object entry) {
        if (entry instanceof Delivery d) {
            sourceNode = d.source;
            load.removed(d.bytes);
            try {
                dispatch(d.message);
            } catch (Throwable t) {
                failed(t);
            }
        } else if (entry instanceof Kill k) {
            die(k.reason, null);
        } else {
            sourceNode = kernel.nodeId();
            try {
                ((PortTask) entry).run(this);
            } catch (Throwable t) {
                failed(t);
            }
        }
    }

    private void dispatch(List<Object> message) throws Exception {
        if (!tags.isEmpty() && !message.isEmpty()) {
            String tag = Messages.tagOf(message.get(0));
            PortHandler tagged = tag == null ? null : tags.get(tag);
            if (tagged != null) {
                tagged.receive(this, message.subList(1, message.size()));
                return;
            }
        }
        PortHandler receiver = defaultReceiver;
        if (receiver == null) {
            selfKill = null;
            die(List.of(Reasons.UNHANDLED_MESSAGE,
                    "no callback found for message '" + Messages.describeTag(message) + "'"), null);
            return;
        }
        receiver.receive(this, message);
    }

    private void failed(Throwable t) {
        kernel.callbackFailed(this, t);
        selfKill = null;
        die(Reasons.die(Messages.dieText(t)), t);
        if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
            throw (VirtualMachineError) t;
        }
    }

    /** The port's death: runs once, on the port's worker. */
    private void die(List<Object> reason, Throwable cause) {
        List<MonitorAction.Entry> fired;
        synchronized (this) {
            if (monitors == null) {
                return;
            }
            fired = monitors;
            monitors = null;
            dead = true;
        }
        for (Object entry; (entry = mailbox.poll()) != null; ) {
            if (entry instanceof PortTask task) {
                task.dropped();
            }
        }
        load.cleared(); // links held back for this port read again
        kernel.portDied(this, reason, fired, cause);
    }

    // ---- Port ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public String sourceNode() {
        return sourceNode;
    }

    @Override
    public Runnable psub(Runnable block) {
        return () -> execute(port -> block.run());
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    /** The port's id, {@code node#name}, for logs. */
    String qualifiedName() {
        return kernel.nodeId() + "#" + name;
    }

    @Override
    public String toString() {
        return "port " + qualifiedName();
    }

    /** A message in the mailbox. */
    private record Delivery(String source, List<Object> message, int bytes) {
    }

    /** A kill in the mailbox. */
    private record Kill(List<Object> reason) {
    }
}
