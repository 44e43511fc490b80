package org.aemp.internal.net;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import org.aemp.spi.Transport;

/** TCP through Linux's native epoll, preferred where its native library loads. */
public final class EpollTransport implements Transport {

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public boolean isAvailable() {
        try {
            return Epoll.isAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    @Override
    public int preference() {
        return 10;
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
        return EpollIoHandler.newFactory();
    }

    @Override
    public Class<? extends ServerChannel> serverChannelType() {
        return EpollServerSocketChannel.class;
    }

    @Override
    public Class<? extends SocketChannel> channelType() {
        return EpollSocketChannel.class;
    }
}
