package org.aemp;

import io.netty.channel.Channel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aemp.internal.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-connection receivers a node has registered ({@link DataConn#register}), by name: only
 * these ever run for a connection another node opens. Thread-safe.
 */
final class DataConnReceivers {
    private static final Logger log = LoggerFactory.getLogger(DataConn.class);
    private final String nodeId;
    private final Map<String, DataConnReceiver> receivers = new ConcurrentHashMap<>();

    DataConnReceivers(String nodeId) {
        this.nodeId = nodeId;
    }

    /** Registers {@code receiver} under {@code name}; the guard unregisters it. */
    Guard register(String name, DataConnReceiver receiver) {
        receivers.put(name, receiver);
        return () -> receivers.remove(name, receiver);
    }

    boolean contains(String name) {
        return receivers.containsKey(name);
    }

    /** Why a connection for {@code function} cannot be taken: no receiver of that name here. */
    String noReceiver(String function) {
        return "no data connection receiver '" + SafeText.escape(function) + "' is registered on node " + nodeId;
    }

    /**
     * Runs the receiver registered under {@code function} on the channel (on its event loop);
     * closes the channel if there is none or it throws.
     *
     * @return false if there is none (unregistered since)
     */
    boolean deliver(String function, List<Object> initData, Channel channel, String from) {
        DataConnReceiver r = receivers.get(function);
        if (r == null) {
            log.warn("data connection from node {} closed: {}", SafeText.of(from), noReceiver(function));
            channel.close();
            return false;
        }
        try {
            r.receive(initData, channel);
        } catch (Exception | Error e) {
            log.warn("data connection receiver '{}' threw; its connection from node {} is closed",
                    SafeText.of(function), SafeText.of(from), e);
            channel.close();
        }
        return true;
    }
}
