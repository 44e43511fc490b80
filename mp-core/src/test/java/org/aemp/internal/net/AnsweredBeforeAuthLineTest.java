package org.aemp.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.aemp.testing.TestAuth;
import org.junit.jupiter.api.Test;

/**
 * A connection we answer is registered as answered before our auth line can reach the peer. Once
 * the line is on the wire, the peer may take the connection and whoever sees it (the peer, or a
 * relay in a test) may make us want that node; a dial decided then must find the answer and wait
 * for it. Before the fix the node heard of the answer only after the write, so a dial decided in
 * that gap went ahead (CrossedConnectTest failed once in CI with one dial of a to b).
 */
class AnsweredBeforeAuthLineTest {

    @Test
    void theAnswerIsRegisteredBeforeTheAuthLineIsWritten() {
        List<String> answered = new ArrayList<>();
        List<String> writes = new ArrayList<>(); // each write, with what had been answered when it was made
        HandshakeHandler.Links links = new HandshakeHandler.Links() {
            @Override
            public CompletionStage<String> check(String claimedNode, HandshakeHandler handshake) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void authenticated(HandshakeHandler handshake, Handshake.Peer peer) {
            }

            @Override
            public void answered(String claimedNode, HandshakeHandler handshake) {
                answered.add(claimedNode);
            }

            @Override
            public void ended(HandshakeHandler handshake, String claimedNode, String reason, Handshake.Fault fault) {
            }
        };
        ChannelOutboundHandlerAdapter wire = new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                writes.add(((ByteBuf) msg).toString(StandardCharsets.UTF_8).strip() + " | answered " + answered);
                ctx.write(msg, promise);
            }
        };
        Handshake accepted = new Handshake(HandshakeLineReaderProperties.settings(), false, null, System::nanoTime,
                new Random(1));
        EmbeddedChannel ch = new EmbeddedChannel(wire, new HandshakeHandler(accepted, links, null, null));
        try {
            ch.writeInbound(Unpooled.copiedBuffer("aemp;1;peer;" + TestAuth.NAME + ";test\n0123456789abcdef\n",
                    StandardCharsets.UTF_8));
            ch.checkException();

            assertThat(answered).as("answered").containsExactly("peer");
            assertThat(writes).as("what went out").hasSize(2) // greeting and nonce, then the auth line
                    .last().satisfies(auth -> assertThat(auth).startsWith(TestAuth.NAME + ";")
                            .endsWith("| answered [peer]"));
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
