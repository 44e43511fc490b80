package org.aemp.internal.kernel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Predicate;
import org.aemp.internal.Incidents;
import org.aemp.internal.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local half of a node: the port table, delivery, kills, monitors, spawn and timers. It
 * speaks its own small vocabulary (a port is a node id and a name, a kill reason a list, a
 * registration a {@link Runnable} that cancels it) and knows the layers above only through the
 * interfaces it defines: other nodes through {@link Remote}, the requests they answer through
 * {@link NodePortRequests}. The network reaches it as {@link Inbound}.
 *
 * <p>Thread-safe. No method blocks; user code runs only on the {@link Workers}.
 */
public final class Kernel implements Inbound {
    private static final Logger log = LoggerFactory.getLogger(Kernel.class);
    static final Logger TRACE = LoggerFactory.getLogger("org.aemp.trace");

    /** The node-port tag of a spawn request, as AEMP 2.02 sends it. */
    public static final String SPAWN = "AnyEvent::MP::_spawn";

    private final String id;
    private final PortNames names;
    private final Workers workers;
    private final Remote remote;
    private final Predicate<Class<?>> extraTypes;
    private final Map<String, LocalPort> ports = new ConcurrentHashMap<>();
    private final RemoteMonitors remoteMonitors = new RemoteMonitors();
    private final Functions functions = new Functions();
    private final NodePortHandler nodePort;
    private final int mailboxBusyMessages;
    private final long mailboxBusyBytes;
    private final boolean inlineCallbacks;
    private final Incidents incidents;
    private volatile boolean closing;

    /**
     * @param id the expanded node id
     * @param names the port-name source for this node
     * @param workers runs every callback
     * @param settings secure mode and the mailboxes' thresholds
     * @param extraTypes value types beyond the plain ones that some codec can carry
     * @param remote where messages for other nodes go
     * @param above answers the node-port requests of the layers above
     * @param incidents told of mailboxes that overflow
     */
    public Kernel(String id, PortNames names, Workers workers, Settings settings, Predicate<Class<?>> extraTypes,
            Remote remote, NodePortRequests above, Incidents incidents) {
        this.id = id;
        this.incidents = incidents;
        this.names = names;
        this.workers = workers;
        this.extraTypes = extraTypes;
        this.remote = remote;
        this.mailboxBusyMessages = settings.mailboxBusyMessages();
        this.mailboxBusyBytes = settings.mailboxBusyBytes();
        this.inlineCallbacks = settings.inlineCallbacks();
        this.nodePort = new NodePortHandler(this, settings.secure(), above);
    }

    /**
     * How the kernel treats remote requests and full mailboxes.
     *
     * @param secure refuse remote function calls other than spawns of registered functions
     * @param mailboxBusyMessages messages waiting in one mailbox above which it is busy
     * @param mailboxBusyBytes bytes (of messages from other nodes) waiting in one mailbox above which it is busy
     * @param inlineCallbacks run the callback for a message from the network on the thread that
     *     delivers it, when its port is idle, instead of on a worker
     */
    public record Settings(boolean secure, int mailboxBusyMessages, long mailboxBusyBytes, boolean inlineCallbacks) {
    }

    public String nodeId() {
        return id;
    }

    int mailboxBusyMessages() {
        return mailboxBusyMessages;
    }

    long mailboxBusyBytes() {
        return mailboxBusyBytes;
    }

    /** True if {@code node} is this node. */
    public boolean isLocal(String node) {
        return node.equals(id);
    }

    /** Local port {@code name} went over its mailbox capacity and is being killed with {@code reason}. */
    void mailboxOverflowed(String name, List<Object> reason) {
        incidents.mailboxOverflowed(name, String.valueOf(reason.get(reason.size() - 1)));
    }

    /** Runs {@code task} on a worker; once the node is closed, drops it instead of failing the caller. */
    void execute(Runnable task) {
        workers.executeOrDrop(task);
    }

    Remote remote() {
        return remote;
    }

    Functions functions() {
        return functions;
    }

    /**
     * Allows remote nodes (and local spawns) to run {@code function} under {@code name}.
     *
     * @return unregisters it
     */
    public Runnable register(String name, PortHandler function) {
        return functions.register(name, function);
    }

    // ---- ports ----

    /**
     * AEMP {@code port}: a new local port with this default receiver (null: none).
     *
     * @return its name
     */
    public String newPort(PortHandler defaultReceiver) {
        String name = names.newLocalName();
        ports.put(name, newLocalPort(name, defaultReceiver));
        return name;
    }

    /**
     * AEMP {@code rcv $port, $cb}: replaces the default receiver of local port {@code name},
     * creating the port if needed.
     *
     * @throws IllegalArgumentException for the node port
     */
    public void receive(String name, PortHandler receiver) {
        livePort(name).setDefault(receiver);
    }

    /**
     * AEMP {@code rcv $port, tag => $cb}: registers a tag receiver, creating the port if needed.
     *
     * @return unregisters it
     * @throws IllegalArgumentException for the node port
     */
    public Runnable receive(String name, String tag, PortHandler receiver) {
        LocalPort p = livePort(name);
        p.putTag(tag, receiver);
        return () -> p.removeTag(tag, receiver);
    }

    private LocalPort newLocalPort(String name, PortHandler receiver) {
        return new LocalPort(this, name, receiver);
    }

    private LocalPort livePort(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("cannot register receivers on the node port " + id + "#");
        }
        while (true) {
            LocalPort p = ports.computeIfAbsent(name, n -> newLocalPort(n, null));
            if (!p.isDead()) {
                return p;
            }
            ports.remove(name, p); // died between lookup and use: make a new one
        }
    }

    // ---- send ----

    /** AEMP {@code snd} to {@code node#name}: delivers locally, or hands the message to the network. Never blocks. */
    public void send(String node, String name, List<Object> message) {
        if (node.equals(id)) {
            deliverLocal(id, name, message, 0, false);
        } else {
            Messages.checkPlain(message, extraTypes);
            sendRemote(node, name, message);
        }
    }

    void sendRemote(String node, String portName, List<?> body) {
        if (TRACE.isTraceEnabled()) {
            TRACE.trace("SND {} <- {} {}", node, portName, body);
        }
        remote.send(node, Messages.withHead(portName, body));
    }

    /**
     * Delivers to a local port or the node port; returns the port if its mailbox is busy now.
     * {@code inline}: the port's callback may run on this thread if the port is idle.
     */
    private LocalPort deliverLocal(String source, String name, List<Object> message, int bytes, boolean inline) {
        if (name.isEmpty()) {
            nodePort.handle(source, message);
            return null;
        }
        LocalPort p = ports.get(name);
        if (p != null) {
            return p.deliver(source, message, bytes, inline) ? p : null;
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
    public boolean trySend(String node, String name, List<Object> message) {
        if (node.equals(id)) {
            LocalPort p = name.isEmpty() ? null : ports.get(name);
            if (p != null && p.isBusy()) {
                return false;
            }
            deliverLocal(id, name, message, 0, false);
            return true;
        }
        Messages.checkPlain(message, extraTypes);
        if (TRACE.isTraceEnabled()) {
            TRACE.trace("SND {} <- {} {}", node, name, message);
        }
        return remote.trySend(node, Messages.withHead(name, message));
    }

    /**
     * Runs {@code ready} (on any thread; it must only hand off) once {@code node#name} can take
     * messages: its mailbox, or the link to its node, is not busy; at once if it is not.
     */
    public void whenReady(String node, String name, Runnable ready) {
        if (node.equals(id)) {
            LocalPort p = name.isEmpty() ? null : ports.get(name);
            if (p == null) {
                ready.run();
            } else {
                p.whenReady(ready);
            }
        } else {
            remote.whenReady(node, ready);
        }
    }

    /** Kills local port {@code name} with {@code mailbox_overflow} once more than {@code messages} wait (0: no limit). */
    public void mailboxCapacity(String name, int messages) {
        LocalPort p = ports.get(name);
        if (p != null) {
            p.capacity(messages);
        }
    }

    /** Local ports whose mailbox is busy now. */
    public List<BusyMailbox> busyMailboxes() {
        List<BusyMailbox> busy = new ArrayList<>();
        for (LocalPort p : ports.values()) {
            if (p.isBusy()) {
                busy.add(new BusyMailbox(p.name, p.messages(), p.bytes()));
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
        LocalPort busy = deliverLocal(source, portName, wire.subList(1, wire.size()), bytes, inlineCallbacks);
        return busy;
    }

    // ---- kill ----

    /**
     * AEMP {@code kil}: kills {@code node#name}, locally later or remotely with {@code kil1}.
     *
     * @param reason unmodifiable; empty for a normal exit
     * @throws IllegalArgumentException for a node port, which cannot be killed
     */
    public void kill(String node, String name, List<Object> reason) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("cannot kill a node port: " + node + "#");
        }
        if (node.equals(id)) {
            LocalPort p = ports.get(name);
            if (p != null) {
                p.kill(reason);
            }
        } else {
            sendRemote(node, "", Messages.concat(List.of("kil1", name), reason));
        }
    }

    void portDied(LocalPort port, List<Object> reason, List<MonitorAction.Entry> monitors, Throwable cause) {
        ports.remove(port.name, port);
        boolean watched = false;
        for (MonitorAction.Entry e : monitors) {
            watched = true;
            fire(e, port.name, reason);
        }
        if (!watched && !reason.isEmpty() && !closing) {
            if (cause != null) {
                log.error("{} died unmonitored: {}", port.qualifiedName(), SafeText.of(reason), cause);
            } else {
                log.error("{} died unmonitored: {}", port.qualifiedName(), SafeText.of(reason));
            }
        } else if (log.isDebugEnabled()) {
            log.debug("{} died: {}", port.qualifiedName(), reason.isEmpty() ? "(normal)" : reason, cause);
        }
    }

    // ---- monitors ----

    /**
     * AEMP {@code mon $port, $cb}: {@code action} learns once why {@code node#name} died.
     *
     * @return cancels the monitor (for a remote port, cancelling the last one sends {@code mon0})
     */
    public Runnable monitor(String node, String name, DownAction action) {
        return monitor(node, name, new MonitorAction.Callback(action));
    }

    /** AEMP {@code mon $port, $rcvport}: an abnormal death of {@code node#name} kills {@code victimNode#victimName}. */
    public Runnable monitorKill(String node, String name, String victimNode, String victimName) {
        return monitor(node, name, new MonitorAction.KillPort(victimNode, victimName));
    }

    /** AEMP {@code mon $port, $rcvport, @msg}: the death of {@code node#name} sends {@code message} and the reason. */
    public Runnable monitorSend(String node, String name, String toNode, String toName, List<Object> message) {
        return monitor(node, name, new MonitorAction.SendTo(toNode, toName, message));
    }

    private Runnable monitor(String node, String name, MonitorAction action) {
        MonitorAction.Entry entry = new MonitorAction.Entry(action);
        if (node.equals(id)) {
            if (name.isEmpty()) {
                return () -> { }; // the local node port never dies
            }
            LocalPort p = ports.get(name);
            if (p == null || !p.addMonitor(entry)) {
                // AEMP calls the action for a port that does not exist; we always defer it
                execute(() -> fire(entry, name, Reasons.noSuchPort(node, name)));
                return entry::claim;
            }
            return () -> {
                if (entry.claim()) {
                    p.removeMonitor(entry);
                }
            };
        }
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

    private void fire(MonitorAction.Entry entry, String portName, List<Object> reason) {
        if (!entry.claim()) {
            return;
        }
        MonitorAction action = entry.action;
        if (action instanceof MonitorAction.Callback c) {
            execute(() -> {
                try {
                    c.action().down(reason);
                } catch (RuntimeException | Error e) {
                    log.warn("monitor callback for {} threw; ignored", portName, e);
                }
            });
        } else if (action instanceof MonitorAction.KillPort k) {
            if (!reason.isEmpty()) {
                kill(k.node(), k.name(), reason);
            }
        } else if (action instanceof MonitorAction.SendTo s) {
            send(s.node(), s.name(), Messages.concat(s.message(), reason));
        } else if (action instanceof MonitorAction.RemoteWatch w) {
            remote.sendIfUp(w.node(), Messages.concat(List.of("", "kil0", portName), reason));
        }
    }

    /** A remote node told us ({@code kil0}) that its port {@code port}, which we monitor, died. */
    void remoteKilled(String node, String port, List<Object> reason) {
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
    public void nodeDown(String node, List<Object> reason) {
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

    // ---- spawn, port context, timers ----

    /**
     * AEMP {@code spawn}: asks {@code node} to create a port by running {@code function}.
     *
     * @return the new port's name, at once; the target creates it
     * @throws IllegalArgumentException if {@code function} has no {@code ::}
     */
    public String spawn(String node, String function, List<Object> args) {
        if (!function.contains("::")) {
            throw new IllegalArgumentException("init function '" + function
                    + "' must be a fully qualified name containing '::' (use '::name' for main)");
        }
        String name = names.newSpawnName();
        send(node, "", Messages.concat(List.of(SPAWN, name, function), args));
        return name;
    }

    /** Runs a spawn request that arrived here: creates the port and runs its init function on it. */
    void spawnHere(String source, String name, String function, List<Object> args) {
        var init = functions.find(function);
        if (init.isEmpty()) {
            log.warn("spawn request from {} for port {} refused: unable to resolve function '{}'"
                    + " (register it with Node.register)", SafeText.of(source), SafeText.of(name), SafeText.of(function));
            return;
        }
        LocalPort port = newLocalPort(name, null);
        if (ports.putIfAbsent(name, port) != null) {
            log.warn("spawn request from {} refused: port {} already exists", SafeText.of(source),
                    SafeText.of(id + "#" + name));
            return;
        }
        port.execute(p -> {
            init.get().receive(p, args);
            if (!port.hasReceivers()) {
                // AEMP: the init function creates the port with rcv; without one there is no port
                port.kill(Reasons.noSuchPort(id, name));
            }
        });
    }

    /**
     * AEMP {@code peval}: runs {@code task} in the context of local port {@code name}, on its
     * worker, serialized with its callbacks; if the port dies first, the task is told instead.
     *
     * @return false if there is no such port (the task is not run)
     */
    public boolean runInPort(String name, PortTask task) {
        LocalPort p = ports.get(name);
        if (p == null) {
            return false;
        }
        p.execute(task);
        return true;
    }

    /**
     * AEMP {@code after $seconds, $cb}: runs {@code task} on a worker after {@code delay}.
     *
     * @return cancels it
     */
    public Runnable after(Duration delay, Runnable task) {
        ScheduledFuture<?> f = workers.schedule(delay, () -> execute(() -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                log.warn("timer callback threw; ignored", e);
            }
        }));
        return () -> f.cancel(false);
    }

    void callbackFailed(LocalPort port, Throwable t) {
        log.debug("callback of {} threw", port.qualifiedName(), t);
    }

    // ---- lifecycle ----

    /**
     * Kills every local port with {@code ("shutdown", ...)}, so that monitors, here and on other
     * nodes while links are still up, learn of it. Unmonitored deaths are not logged from now on.
     */
    public void killAll() {
        closing = true;
        List<Object> reason = List.of("shutdown", "node " + id + " is closing");
        for (LocalPort p : ports.values()) {
            p.kill(reason);
        }
    }
}
