package org.aemp.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.aemp.Guard;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.PortId;

/**
 * A monitor (AEMP {@code mon}) whose firing a test waits for, with its reason:
 *
 * <pre>{@code
 * DownWatch down = DownWatch.monitor(net.node(0), portOnNode1);
 * net.link(0, 1).blackHole();
 * KillReason why = down.await(KillReason.TRANSPORT_ERROR, Duration.ofSeconds(20));
 * }</pre>
 *
 * Waits fail with an {@link AssertionError} that says which port was watched from which node, what
 * reason was expected, and what came. The default wait is {@link AempNetwork#DEFAULT_TIMEOUT}.
 *
 * <p>Thread-safe. The monitor's handler runs on a worker thread of the watching node and only
 * records.
 */
public final class DownWatch implements AutoCloseable {
    private final String label;
    private final Arrivals<KillReason> fired = new Arrivals<>();
    private final Guard guard;

    private DownWatch(Node node, PortId port) {
        this.label = "port " + port + " (monitored from " + node.id() + ")";
        this.guard = node.monitor(port, fired::add);
    }

    /** Monitors {@code port} from {@code node}. */
    public static DownWatch monitor(Node node, PortId port) {
        return new DownWatch(requireNonNull(node, "node"), requireNonNull(port, "port"));
    }

    /** Waits up to the default timeout for the monitor to fire, and returns the reason. */
    public KillReason await() {
        return await(AempNetwork.DEFAULT_TIMEOUT);
    }

    /** Waits up to {@code timeout} for the monitor to fire, and returns the reason. */
    public KillReason await(Duration timeout) {
        return fired.await(timeout, r -> true, "the death of " + label);
    }

    /**
     * Waits up to {@code timeout} for the monitor to fire, and checks that the reason's type word
     * ({@link KillReason#type()}) is {@code type}; the empty string expects a normal exit.
     *
     * @throws AssertionError if it does not fire in time, or fires with another reason
     */
    public KillReason await(String type, Duration timeout) {
        requireNonNull(type, "type");
        KillReason reason = await(timeout);
        if (!reason.type().equals(type)) {
            throw new AssertionError("expected " + label + " to go down with '" + type + "', but it went down with "
                    + reason);
        }
        return reason;
    }

    /** Waits {@code period} and checks that the monitor did not fire. */
    public void expectNone(Duration period) {
        fired.nothingWithin(period, "death of " + label);
    }

    /** Removes the monitor (AEMP {@code unmon}); idempotent. */
    @Override
    public void close() {
        guard.close();
    }
}
