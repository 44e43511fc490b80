package org.aemp;

import io.netty.channel.Channel;
import java.util.List;

/**
 * Takes the far end of a data connection that another node opened to this one with
 * {@link DataConn#connectTo} (AEMP: the {@code $initfunc} of {@code AnyEvent::MP::DataConn::connect_to},
 * called with {@code @initdata} and the handle). Register it with {@link DataConn#register}; only
 * registered receivers run, by the name the other node gives.
 *
 * <p>Called on the channel's event loop, once per connection, like Netty's
 * {@code ChannelInitializer}: add handlers (with {@code addLast}), then start reading
 * ({@code channel.config().setAutoRead(true)} or {@code channel.read()}). It must not block. The
 * receiver owns the channel from then on; throwing closes it (and is logged).
 */
@FunctionalInterface
public interface DataConnReceiver {

    /**
     * Takes a new data connection.
     *
     * @param initData the values the connecting node passed to {@code connectTo}, read-only
     * @param channel the connection: active, reading off, its pipeline empty but for TLS
     *     ({@code "tls"}, if the nodes use TLS) and a handler that keeps the first bytes until the first read
     * @throws Exception to close the channel
     */
    void receive(List<Object> initData, Channel channel) throws Exception;
}
