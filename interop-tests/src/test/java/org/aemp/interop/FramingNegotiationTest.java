package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.aemp.LinkStats;
import org.aemp.Node;
import org.aemp.PortId;
import org.aemp.spi.Codec;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which framing a link uses: each side sends in the first framing of the peer's list that it has.
 * With json, cbor and kryo on the class path a Java node offers kryo, cbor, json; two Java nodes
 * pick kryo, a Perl node (which has no kryo) picks cbor, and framing_format overrides the order.
 */
@Timeout(60)
class FramingNegotiationTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private Node node(String id, List<String> framings) {
        return nodes.start(id, b -> b.binds(List.of("127.0.0.1:0")).secret("s").framingFormat(framings));
    }

    private static void link(Node from, Node to) {
        Probe<List<Object>> got = new Probe<>();
        to.receive(new PortId(to.id(), "echo"), (ctx, m) -> ctx.send(PortId.parse((String) m.get(0)), m.get(1)));
        from.addAddresses(to.id(), to.listenAddresses());
        from.send(new PortId(to.id(), "echo"), from.newPort((ctx, m) -> got.put(m)).toString(), "hi");
        assertThat(got.next()).containsExactly("hi");
    }

    /** The framing {@code from} sends to {@code to}, as its stats say, if a link is up. */
    private static Optional<String> framingTo(Node from, String to) {
        return from.stats().links().stream().filter(l -> l.node().equals(to) && l.up()).map(LinkStats::framing)
                .findFirst();
    }

    @Test
    void aJavaNodeOffersEveryCodecOnTheClassPathKryoFirst() {
        Node a = node("a", null);
        // (under a reactor `mvn test`, mp-core's own test codec is on the class path too: leave it out)
        assertThat(a.codecs()).extracting(Codec::name).filteredOn(n -> !n.equals("test"))
                .containsExactly("kryo", "cbor", "json");
    }

    @Test
    void twoJavaNodesPickKryo() {
        Node a = node("a", null);
        Node b = node("b", null);
        link(a, b);
        assertThat(framingTo(a, "b")).contains("kryo");
        assertThat(framingTo(b, "a")).contains("kryo");
    }

    @Test
    void eachSideSendsWhatThePeerPrefers() {
        Node a = node("a", List.of("json", "cbor"));
        Node b = node("b", List.of("cbor", "json", "kryo"));
        link(a, b);
        assertThat(framingTo(a, "b")).contains("cbor"); // b's first that a has
        assertThat(framingTo(b, "a")).contains("json"); // a's first that b has
    }

    @Test
    void aPerlStyleListWithoutKryoGetsCbor() {
        Node a = node("a", null);
        Node perlLike = node("perl-like", List.of("cbor", "json"));
        link(a, perlLike);
        assertThat(framingTo(a, "perl-like")).contains("cbor");
    }
}
