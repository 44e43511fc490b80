package org.aemp.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.aemp.Context;
import org.aemp.Node;
import org.aemp.PortId;

/**
 * Waiting for the reply to a {@code cal}, and a port that answers them:
 *
 * <pre>{@code
 * PortId echo = Calls.echo(net.node(1));
 * List<Object> reply = Calls.reply(net.node(0), echo, "ping", 1);   // ["ping", 1]
 * }</pre>
 *
 * Stateless and thread-safe.
 */
public final class Calls {
    private Calls() {
    }

    /**
     * AEMP {@code cal}: sends {@code message} from {@code from} to {@code to} with a reply port
     * appended, and waits up to the default timeout for the reply.
     *
     * @throws AssertionError if no reply comes in time, or the call fails: the message names the
     *     call and the cause
     */
    public static List<Object> reply(Node from, PortId to, Object... message) {
        return reply(AempNetwork.DEFAULT_TIMEOUT, from, to, message);
    }

    /** As {@link #reply(Node, PortId, Object...)}, waiting up to {@code timeout}. */
    public static List<Object> reply(Duration timeout, Node from, PortId to, Object... message) {
        requireNonNull(timeout, "timeout");
        CompletableFuture<List<Object>> call = requireNonNull(from, "from").call(timeout, requireNonNull(to, "to"),
                message);
        String what = "the reply to cal " + Arrays.asList(message) + " from " + from.id() + " to " + to;
        try {
            // the call times out by itself; the extra second covers a late timer on a busy machine
            return call.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not arrive within " + Arrivals.describe(timeout), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof TimeoutException ? "did not arrive within " + Arrivals.describe(timeout)
                    : "failed: " + cause;
            throw new AssertionError(what + " " + why, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }

    /**
     * A new port on {@code node} that answers every message the way a {@code cal} expects: it
     * sends the message, without its last element, to the port that last element names. Messages
     * whose last element is not a port id are ignored.
     */
    public static PortId echo(Node node) {
        return requireNonNull(node, "node").newPort(Calls::answer);
    }

    private static void answer(Context ctx, List<Object> message) {
        if (message.isEmpty() || !(message.get(message.size() - 1) instanceof String last) || last.indexOf('#') <= 0) {
            return;
        }
        ctx.send(PortId.parse(last), message.subList(0, message.size() - 1).toArray());
    }
}
