package org.aemp.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback that forwards connections to one target and can cut the first one
 * after a given number of client-to-target bytes, in the middle of whatever it is forwarding, by
 * resetting both sides: a link that dies mid-stream, as when a cable is pulled. Later connections
 * pass untouched.
 *
 * <p>Thread-safe; one thread per direction of each connection, all closed by {@link #close()}.
 */
final class TcpRelay implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final long cutAfter;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    /**
     * @param target where to forward
     * @param cutAfter client-to-target bytes after which the first connection is reset; negative
     *     for never
     */
    TcpRelay(InetSocketAddress target, long cutAfter) throws IOException {
        this.target = target;
        this.cutAfter = cutAfter;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The relay's address, {@code 127.0.0.1:port}. */
    String address() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    /** How many connections the relay has accepted. */
    int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(target, 5000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                boolean first = connections.incrementAndGet() == 1;
                AtomicLong budget = new AtomicLong(first && cutAfter >= 0 ? cutAfter : Long.MAX_VALUE);
                pump(client, upstream, budget, "relay-up");
                pump(upstream, client, new AtomicLong(Long.MAX_VALUE), "relay-down");
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicLong budget, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buf)) >= 0; ) {
                    long left = budget.get();
                    if (n >= left) {
                        out.write(buf, 0, (int) left);
                        out.flush();
                        reset(from);
                        reset(to);
                        return;
                    }
                    budget.addAndGet(-n);
                    out.write(buf, 0, n);
                }
                to.shutdownOutput();
            } catch (IOException e) {
                reset(from);
                reset(to);
            }
        }, name);
        t.setDaemon(true);
        t.start();
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

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            reset(s);
        }
    }
}
