package org.aemp.internal.kernel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.aemp.AempException;
import org.aemp.DownHandler;
import org.aemp.Guard;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.NodeStats;
import org.aemp.PortDownException;
import org.aemp.PortId;
import org.aemp.Receiver;
import org.aemp.internal.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local half of a node: the port table, delivery, kills, monitors, spawn, call and timers. It
 * knows other nodes only through {@link Remote}, and the network knows it only through
 * {@link #deliver}, {@link #nodeDown} and {@link #remoteKilled}.
 *
 * <p>Thread-safe. No method blocks; user code runs only on the worker pool.
 */
public final class Kernel implements Inbound {
    private static final Logger log = LoggerFactory.getLogger(Kernel.class);
    static final Logger TRACE = LoggerFactory.getLogger("org.aemp.trace");

    /** The node-port tag of a spawn request, as AEMP 2.02 sends it. */
    public static final String SPAWN = "AnyEvent::MP::_spawn";

    private final Node node;
    private final String id;
    private final PortNames names;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final Map<String, LocalPort> ports = new ConcurrentHashMap<>();
    private final RemoteMonitors remoteMonitors = new RemoteMonitors();
    private final Functions functions = new Functions();
    private final NodePortHandler nodePort;
    private volatile Remote remote = Remote.NONE;
    private volatile Predicate<Class<?>> extraTypes = type -> false;
    private volatile boolean closing;
    private final int mailboxBusyMessages;
    private final long mailboxBusyBytes;

    /**
     * @param node the public face of this node, handed to callbacks
     * @param id the expanded node id
     * @param names the port-name source for this node
     * @param workerThreads how many threads run callbacks
     * @param secure refuse remote function calls other than spawns of registered functions
     * @param mailboxBusyMessages messages waiting in one mailbox above which it is busy
     * @param mailboxBusyBytes bytes (of messages from other nodes) waiting in one mailbox above which it is busy
     */
    public Kernel(Node node, String id, PortNames names, int workerThreads, boolean secure, int mailboxBusyMessages,
            long mailboxBusyBytes) {
        this.node = node;
        this.id = id;
        this.names = names;
        this.mailboxBusyMessages = mailboxBusyMessages;
        this.mailboxBusyBytes = mailboxBusyBytes;
        this.workers = new ForkJoinPool(workerThreads, workerFactory(id), null, true);
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "aemp-" + id + "-timer");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        this.nodePort = new NodePortHandler(this, secure);
    }

    private static ForkJoinPool.ForkJoinWorkerThreadFactory workerFactory(String id) {
        AtomicInteger n = new AtomicInteger();
        return pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("aemp-" + id + "-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public Node node() {
        return node;
    }

    public String nodeId() {
        return id;
    }

    public ExecutorService workers() {
        return workers;
    }

    /** Runs {@code task} on a worker; once the node is closed, drops it instead of failing the caller. */
    void execute(Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("node {} is closed: task dropped", id);
        }
    }

    public ScheduledExecutorService timer() {
        return timer;
    }

    public Functions functions() {
        return functions;
    }

    public NodePortHandler nodePort() {
        return nodePort;
    }

    /** Attaches the network. */
    public void attach(Remote remote) {
        this.remote = remote;
    }

    /** Value types beyond the plain ones that some codec can carry (see {@code Codec.canEncode}). */
    public void allowTypes(Predicate<Class<?>> extraTypes) {
        this.extraTypes = extraTypes;
    }

    public Remote remote() {
        return remote;
    }

    // ---- ports ----

    /** AEMP {@code port}: a new local port with this default receiver (null: none). */
    public PortId newPort(Receiver defaultReceiver) {
        PortId port = new PortId(id, names.newLocalName());
        ports.put(port.name(), newLocalPort(port, defaultReceiver));
        return port;
    }

    /** AEMP {@code rcv $port, $cb}: replaces the default receiver, creating the port if needed. */
    public void receive(PortId port, Receiver receiver) {
        livePort(port).setDefault(receiver);
    }

    /** AEMP {@code rcv $port, tag => $cb}: registers a tag receiver, creating the port if needed. */
    public Guard receive(PortId port, String tag, Receiver receiver) {
        LocalPort p = livePort(port);
        p.putTag(tag, receiver);
        return () -> p.removeTag(tag, receiver);
    }

    private LocalPort newLocalPort(PortId port, Receiver receiver) {
        return new LocalPort(this, port, receiver, new MailboxLoad(mailboxBusyMessages, mailboxBusyBytes));
    }

    private LocalPort livePort(PortId port) {
        if (!isLocal(port)) {
            throw new IllegalArgumentException("rcv can only be called on local ports: " + port + " is not on " + id);
        }
        if (port.isNodePort()) {
            throw new IllegalArgumentException("cannot register receivers on the node port " + port);
        }
        while (true) {
            LocalPort p = ports.computeIfAbsent(port.name(), n -> newLocalPort(port, null));
            if (!p.isDead()) {
                return p;
            }
            ports.remove(port.name(), p); // died between lookup and use: make a new one
        }
    }

    public boolean isLocal(PortId port) {
        return port.node().equals(id);
    }

    /** True if the local port exists now. */
    public boolean exists(String name) {
        return ports.containsKey(name);
    }

    // ---- send ----

    /** AEMP {@code snd}: delivers locally, or hands the message to the network. Never blocks. */
    public void send(PortId to, List<Object> message) {
        if (to.node().equals(id)) {
            deliverLocal(id, to.name(), message, 0);
        } else {
            Messages.checkPlain(message, extraTypes);
            sendRemote(to.node(), to.name(), message);
        }
    }

    void sendRemote(String node, String portName, List<?> body) {
        if (TRACE.isTraceEnabled()) {
            TRACE.trace("SND {} <- {} {}", node, portName, body);
        }
        Remote r = remote;
        if (r == Remote.NONE) {
            nodeDown(node, KillReason.transportError(node, "no known address"));
            return;
        }
        r.send(node, Messages.withHead(portName, body));
    }

    /** Delivers to a local port or the node port; returns the port if its mailbox is busy now. */
    private LocalPort deliverLocal(String source, String name, List<Object> message, int bytes) {
        if (name.isEmpty()) {
            nodePort.handle(source, message);
            return null;
        }
        LocalPort p = ports.get(name);
        if (p != null) {
            return p.deliver(source, message, bytes) ? p : null;
        }
        if (TRACE.isTraceEnabled()) {
            TRACE.trace("DROP {}#{} (no such port) {}", id, name, message);
        }
        return null;
    }

    /**
     * AEMP {@code snd}, but only if the destination can take it now: false (and nothing sent) if
     * the local port's mailbox, or the link to the port's node, is busy. Never blocks.
     */
    public boolean trySend(PortId to, List<Object> message) {
        if (to.node().equals(id)) {
            LocalPort p = to.isNodePort() ? null : ports.get(to.name());
            if (p != null && p.load.isBusy()) {
                return false;
            }
            deliverLocal(id, to.name(), message, 0);
            return true;
        }
        Messages.checkPlain(message, extraTypes);
        if (TRACE.isTraceEnabled()) {
            TRACE.trace("SND {} <- {} {}", to.node(), to.name(), message);
        }
        Remote r = remote;
        if (r == Remote.NONE) {
            nodeDown(to.node(), KillReason.transportError(to.node(), "no known address"));
            return true;
        }
        return r.trySend(to.node(), Messages.withHead(to.name(), message));
    }

    /**
     * Runs {@code ready} (on any thread; it must only hand off) once {@code to} can take messages:
     * its mailbox, or the link to its node, is not busy; at once if it is not.
     */
    public void whenReady(PortId to, Runnable ready) {
        if (to.node().equals(id)) {
            LocalPort p = to.isNodePort() ? null : ports.get(to.name());
            if (p == null) {
                ready.run();
            } else {
                p.load.whenReady(ready);
            }
        } else {
            remote.whenReady(to.node(), ready);
        }
    }

    /** Kills local {@code port} with {@code mailbox_overflow} once more than {@code messages} wait (0: no limit). */
    public void mailboxCapacity(PortId port, int messages) {
        if (!isLocal(port) || port.isNodePort()) {
            throw new IllegalArgumentException("mailbox capacity applies to local ports only: " + port);
        }
        LocalPort p = ports.get(port.name());
        if (p != null) {
            p.capacity(messages);
        }
    }

    /** Local ports whose mailbox is busy now. */
    public List<NodeStats.Mailbox> busyMailboxes() {
        List<NodeStats.Mailbox> busy = new java.util.ArrayList<>();
        for (LocalPort p : ports.values()) {
            if (p.load.isBusy()) {
                busy.add(new NodeStats.Mailbox(p.id, p.load.messages(), p.load.bytes()));
            }
        }
        return busy;
    }

    /**
     * Handles one message that arrived from {@code source}: {@code [port name, elements...]}. Called
     * by the network on its event loop; never runs user code there.
     */
    @Override
    public Backpressure deliver(String source, List<Object> wire, int bytes) {
        if (TRACE.isTraceEnabled()) {
            TRACE.trace("RCV {} -> {}", source, wire);
        }
        if (wire.isEmpty()) {
            return null; // AEMP keepalive
        }
        Object name = wire.get(0);
        if (!(name instanceof String portName)) {
            log.warn("message from {} dropped: its first element must be a port name, got {}", SafeText.of(source),
                    SafeText.of(name));
            return null;
        }
        LocalPort busy = deliverLocal(source, portName, wire.subList(1, wire.size()), bytes);
        return busy == null ? null : busy.load;
    }

    // ---- kill ----

    /** AEMP {@code kil}: kills a port, locally later or remotely with {@code kil1}. */
    public void kill(PortId port, KillReason reason) {
        if (port.isNodePort()) {
            throw new IllegalArgumentException("cannot kill a node port: " + port);
        }
        if (isLocal(port)) {
            LocalPort p = ports.get(port.name());
            if (p != null) {
                p.kill(reason);
            }
        } else {
            sendRemote(port.node(), "", Messages.concat(List.of("kil1", port.name()), reason.values()));
        }
    }

    void portDied(LocalPort port, KillReason reason, List<MonitorAction.Entry> monitors, Throwable cause) {
        ports.remove(port.id.name(), port);
        boolean watched = false;
        for (MonitorAction.Entry e : monitors) {
            watched = true;
            fire(e, port.id.name(), reason);
        }
        if (!watched && !reason.isNormal() && !closing) {
            if (cause != null) {
                log.error("{} died unmonitored: {}", port.id, SafeText.of(reason), cause);
            } else {
                log.error("{} died unmonitored: {}", port.id, SafeText.of(reason));
            }
        } else if (log.isDebugEnabled()) {
            log.debug("{} died: {}", port.id, reason, cause);
        }
    }

    // ---- monitors ----

    /** AEMP {@code mon $port, $cb}. */
    public Guard monitor(PortId port, DownHandler handler) {
        return monitor(port, new MonitorAction.Callback(handler));
    }

    /** AEMP {@code mon $port, $rcvport}. */
    public Guard monitorKill(PortId port, PortId victim) {
        return monitor(port, new MonitorAction.KillPort(victim));
    }

    /** AEMP {@code mon $port, $rcvport, @msg}. */
    public Guard monitorSend(PortId port, PortId to, List<Object> message) {
        return monitor(port, new MonitorAction.SendTo(to, message));
    }

    private Guard monitor(PortId port, MonitorAction action) {
        MonitorAction.Entry entry = new MonitorAction.Entry(action);
        if (isLocal(port)) {
            if (port.isNodePort()) {
                return Guard.none(); // the local node port never dies
            }
            LocalPort p = ports.get(port.name());
            if (p == null || !p.addMonitor(entry)) {
                // AEMP calls the action for a port that does not exist; we always defer it
                execute(() -> fire(entry, port.name(), KillReason.noSuchPort(port)));
                return () -> entry.claim();
            }
            return () -> {
                if (entry.claim()) {
                    p.removeMonitor(entry);
                }
            };
        }
        String node = port.node();
        String name = port.name();
        remoteMonitors.add(node, name, entry, () -> {
            if (!name.isEmpty()) {
                sendRemote(node, "", List.of("mon1", name));
            }
        });
        return () -> {
            if (entry.claim()) {
                remoteMonitors.remove(node, name, entry, () -> {
                    if (!name.isEmpty()) {
                        sendRemote(node, "", List.of("mon0", name));
                    }
                });
            }
        };
    }

    private void fire(MonitorAction.Entry entry, String portName, KillReason reason) {
        if (!entry.claim()) {
            return;
        }
        MonitorAction action = entry.action;
        if (action instanceof MonitorAction.Callback c) {
            execute(() -> {
                try {
                    c.handler().down(reason);
                } catch (RuntimeException | Error e) {
                    log.warn("monitor callback for {} threw; ignored", portName, e);
                }
            });
        } else if (action instanceof MonitorAction.KillPort k) {
            if (!reason.isNormal()) {
                kill(k.victim(), reason);
            }
        } else if (action instanceof MonitorAction.SendTo s) {
            send(s.to(), Messages.concat(s.message(), reason.values()));
        } else if (action instanceof MonitorAction.RemoteWatch w) {
            remote.sendIfUp(w.node(), Messages.concat(List.of("", "kil0", portName), reason.values()));
        }
    }

    /** A remote node told us ({@code kil0}) that its port {@code port}, which we monitor, died. */
    public void remoteKilled(String node, String port, KillReason reason) {
        for (MonitorAction.Entry e : remoteMonitors.take(node, port)) {
            fire(e, port, reason);
        }
    }

    /**
     * The connection to {@code node} failed or could not be made: every monitor of every port of
     * that node fires with {@code reason} (a {@code transport_error}), and the node's watches on our
     * ports are forgotten.
     */
    @Override
    public void nodeDown(String node, KillReason reason) {
        for (Map.Entry<String, List<MonitorAction.Entry>> port : remoteMonitors.takeAll(node).entrySet()) {
            for (MonitorAction.Entry e : port.getValue()) {
                fire(e, port.getKey(), reason);
            }
        }
        for (LocalPort p : ports.values()) {
            p.removeRemoteWatch(node);
        }
    }

    /** A remote node's {@code mon1}: false if the port does not exist. */
    boolean watchedBy(String node, String port) {
        LocalPort p = ports.get(port);
        return p != null && p.addRemoteWatch(node);
    }

    /** A remote node's {@code mon0}. */
    void unwatchedBy(String node, String port) {
        LocalPort p = ports.get(port);
        if (p != null) {
            p.removeRemoteWatch(node);
        }
    }

    // ---- spawn, call, peval, timers ----

    /** AEMP {@code spawn}: returns the new port's id at once; the target creates it. */
    public PortId spawn(String nodeOrPort, String function, List<Object> args) {
        if (!function.contains("::")) {
            throw new IllegalArgumentException("init function '" + function
                    + "' must be a fully qualified name containing '::' (use '::name' for main)");
        }
        String node = PortId.nodeOf(nodeOrPort);
        String name = names.newSpawnName();
        send(PortId.nodePort(node), Messages.concat(List.of(SPAWN, name, function), args));
        return new PortId(node, name);
    }

    /** Runs a spawn request that arrived here: creates the port and runs its init function on it. */
    void spawnHere(String source, String name, String function, List<Object> args) {
        var init = functions.find(function);
        if (init.isEmpty()) {
            log.warn("spawn request from {} for port {} refused: unable to resolve function '{}'"
                    + " (register it with Node.register)", SafeText.of(source), SafeText.of(name), SafeText.of(function));
            return;
        }
        PortId portId = new PortId(id, name);
        LocalPort port = newLocalPort(portId, null);
        if (ports.putIfAbsent(name, port) != null) {
            log.warn("spawn request from {} refused: port {} already exists", SafeText.of(source), SafeText.of(portId));
            return;
        }
        port.execute(p -> {
            init.get().run(p, args);
            if (!p.hasReceivers()) {
                // AEMP: the init function creates the port with rcv; without one there is no port
                p.kill(KillReason.noSuchPort(portId));
            }
        });
    }

    /**
     * AEMP {@code cal}: sends {@code message} plus a fresh reply port's id to {@code to} and
     * completes with the first reply. With a timeout it fails with {@link TimeoutException} when
     * none came in time; without one it monitors {@code to} and fails with
     * {@link PortDownException} if that port dies first.
     */
    public CompletableFuture<List<Object>> call(PortId to, Duration timeout, List<Object> message) {
        CompletableFuture<List<Object>> result = new CompletableFuture<>();
        PortId reply = newPort((ctx, reply1) -> {
            ctx.kill();
            result.complete(reply1);
        });
        Guard watch = timeout != null
                ? after(timeout, () -> result.completeExceptionally(
                        new TimeoutException("no reply from " + to + " within " + timeout)))
                : monitor(to, reason -> result.completeExceptionally(new PortDownException(to, reason)));
        result.whenComplete((v, e) -> {
            watch.close();
            kill(reply, KillReason.NORMAL);
        });
        try {
            send(to, Messages.concat(message, List.of(reply.toString())));
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            throw e;
        }
        return result;
    }

    /** AEMP {@code peval}: runs {@code body} in the context of local port {@code port}. */
    public <T> CompletableFuture<T> peval(PortId port, Callable<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        LocalPort p = isLocal(port) ? ports.get(port.name()) : null;
        if (p == null) {
            result.completeExceptionally(new AempException("peval: no such local port " + port));
            return result;
        }
        p.execute(new PortTask() {
            @Override
            public void run(LocalPort lp) throws Exception {
                try {
                    result.complete(body.call());
                } catch (Exception | Error e) {
                    result.completeExceptionally(e);
                    throw e;
                }
            }

            @Override
            public void dropped() {
                result.completeExceptionally(new AempException("peval: port " + port + " died first"));
            }
        });
        return result;
    }

    /** AEMP {@code after $seconds, $cb}: runs {@code task} on a worker after {@code delay}. */
    public Guard after(Duration delay, Runnable task) {
        ScheduledFuture<?> f = timer.schedule(() -> execute(() -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                log.warn("timer callback threw; ignored", e);
            }
        }), delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    void callbackFailed(PortId port, Throwable t) {
        log.debug("callback of {} threw", port, t);
    }

    // ---- lifecycle ----

    /**
     * Kills every local port with {@code ("shutdown", ...)}, so that monitors, here and on other
     * nodes while links are still up, learn of it. Unmonitored deaths are not logged from now on.
     */
    public void killAll() {
        closing = true;
        KillReason reason = KillReason.of("shutdown", "node " + id + " is closing");
        for (LocalPort p : ports.values()) {
            p.kill(reason);
        }
    }

    /** Waits up to {@code grace} until no callback runs and no mailbox holds work. */
    public void awaitQuiet(Duration grace) {
        ((ForkJoinPool) workers).awaitQuiescence(grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the timer and the workers, waiting up to {@code grace} for running callbacks. */
    public void stop(Duration grace) {
        closing = true;
        timer.shutdownNow();
        awaitQuiet(grace);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("node {}: callbacks still running after {}; abandoning them", id, grace);
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

}
