package org.aemp.internal.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Listens on the node's binds and admits accepted connections to a handshake, or refuses them at
 * once when their source address has too many under way ({@link Admission}). Thread-safe.
 */
final class Acceptor {
    private final EventLoopGroup group;
    private final Transport transport;
    private final ChannelGroup channels;
    private final Admission admission;
    private final RefusalLog refusals;
    private final NetworkCounters failures;
    private final int maxPerAddress;
    private final Function<Admission.Ticket, HandshakeHandler> handshakes;
    private final List<Channel> servers = new CopyOnWriteArrayList<>();

    /**
     * @param handshakes makes the handshake of an admitted connection
     */
    Acceptor(EventLoopGroup group, Transport transport, ChannelGroup channels, Admission admission,
            int maxPerAddress, RefusalLog refusals, NetworkCounters failures,
            Function<Admission.Ticket, HandshakeHandler> handshakes) {
        this.group = group;
        this.transport = transport;
        this.channels = channels;
        this.admission = admission;
        this.maxPerAddress = maxPerAddress;
        this.refusals = refusals;
        this.failures = failures;
        this.handshakes = handshakes;
    }

    /**
     * Listens on every address the bind entries stand for.
     *
     * @return the addresses bound, with the ports the OS picked
     * @throws IOException if an address cannot be resolved or bound
     */
    List<String> listen(List<String> binds) throws IOException {
        List<String> bound = new ArrayList<>();
        for (String spec : binds) {
            for (String entry : spec.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                List<InetSocketAddress> addrs;
                try {
                    addrs = Addresses.resolve(entry);
                } catch (IllegalArgumentException e) {
                    throw new IOException("bind '" + entry + "': " + e.getMessage(), e);
                }
                for (InetSocketAddress a : addrs) {
                    Channel server = bind(a, entry);
                    servers.add(server);
                    bound.add(Addresses.format((InetSocketAddress) server.localAddress()));
                }
            }
        }
        return List.copyOf(bound);
    }

    private Channel bind(InetSocketAddress address, String entry) throws IOException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelType())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        admit(ch);
                    }
                });
        Dialer.socketOptions().forEach((o, v) -> setChildOption(b, o, v));
        ChannelFuture f = b.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException("cannot listen on " + Addresses.format(address) + " (bind '" + entry + "'): "
                    + f.cause().getMessage(), f.cause());
        }
        return f.channel();
    }

    @SuppressWarnings("unchecked")
    private static <T> void setChildOption(ServerBootstrap b, ChannelOption<T> option, Object value) {
        b.childOption(option, (T) value);
    }

    private void admit(Channel ch) {
        InetAddress source = ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress()
                : InetAddress.getLoopbackAddress();
        Admission.Ticket ticket = admission.admit(source, () -> {
            failures.refusedConnections.increment();
            refusals.warn(source, "dropped handshakes", "handshake with " + ch.remoteAddress()
                    + " dropped: too many handshakes under way (max_handshakes); the oldest unfinished one makes room");
            ch.close();
        });
        if (ticket == null) {
            failures.refusedConnections.increment();
            refusals.warn(source, "refused connections", "connection from " + ch.remoteAddress()
                    + " refused: too many handshakes under way from its address (max_handshakes_per_address "
                    + maxPerAddress + ")");
            ch.close();
            return;
        }
        channels.add(ch);
        ch.pipeline().addLast("handshake", handshakes.apply(ticket));
    }

    void close() {
        for (Channel s : servers) {
            s.close();
        }
    }
}
