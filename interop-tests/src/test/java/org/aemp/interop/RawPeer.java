package org.aemp.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import org.aemp.auth.HmacSha3Auth;
import org.aemp.codec.json.JsonCodec;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameDecoder;
import org.aemp.spi.Secret;
import org.aemp.spi.Transcript;

/**
 * A hand-written AEMP peer on a plain {@link Socket}, written from PROTOCOL.md and nothing else,
 * for feeding a node exactly the bytes a test wants (bad ones included). Every read has a
 * deadline, so a test can never hang on it.
 *
 * <p>Not thread-safe; one test thread drives it.
 */
final class RawPeer implements AutoCloseable {
    static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    final String nodeId;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameDecoder decoder = new JsonCodec().newDecoder(DecodeLimits.of(1 << 24));
    private final Deque<List<Object>> received = new ArrayDeque<>();
    private byte[] ownGreeting;
    private byte[] ownNonce;
    private byte[] peerGreeting;
    private byte[] peerNonce;

    private RawPeer(String nodeId, Socket socket) throws IOException {
        this.nodeId = nodeId;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Opens a TCP connection to {@code host:port} (IPv4 or a name) as node {@code nodeId}. */
    static RawPeer connect(String address, String nodeId) throws IOException {
        return connect(address, nodeId, null);
    }

    /**
     * Opens a TCP connection to {@code host:port} as node {@code nodeId} from the local address
     * {@code source} (any loopback address 127.x.y.z works on Linux), or from any if null.
     */
    static RawPeer connect(String address, String nodeId, InetAddress source) throws IOException {
        int colon = address.lastIndexOf(':');
        Socket s = new Socket();
        try {
            if (source != null) {
                s.bind(new InetSocketAddress(source, 0));
            }
            s.connect(new InetSocketAddress(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))), (int) PATIENCE.toMillis());
            s.setTcpNoDelay(true);
            return new RawPeer(nodeId, s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** A greeting line 1 as PROTOCOL.md section 3 describes it, announcing hmac_sha3_512 and json. */
    String greeting() {
        return greetingLine(nodeId);
    }

    /** {@link #greeting()} of node {@code nodeId}. */
    static String greetingLine(String nodeId) {
        return "aemp;1;" + nodeId + ";hmac_sha3_512;json;provider=raw-test;mproto=1;gproto=1";
    }

    /**
     * What {@link #sendGreeting} sends for {@link #greeting()}: greeting line 1 of node
     * {@code nodeId} and a fresh nonce line, each with its LF (for peers on other sockets).
     */
    static String greetingLines(String nodeId) {
        byte[] nonce = new byte[66];
        RANDOM.nextBytes(nonce);
        return greetingLine(nodeId) + "\n" + Base64.getEncoder().withoutPadding().encodeToString(nonce) + "\n";
    }

    /** Sends greeting line 1 (as given) and a fresh 88-character nonce line. */
    RawPeer sendGreeting(String line1) throws IOException {
        byte[] nonce = new byte[66];
        RANDOM.nextBytes(nonce);
        ownGreeting = line1.getBytes(StandardCharsets.UTF_8);
        ownNonce = Base64.getEncoder().withoutPadding().encode(nonce);
        write(line1 + "\n" + new String(ownNonce, StandardCharsets.US_ASCII) + "\n");
        return this;
    }

    /** Reads the node's greeting and nonce lines; fails if the node closes instead. */
    RawPeer readGreeting() throws IOException {
        peerGreeting = readLine();
        peerNonce = readLine();
        if (peerGreeting == null || peerNonce == null) {
            throw new IOException("the node closed the connection instead of greeting");
        }
        return this;
    }

    /** The node's greeting line 1, as text. */
    String peerGreeting() {
        return new String(peerGreeting, StandardCharsets.UTF_8);
    }

    /** The hmac_sha3_512 token this side sends for {@code secret} (PROTOCOL.md 7.1). */
    String token(String secret) {
        return new HmacSha3Auth().token(Transcript.of(ownGreeting, ownNonce, peerGreeting, peerNonce),
                Secret.of(secret));
    }

    /**
     * The whole handshake with the proper greeting and {@code secret}: greetings both ways, our
     * auth line, then the node's auth line, whose token is checked.
     */
    RawPeer handshake(String secret) throws IOException {
        return handshake(secret, greeting());
    }

    /** {@link #handshake(String)} with greeting line 1 as given (an extension added, say). */
    RawPeer handshake(String secret, String line1) throws IOException {
        sendGreeting(line1).readGreeting();
        write("hmac_sha3_512;" + token(secret) + ";json\n");
        byte[] auth = readLine();
        if (auth == null) {
            throw new IOException("the node closed the connection instead of sending its auth line");
        }
        String[] f = new String(auth, StandardCharsets.UTF_8).split(";", -1);
        Transcript mine = Transcript.of(ownGreeting, ownNonce, peerGreeting, peerNonce);
        if (f.length < 3 || !new HmacSha3Auth().verify(mine, Secret.of(secret), f[1])) {
            throw new IOException("the node's auth line does not check out: " + new String(auth, StandardCharsets.UTF_8));
        }
        return this;
    }

    void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One line without its LF, or null at the end of the stream. */
    byte[] readLine() throws IOException {
        socket.setSoTimeout((int) PATIENCE.toMillis());
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                return line.toByteArray();
            }
            line.write(b);
            if (line.size() > 1 << 16) {
                throw new IOException("line too long");
            }
        }
        return null;
    }

    /** The next JSON message the node sends, waiting up to {@code timeout}. */
    List<Object> readMessage(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[8192];
        while (received.isEmpty()) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("no message within " + timeout);
            }
            socket.setSoTimeout((int) left);
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("the node closed the connection");
            }
            decoder.decode(ByteBuffer.wrap(buf, 0, n), (m, size) -> received.add(m));
        }
        return received.poll();
    }

    List<Object> readMessage() throws IOException {
        return readMessage(PATIENCE);
    }

    /**
     * Waits up to {@code timeout} for the node to close the connection, discarding anything it
     * sends; true if it closed (an orderly end of stream or a reset), false on time-out.
     */
    boolean awaitClosed(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[8192];
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) left);
                if (in.read(buf) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // connection reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
