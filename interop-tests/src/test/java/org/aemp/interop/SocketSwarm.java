package org.aemp.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Many plain client connections to one address, each from a chosen local address, watched by one
 * selector thread: it records when each connection first received a byte (the node's greeting:
 * the node admitted it to a handshake), how many lines it got, and when the node closed it (end of stream or reset),
 * drops what arrives, and, if asked, trickles one byte of a script to every open connection at a
 * fixed interval. For floods of idle and trickling connections that a test cannot afford a thread
 * each for; the time of every event is {@link System#nanoTime()}.
 *
 * <p>Thread-safe; {@link #close()} closes every connection and stops the thread.
 */
final class SocketSwarm implements AutoCloseable {
    private final InetSocketAddress target;
    private final Selector selector;
    private final Thread thread;
    private final Queue<Conn> added = new ConcurrentLinkedQueue<>();
    private final List<Conn> all = new ArrayList<>(); // guarded by this
    private volatile byte[] script;
    private volatile long trickleNanos;
    private volatile boolean closed;

    /** One client connection and what happened to it. */
    static final class Conn {
        final SocketChannel channel;
        final InetAddress source;
        final long openedAt;
        private volatile long greetedAt; // 0 until a byte arrived
        private volatile long closedAt; // 0 while open
        private volatile int trickled; // script bytes sent so far
        private volatile int lines; // line ends received

        private Conn(SocketChannel channel, InetAddress source, long openedAt) {
            this.channel = channel;
            this.source = source;
            this.openedAt = openedAt;
        }

        boolean greeted() {
            return greetedAt != 0;
        }

        boolean isClosed() {
            return closedAt != 0;
        }

        /** Nanoseconds from connecting until the node closed it (only once it did). */
        long lifetimeNanos() {
            return closedAt - openedAt;
        }

        /**
         * How many lines the node sent (greeting and nonce at once; its auth line once it let the
         * greeting's claim go on and read the nonce).
         */
        int lines() {
            return lines;
        }

        /** How many bytes of the script went out on it. */
        int trickled() {
            return trickled;
        }

        @Override
        public String toString() {
            return "connection from " + source.getHostAddress() + (greeted() ? ", greeted after "
                    + TimeUnit.NANOSECONDS.toMillis(greetedAt - openedAt) + " ms" : "")
                    + (isClosed() ? ", closed after " + TimeUnit.NANOSECONDS.toMillis(lifetimeNanos()) + " ms" : "");
        }
    }

    SocketSwarm(InetSocketAddress target) throws IOException {
        this.target = target;
        this.selector = Selector.open();
        this.thread = new Thread(this::run, "socket-swarm");
        thread.setDaemon(true);
        thread.start();
    }

    /** The address of a node's listener, {@code host:port}, as an {@link InetSocketAddress}. */
    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /**
     * Connects from {@code source} (blocking until the TCP connection is made), sends
     * {@code firstBytes} (may be empty), and starts watching the connection.
     */
    Conn open(InetAddress source, byte[] firstBytes) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.bind(new InetSocketAddress(source, 0));
            ch.connect(target);
            Conn c = new Conn(ch, source, System.nanoTime());
            try {
                if (firstBytes.length > 0) {
                    ch.write(ByteBuffer.wrap(firstBytes)); // blocking: all of it
                }
            } catch (IOException e) {
                c.closedAt = System.nanoTime(); // the node closed it at once
                ch.close();
                synchronized (this) {
                    all.add(c);
                    notifyAll();
                }
                return c;
            }
            ch.configureBlocking(false);
            synchronized (this) {
                all.add(c);
            }
            added.add(c);
            selector.wakeup();
            return c;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * From now on sends, every {@code interval}, the next byte of {@code script} on every open
     * connection (each connection goes through the script from its start; none after its end).
     */
    void trickle(byte[] script, Duration interval) {
        this.script = script.clone();
        this.trickleNanos = interval.toNanos();
        selector.wakeup();
    }

    /** Every connection opened so far, oldest first. */
    synchronized List<Conn> connections() {
        return List.copyOf(all);
    }

    /** The connections that the node has not closed (as far as this side has seen). */
    synchronized List<Conn> open() {
        return all.stream().filter(c -> !c.isClosed()).toList();
    }

    /**
     * Waits up to {@code timeout} until {@code condition} holds for the list of all connections;
     * it is checked whenever one got its first byte or was closed.
     *
     * @return whether it held in time
     */
    synchronized boolean await(Duration timeout, Predicate<List<Conn>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(all)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private synchronized void changed() {
        notifyAll();
    }

    private void run() {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long nextTrickle = 0;
        try {
            while (!closed) {
                long wait = 0;
                if (trickleNanos > 0) {
                    long now = System.nanoTime();
                    if (nextTrickle == 0) {
                        nextTrickle = now + trickleNanos;
                    }
                    if (now - nextTrickle >= 0) {
                        trickleOnce();
                        nextTrickle += trickleNanos;
                    }
                    wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextTrickle - System.nanoTime()));
                }
                selector.select(wait);
                for (Conn c; (c = added.poll()) != null; ) {
                    c.channel.register(selector, SelectionKey.OP_READ, c);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn c = (Conn) key.attachment();
                    int n;
                    try {
                        buf.clear();
                        n = c.channel.read(buf);
                    } catch (IOException e) {
                        n = -1; // reset
                    }
                    if (n > 0) {
                        int lf = 0;
                        for (int i = 0; i < n; i++) {
                            lf += buf.get(i) == '\n' ? 1 : 0;
                        }
                        if (c.greetedAt == 0) {
                            c.greetedAt = System.nanoTime();
                        }
                        c.lines += lf;
                        changed();
                    } else if (n < 0) {
                        ended(c, key);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (!closed) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void ended(Conn c, SelectionKey key) {
        c.closedAt = System.nanoTime();
        key.cancel();
        try {
            c.channel.close();
        } catch (IOException e) {
            // closed anyway
        }
        changed();
    }

    private void trickleOnce() {
        byte[] s = script;
        for (SelectionKey key : selector.keys()) {
            Conn c = (Conn) key.attachment();
            if (c.isClosed() || c.trickled >= s.length) {
                continue;
            }
            try {
                if (c.channel.write(ByteBuffer.wrap(s, c.trickled, 1)) == 1) {
                    c.trickled++;
                }
            } catch (IOException e) {
                ended(c, key);
            }
        }
    }

    /** Closes every connection and stops watching. */
    @Override
    public void close() throws IOException {
        closed = true;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Conn c : connections()) {
            c.channel.close();
        }
        selector.close();
    }
}
