package org.aemp.internal.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.group.ChannelGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Opens outgoing TCP connections and puts a handshake on each. Every socket gets
 * {@code TCP_NODELAY} and {@code SO_KEEPALIVE}; a vanished host is found by the link's liveness
 * check. (No {@code TCP_USER_TIMEOUT}: since Linux 5.11 it also ends a connection whose peer
 * advertises a zero window for that long while acknowledging every probe, which is what a
 * healthy node does to a link it holds back for a busy mailbox.) Until its handshake is done a
 * connection reads at most
 * {@link #HANDSHAKE_READ} bytes at a time. Thread-safe.
 */
final class Dialer {
    /** The read size before authentication: a greeting line is shorter than 4096 bytes. */
    static final int HANDSHAKE_READ = 4096;

    private final EventLoopGroup group;
    private final Transport transport;
    private final ChannelGroup channels;
    private final int connectTimeoutMillis;

    Dialer(EventLoopGroup group, Transport transport, ChannelGroup channels, Duration connectTimeout) {
        this.group = group;
        this.transport = transport;
        this.channels = channels;
        this.connectTimeoutMillis = (int) Math.max(1000, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
    }

    /** Connects to {@code target} and runs {@code handshake} on the connection. */
    ChannelFuture connect(InetSocketAddress target, ChannelHandler handshake) {
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(transport.channelType())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast("handshake", handshake);
                    }
                });
        socketOptions().forEach((o, v) -> setOption(b, o, v));
        return b.connect(target);
    }

    @SuppressWarnings("unchecked")
    private static <T> void setOption(Bootstrap b, ChannelOption<T> option, Object value) {
        b.option(option, (T) value);
    }

    /** The options of every link socket, dialled or accepted. */
    static java.util.Map<ChannelOption<?>, Object> socketOptions() {
        java.util.Map<ChannelOption<?>, Object> o = new java.util.LinkedHashMap<>();
        o.put(ChannelOption.TCP_NODELAY, true);
        o.put(ChannelOption.SO_KEEPALIVE, true);
        o.put(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(HANDSHAKE_READ));
        return o;
    }

    /**
     * The first address {@code address} ({@code host:port}) resolves to.
     *
     * @throws IllegalArgumentException if it has no port
     * @throws IOException if it resolves to nothing
     */
    static InetSocketAddress resolveOne(String address) throws IOException {
        Addresses.HostPort hp = Addresses.parse(address);
        if (hp.port() == 0) {
            throw new IllegalArgumentException("address '" + address + "' has no port");
        }
        List<InetSocketAddress> all = Addresses.resolve(address);
        if (all.isEmpty()) {
            throw new IOException("address '" + address + "' resolves to nothing");
        }
        return all.get(0);
    }
}
