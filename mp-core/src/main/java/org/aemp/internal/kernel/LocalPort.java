package org.aemp.internal.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

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
 * <p>An idle port is small (a node may hold a million): the mailbox queue, the tag table and the
 * monitor list are made when first needed, and the mailbox counts live in the port itself
 * ({@link MailboxLoad}).
 *
 * <p>Thread-safe. The fields marked "worker" are confined to the thread draining the mailbox.
 */
final class LocalPort extends MailboxLoad implements Runnable, Port {
    /** How many entries one turn handles before the worker is given back to the pool, for fairness. */
    private static final int BATCH = 256;
    private static final VarHandle MAILBOX;
    private static final VarHandle SCHEDULED;
    private static final VarHandle RARE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            MAILBOX = l.findVarHandle(LocalPort.class, "mailbox", ConcurrentLinkedQueue.class);
            SCHEDULED = l.findVarHandle(LocalPort.class, "scheduled", boolean.class);
            RARE = l.findVarHandle(LocalPort.class, "rare", Rare.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final String name;
    private final Kernel kernel;
    private volatile ConcurrentLinkedQueue<Object> mailbox; // made with the first entry
    private volatile boolean scheduled; // the token: set while a worker drains or is about to
    private volatile Map<String, PortHandler> tags; // made with the first tag
    private volatile PortHandler defaultReceiver;
    private volatile Rare rare; // made when first needed

    private List<MonitorAction.Entry> monitors; // guarded by this; made with the first monitor
    private boolean closed; // guarded by this: dead, its monitors taken to fire
    private volatile boolean dead;

    private Thread runner; // worker: the thread draining the mailbox now
    private String sourceNode = ""; // worker
    private Object attachment; // worker: the API's view of this port, made on first use

    LocalPort(Kernel kernel, String name, PortHandler defaultReceiver) {
        this.kernel = kernel;
        this.name = name;
        this.defaultReceiver = defaultReceiver;
    }

    @Override
    int busyMessages() {
        return kernel.mailboxBusyMessages();
    }

    @Override
    long busyBytes() {
        return kernel.mailboxBusyBytes();
    }

    private ConcurrentLinkedQueue<Object> queue() {
        ConcurrentLinkedQueue<Object> q = mailbox;
        if (q == null) {
            q = new ConcurrentLinkedQueue<>();
            if (!MAILBOX.compareAndSet(this, null, q)) {
                q = mailbox;
            }
        }
        return q;
    }

    private Rare rare() {
        Rare r = rare;
        if (r == null) {
            r = new Rare();
            if (!RARE.compareAndSet(this, null, r)) {
                r = rare;
            }
        }
        return r;
    }

    private List<Object> overflow() {
        Rare r = rare;
        return r == null ? null : r.overflow;
    }

    private void clearSelfKill() {
        Rare r = rare;
        if (r != null) {
            r.selfKill = null;
        }
    }

    private boolean takeToken() {
        return !scheduled && SCHEDULED.compareAndSet(this, false, true);
    }

    // ---- producers (any thread) ----

    /**
     * Queues a message from {@code source}. Dropped silently if the port is dead, as in AEMP.
     *
     * @param bytes its encoded size if it came from another node, else 0
     * @return true if the mailbox is busy now (over its threshold)
     */
    boolean deliver(String source, List<Object> message, int bytes, boolean inline) {
        if (dead || overflow() != null) {
            return false;
        }
        boolean busy = added(bytes);
        queue().offer(new Delivery(source, message, bytes));
        if (takeToken()) {
            if (inline && !busy) {
                run(); // idle: this thread runs the callback now (see NodeConfig.inlineCallbacks)
                busy = isBusy();
            } else {
                kernel.execute(this);
            }
        }
        Rare r = rare;
        int cap = r == null ? 0 : r.capacity;
        if (cap > 0 && messages() > cap && r.overflow == null) {
            r.overflow = List.of(Reasons.MAILBOX_OVERFLOW, messages() + " messages waiting, capacity " + cap);
            if (takeToken()) {
                kernel.execute(this);
            }
        }
        return busy;
    }

    /** Kills the port with {@code mailbox_overflow} once more than {@code messages} wait (0: no limit). */
    void capacity(int messages) {
        rare().capacity = messages;
    }

    /** Kills the port: after the running callback if called from it, else in mailbox order. */
    void kill(List<Object> reason) {
        if (runner == Thread.currentThread()) {
            Rare r = rare();
            if (r.selfKill == null) {
                r.selfKill = reason;
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
        if (dead && queue().remove(task)) {
            task.dropped(); // the port died while the task was being queued, after its mailbox was drained
        }
    }

    private void enqueue(Object entry) {
        queue().offer(entry);
        if (takeToken()) {
            kernel.execute(this);
        }
    }

    void setDefault(PortHandler receiver) {
        defaultReceiver = receiver;
    }

    void putTag(String tag, PortHandler receiver) {
        Map<String, PortHandler> t = tags;
        if (t == null) {
            synchronized (this) {
                t = tags;
                if (t == null) {
                    t = new ConcurrentHashMap<>(4);
                    tags = t;
                }
            }
        }
        t.put(tag, receiver);
    }

    void removeTag(String tag, PortHandler receiver) {
        Map<String, PortHandler> t = tags;
        if (t != null) {
            t.remove(tag, receiver);
        }
    }

    boolean hasReceivers() {
        Map<String, PortHandler> t = tags;
        return defaultReceiver != null || t != null && !t.isEmpty();
    }

    /** Adds a monitor; false if the port is already dead (the caller reports {@code no_such_port}). */
    synchronized boolean addMonitor(MonitorAction.Entry entry) {
        if (closed) {
            return false;
        }
        if (monitors == null) {
            monitors = new ArrayList<>(2);
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
        if (closed) {
            return false;
        }
        if (monitors == null) {
            monitors = new ArrayList<>(2);
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
        ConcurrentLinkedQueue<Object> queue = queue(); // made by the entry that scheduled this turn
        try {
            for (int i = 0; i < BATCH && !dead; i++) {
                List<Object> overflow = overflow();
                if (overflow != null) {
                    kernel.mailboxOverflowed(name, overflow);
                    die(overflow, null);
                    break;
                }
                Object entry = queue.poll();
                if (entry == null) {
                    break;
                }
                handle(entry);
                Rare r = rare;
                if (r != null && r.selfKill != null) {
                    List<Object> reason = r.selfKill;
                    r.selfKill = null;
                    die(reason, null);
                }
            }
        } finally {
            runner = null;
            scheduled = false;
            ConcurrentLinkedQueue<Object> q = mailbox;
            if (q != null && !q.isEmpty() && !dead && takeToken()) {
                kernel.execute(this);
            }
        }
    }

    private void handle(Object entry) {
        if (entry instanceof Delivery d) {
            sourceNode = d.source;
            removed(d.bytes);
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
        Map<String, PortHandler> t = tags;
        if (t != null && !t.isEmpty() && !message.isEmpty()) {
            String tag = Messages.tagOf(message.get(0));
            PortHandler tagged = tag == null ? null : t.get(tag);
            if (tagged != null) {
                tagged.receive(this, message.subList(1, message.size()));
                return;
            }
        }
        PortHandler receiver = defaultReceiver;
        if (receiver == null) {
            clearSelfKill();
            die(List.of(Reasons.UNHANDLED_MESSAGE,
                    "no callback found for message '" + Messages.describeTag(message) + "'"), null);
            return;
        }
        receiver.receive(this, message);
    }

    private void failed(Throwable t) {
        kernel.callbackFailed(this, t);
        clearSelfKill();
        die(Reasons.die(Messages.dieText(t)), t);
        if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
            throw (VirtualMachineError) t;
        }
    }

    /** The port's death: runs once, on the port's worker. */
    private void die(List<Object> reason, Throwable cause) {
        List<MonitorAction.Entry> fired;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            fired = monitors == null ? List.of() : monitors;
            monitors = null;
            dead = true;
        }
        ConcurrentLinkedQueue<Object> q = queue();
        for (Object entry; (entry = q.poll()) != null; ) {
            if (entry instanceof PortTask task) {
                task.dropped();
            }
        }
        cleared(); // links held back for this port read again
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

    /** What few ports need, kept out of the many idle ones. */
    private static final class Rare {
        volatile int capacity; // 0: none
        volatile List<Object> overflow; // set once the mailbox went over its capacity
        List<Object> selfKill; // worker: a kill issued by the running callback
    }

    /** A message in the mailbox. */
    private record Delivery(String source, List<Object> message, int bytes) {
    }

    /** A kill in the mailbox. */
    private record Kill(List<Object> reason) {
    }
}
