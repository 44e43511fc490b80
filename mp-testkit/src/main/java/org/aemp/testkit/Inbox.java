package org.aemp.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.aemp.Node;
import org.aemp.PortId;

/**
 * A port that keeps every message it gets, for a test to wait on:
 *
 * <pre>{@code
 * Inbox inbox = Inbox.open(net.node(1));
 * net.node(0).send(inbox.port(), "hello", 1);
 * inbox.expect("hello", 1);                       // fails, listing what came, if that does not come
 * }</pre>
 *
 * Waits fail with an {@link AssertionError} that says what was expected and what arrived. The
 * default wait is {@link AempNetwork#DEFAULT_TIMEOUT}.
 *
 * <p>Thread-safe. The port's receiver runs on a worker thread of its node and only records.
 */
public final class Inbox implements AutoCloseable {
    private final Node node;
    private final PortId port;
    private final Arrivals<List<Object>> arrivals;

    private Inbox(Node node, PortId port, Arrivals<List<Object>> arrivals) {
        this.node = node;
        this.port = port;
        this.arrivals = arrivals;
    }

    /** A new port on {@code node} that keeps what it gets. */
    public static Inbox open(Node node) {
        Arrivals<List<Object>> arrivals = new Arrivals<>();
        PortId port = requireNonNull(node, "node").newPort((ctx, message) -> arrivals.add(message));
        return new Inbox(node, port, arrivals);
    }

    /**
     * A port named {@code name} on {@code node} ({@code <node>#<name>}) that keeps what it gets,
     * for a test that sends to a well-known port name.
     */
    public static Inbox open(Node node, String name) {
        Arrivals<List<Object>> arrivals = new Arrivals<>();
        PortId port = new PortId(requireNonNull(node, "node").id(), requireNonNull(name, "name"));
        node.receive(port, (ctx, message) -> arrivals.add(message));
        return new Inbox(node, port, arrivals);
    }

    /** The port: send to it. */
    public PortId port() {
        return port;
    }

    /** Waits up to the default timeout for the next message and returns it. */
    public List<Object> next() {
        return next(AempNetwork.DEFAULT_TIMEOUT);
    }

    /** Waits up to {@code timeout} for the next message and returns it. */
    public List<Object> next(Duration timeout) {
        return arrivals.await(timeout, m -> true, "a message on " + port);
    }

    /**
     * Waits for the next message and checks that it is {@code message}.
     *
     * @throws AssertionError if another message comes first, or none within the default timeout
     */
    public List<Object> expect(Object... message) {
        return expect(AempNetwork.DEFAULT_TIMEOUT, message);
    }

    /** As {@link #expect(Object...)}, waiting up to {@code timeout}. */
    public List<Object> expect(Duration timeout, Object... message) {
        List<Object> wanted = Arrays.asList(message);
        List<Object> got = next(timeout);
        if (!got.equals(wanted)) {
            throw new AssertionError("expected " + wanted + " on " + port + ", but the next message was " + got
                    + "; all that arrived: " + arrivals.all());
        }
        return got;
    }

    /**
     * Waits for a message that {@code wanted} accepts, passing over the others (they stay in the
     * list of what arrived), and returns it.
     *
     * @param what what the message is, for the failure message ("the reply to job 7")
     */
    public List<Object> await(Predicate<List<Object>> wanted, String what, Duration timeout) {
        return arrivals.await(timeout, requireNonNull(wanted, "wanted"), what + " on " + port);
    }

    /** Waits {@code period} and checks that no new message arrived. */
    public void expectNothing(Duration period) {
        arrivals.nothingWithin(period, "message on " + port);
    }

    /** Every message that arrived so far, in order. */
    public List<List<Object>> received() {
        return arrivals.all();
    }

    /** Kills the port (a normal exit). */
    @Override
    public void close() {
        node.kill(port);
    }
}
