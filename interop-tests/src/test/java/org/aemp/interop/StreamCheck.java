package org.aemp.interop;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.WriteBufferWaterMark;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * One end of a byte-stream check on a data connection: writes {@code toSend} pseudo-random bytes
 * (from a seed, in 64 KiB chunks, as fast as the channel takes them) while it reads
 * {@code toReceive} bytes, and reports the SHA-256 of both, so that the two ends' reports can be
 * compared: what one sent must be what the other received. It never closes the channel.
 *
 * <p>Not sharable; confined to its channel's event loop.
 */
final class StreamCheck extends ChannelDuplexHandler {
    static final int CHUNK = 64 * 1024;

    /** What one end sent and received: byte counts, SHA-256 in hex, and the time from start to both done. */
    record Result(long sent, String sentSha256, long received, String receivedSha256, long nanos) {
        /** MiB per second, counting both directions. */
        double mibPerSecond() {
            return (sent + received) / (1024.0 * 1024.0) / (nanos / 1e9);
        }
    }

    private final long toSend;
    private final long toReceive;
    private final SplittableRandom random;
    private final MessageDigest sentDigest = sha256();
    private final MessageDigest receivedDigest = sha256();
    private final CompletableFuture<Result> result = new CompletableFuture<>();
    private long sent;
    private long received;
    private long started;

    StreamCheck(long toSend, long seed, long toReceive) {
        this.toSend = toSend;
        this.toReceive = toReceive;
        this.random = new SplittableRandom(seed);
    }

    /** Puts a check on {@code channel} (a data connection as handed over) and starts reading and writing. */
    static StreamCheck start(Channel channel, long toSend, long seed, long toReceive) {
        StreamCheck check = new StreamCheck(toSend, seed, toReceive);
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1 << 20, 4 << 20));
        channel.pipeline().addLast("stream-check", check);
        channel.config().setAutoRead(true);
        return check;
    }

    CompletableFuture<Result> result() {
        return result;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        started = System.nanoTime();
        ctx.executor().execute(() -> writeMore(ctx));
    }

    private void writeMore(ChannelHandlerContext ctx) {
        boolean wrote = false;
        while (sent < toSend && ctx.channel().isWritable()) {
            byte[] chunk = new byte[(int) Math.min(CHUNK, toSend - sent)];
            random.nextBytes(chunk);
            sentDigest.update(chunk);
            sent += chunk.length;
            ctx.write(Unpooled.wrappedBuffer(chunk)).addListener(f -> {
                if (!f.isSuccess()) {
                    result.completeExceptionally(f.cause());
                }
            });
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        checkDone();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writeMore(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            received += in.readableBytes();
            for (ByteBuffer b : in.nioBuffers()) {
                receivedDigest.update(b);
            }
        } finally {
            in.release();
        }
        if (received > toReceive) {
            result.completeExceptionally(new AssertionError("received " + received + " bytes, expected " + toReceive));
        }
        checkDone();
    }

    private void checkDone() {
        if (sent == toSend && received == toReceive && !result.isDone()) {
            result.complete(new Result(sent, hex(sentDigest), received, hex(receivedDigest),
                    System.nanoTime() - started));
        }
    }

    private static String hex(MessageDigest d) {
        return HexFormat.of().formatHex(d.digest());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        result.completeExceptionally(new AssertionError("the connection closed after " + sent + " bytes sent and "
                + received + " received"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        result.completeExceptionally(cause);
        ctx.close();
    }
}
