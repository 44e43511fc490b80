package org.aemp.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A TCP relay on loopback that forwards connections to one target, and breaks them on demand the
 * ways real networks do. Give a node the relay's {@link #address()} instead of the target's (in its
 * seeds, or with {@link org.aemp.Node#addAddresses}), and its link to the target runs through the
 * relay; {@link AempNetwork.Builder#relay(int, int)} does that for two nodes of a test network.
 * <ul>
 *   <li>cut the first connection after a given number of client-to-target bytes, in the middle of
 *       whatever it is forwarding, by resetting both sides: a link that dies mid-stream, as when a
 *       cable is pulled (a constructor argument; later connections pass untouched);
 *   <li>{@link #resetClientSide()}: reset only the dialling side, and keep the target's socket open
 *       and silent, so that the target holds a dead link it cannot tell from an idle one (the peer
 *       host crashed, or a NAT forgot the connection);
 *   <li>{@link #cut()}: reset both sides of every connection now open (later ones pass);
 *   <li>{@link #blackHole()}: forward nothing either way, and keep both sockets open (a host that
 *       vanished, or a network that drops every packet); a connection once black-holed stays so;
 *   <li>{@link #stall(Direction)}: forward nothing in one direction until {@link #resume()}
 *       (what arrives meanwhile is held, and follows on resume; past 64 KiB the relay stops
 *       reading, so that TCP pushes back on the sender);
 *   <li>{@link #delay(Duration)}: forward every chunk that much later.
 * </ul>
 * {@link #heal()} ends the black hole, the stalls and the delay for what comes next.
 * Bytes the relay does not forward are read and dropped, so the sender's TCP sees them
 * acknowledged: only the application can notice that nothing comes back.
 *
 * <p>Thread-safe; one daemon thread accepts, and one per direction of each connection forwards;
 * {@link #close()} ends them all.
 */
public final class TcpRelay implements AutoCloseable {
    /** A direction of forwarding. */
    public enum Direction {
        /** From the dialling side to the target. */
        TO_TARGET,
        /** From the target back to the dialling side. */
        TO_CLIENT
    }

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final long cutAfter;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Pair> pairs = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean blackHole; // new connections are black-holed from the start
    private volatile long delayNanos;
    private final boolean[] stalled = new boolean[Direction.values().length]; // guarded by itself
    private final LongAdder[] lines = {new LongAdder(), new LongAdder()};
    /** How often a forwarding thread that has nothing to read looks whether a stall has ended. */
    private static final int TICK_MILLIS = 20;
    /** How much a stalled direction reads ahead before it stops reading. */
    private static final int HOLD_LIMIT = 64 * 1024;

    /**
     * A relay that forwards everything to {@code target} until told otherwise.
     *
     * @throws IOException if no loopback port can be bound
     */
    public TcpRelay(InetSocketAddress target) throws IOException {
        this(target, -1);
    }

    /**
     * @param target where to forward
     * @param cutAfter client-to-target bytes after which the first connection is reset; negative
     *     for never
     * @throws IOException if no loopback port can be bound
     */
    public TcpRelay(InetSocketAddress target, long cutAfter) throws IOException {
        this.target = java.util.Objects.requireNonNull(target, "target");
        this.cutAfter = cutAfter;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * A relay to {@code address}, a {@code host:port} as {@link org.aemp.Node#listenAddresses()}
     * gives it.
     *
     * @throws IllegalArgumentException if {@code address} has no port
     * @throws IOException if no loopback port can be bound
     */
    public static TcpRelay to(String address) throws IOException {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected host:port: " + address);
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new TcpRelay(new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1))));
    }

    /** The relay's address, {@code 127.0.0.1:port}. */
    public String address() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    /** How many connections the relay has accepted. */
    public int connections() {
        return connections.get();
    }

    /**
     * How many line ends have reached the relay in {@code direction}, over all connections,
     * forwarded or held by a stall. An AEMP handshake is made of lines (greeting, nonce, auth
     * line), so a test can see how far one got: the third line from a node is its auth line.
     */
    public long lines(Direction direction) {
        return lines[direction.ordinal()].sum();
    }

    /**
     * Resets the dialling side of every connection now open (the dialler sees a reset) and leaves
     * the target's side open: the target hears nothing more on it, and what it sends is dropped.
     */
    public void resetClientSide() {
        for (Pair p : pairs) {
            p.halfOpen = true;
            reset(p.client);
        }
    }

    /**
     * Resets both sides of every connection now open, as a link that dies mid-stream: both ends
     * see a reset at once. Connections made afterwards pass.
     */
    public void cut() {
        for (Pair p : pairs) {
            p.halfOpen = true; // the pumps stop without touching the sockets again
            reset(p.client);
            reset(p.upstream);
        }
    }

    /**
     * From now on forwards nothing in either direction, on open connections and new ones, and
     * closes nothing: both ends keep a silent connection. A connection black-holed once stays so
     * (bytes went missing from its stream); after {@link #heal()} new connections pass.
     */
    public void blackHole() {
        blackHole = true;
        for (Pair p : pairs) {
            p.blackHoled = true;
        }
    }

    /**
     * Ends the black hole for new connections, the stalls (what was held follows) and the delay.
     * Connections black-holed before stay silent.
     */
    public void heal() {
        blackHole = false;
        delayNanos = 0;
        resume();
    }

    /** Holds what travels in {@code direction}, on every connection, until {@link #resume()}. */
    public void stall(Direction direction) {
        synchronized (stalled) {
            stalled[direction.ordinal()] = true;
        }
    }

    /** Forwards again what {@link #stall} held, and everything after it. */
    public void resume() {
        synchronized (stalled) {
            Arrays.fill(stalled, false);
            stalled.notifyAll();
        }
    }

    /** Forwards again what {@link #stall} held in {@code direction}, and everything after it. */
    public void resume(Direction direction) {
        synchronized (stalled) {
            stalled[direction.ordinal()] = false;
            stalled.notifyAll();
        }
    }

    /** Forwards every chunk {@code delay} after it arrived (both directions; zero for none). */
    public void delay(Duration delay) {
        delayNanos = delay.toNanos();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client = null;
            try {
                client = server.accept();
                Socket upstream = new Socket();
                sockets.add(client);
                sockets.add(upstream);
                upstream.connect(target, 5000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                Pair pair = new Pair(client, upstream);
                pairs.add(pair);
                if (blackHole) { // read after the add, so that a blackHole() meanwhile is not missed
                    pair.blackHoled = true;
                }
                boolean first = connections.incrementAndGet() == 1;
                AtomicLong budget = new AtomicLong(first && cutAfter >= 0 ? cutAfter : Long.MAX_VALUE);
                pump(pair, Direction.TO_TARGET, budget, "relay-up");
                pump(pair, Direction.TO_CLIENT, new AtomicLong(Long.MAX_VALUE), "relay-down");
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
                if (client != null) {
                    reset(client); // the target refused
                }
            }
        }
    }

    private void pump(Pair pair, Direction direction, AtomicLong budget, String name) {
        Socket from = direction == Direction.TO_TARGET ? pair.client : pair.upstream;
        Socket to = direction == Direction.TO_TARGET ? pair.upstream : pair.client;
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            ByteArrayOutputStream held = new ByteArrayOutputStream(); // read while stalled, not yet forwarded
            try {
                from.setSoTimeout(TICK_MILLIS); // so that what a stall held goes on soon after the resume
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    int n;
                    try {
                        n = in.read(buf);
                    } catch (SocketTimeoutException tick) {
                        n = 0;
                    }
                    if (n < 0) {
                        while (held.size() > 0 && isStalled(direction) && !server.isClosed()) {
                            Thread.sleep(TICK_MILLIS); // the end of the stream follows what was held
                        }
                        if (held.size() > 0 && !pair.blackHoled && !pair.halfOpen) {
                            out.write(held.toByteArray());
                        }
                        break;
                    }
                    long arrived = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            lines[direction.ordinal()].increment();
                        }
                    }
                    held.write(buf, 0, n);
                    if (held.size() == 0 || isStalled(direction)) {
                        // held: read on, so that lines() sees what arrives meanwhile, up to a limit;
                        // then read no more, so that TCP pushes back on the sender as a stalled path does
                        while (held.size() >= HOLD_LIMIT && isStalled(direction) && !server.isClosed()) {
                            Thread.sleep(TICK_MILLIS);
                        }
                        continue;
                    }
                    byte[] chunk = held.toByteArray();
                    held.reset();
                    if (pair.blackHoled || pair.halfOpen) {
                        continue; // dropped
                    }
                    long wait = arrived + delayNanos - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    long left = budget.get();
                    if (chunk.length >= left) {
                        out.write(chunk, 0, (int) left);
                        out.flush();
                        reset(from);
                        reset(to);
                        return;
                    }
                    budget.addAndGet(-chunk.length);
                    out.write(chunk);
                }
                if (!pair.blackHoled && !pair.halfOpen) {
                    to.shutdownOutput();
                }
            } catch (IOException e) {
                if (!pair.blackHoled && !pair.halfOpen) {
                    reset(from);
                    reset(to);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private boolean isStalled(Direction direction) {
        synchronized (stalled) {
            return stalled[direction.ordinal()];
        }
    }

    /** Closes with SO_LINGER 0, so the peer sees a reset rather than an orderly end of stream. */
    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** Stops accepting and resets every connection, both sides. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closed: the acceptor ends either way
        }
        resume();
        for (Socket s : sockets) {
            reset(s);
        }
    }

    /** The two sockets of one relayed connection. */
    private static final class Pair {
        final Socket client;
        final Socket upstream;
        volatile boolean halfOpen;
        volatile boolean blackHoled;

        Pair(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }
    }
}
