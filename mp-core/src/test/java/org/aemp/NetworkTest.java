package org.aemp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Seeds, masters, the global database and address lookup, with nodes in one JVM. */
@Timeout(60)
class NetworkTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private Node seed() {
        Node s = nodes.listening("seed", b -> b.global(true));
        return s;
    }

    private Node leaf(String id, Node seed) {
        return nodes.listening(id, b -> b.seeds(seed.listenAddresses()));
    }

    @Test
    void aLeafFindsAPortRegisteredByAnotherLeafAndReachesIt() throws Exception {
        Node seed = seed();
        Node a = leaf("a", seed);
        Node b = leaf("b", seed);
        Probe<Object> got = new Probe<>();
        PortId service = a.newPort((ctx, msg) -> ctx.send(PortId.parse((String) msg.get(0)), "hello from a"));
        a.db().register("demo", service);
        List<String> keys = null;
        for (int i = 0; i < 100 && (keys == null || keys.isEmpty()); i++) {
            keys = b.db().keys("demo").get(10, TimeUnit.SECONDS);
        }
        assertThat(keys).containsExactly(service.toString());
        PortId reply = b.newPort((ctx, msg) -> got.put(msg));
        b.send(PortId.parse(keys.get(0)), reply.toString()); // b has no link to a: found through its master
        assertThat(got.next()).isEqualTo(List.of("hello from a"));
        assertThat(seed.isGlobal()).isTrue();
        assertThat(a.isGlobal()).isFalse();
    }

    @Test
    void aWatcherSeesEntriesComeAndGoWhenTheirPortDies() {
        Node seed = seed();
        Node a = leaf("a", seed);
        Node b = leaf("b", seed);
        Probe<String> events = new Probe<>();
        b.db().monitor("group", (family, added, changed, deleted) ->
                events.put("family=" + family.keySet() + " added=" + added + " deleted=" + deleted));
        assertThat(events.next()).isEqualTo("family=[] added=[] deleted=[]");
        PortId member = a.newPort((ctx, msg) -> { });
        a.db().register("group", member, "v1");
        assertThat(events.next()).isEqualTo("family=[" + member + "] added=[" + member + "] deleted=[]");
        a.kill(member);
        assertThat(events.next()).isEqualTo("family=[] added=[] deleted=[" + member + "]");
    }

    @Test
    void aNodesEntriesVanishWhenItLeaves() throws Exception {
        Node seed = seed();
        Node a = leaf("a", seed);
        Node b = leaf("b", seed);
        Probe<Map<String, Object>> seen = new Probe<>();
        b.db().monitor("nodes", (family, added, changed, deleted) -> seen.put(family));
        assertThat(seen.next()).isEmpty();
        a.db().set("nodes", "a", "here");
        assertThat(seen.next()).containsEntry("a", "here");
        a.close();
        assertThat(seen.next()).isEmpty();
        assertThat(seed.db().family("nodes").get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void setWithTheSameValueSendsNothingAndTheGuardDeletes() {
        Node seed = seed();
        Node a = leaf("a", seed);
        Probe<String> events = new Probe<>();
        seed.db().monitor("f", (family, added, changed, deleted) ->
                events.put(added + " " + changed + " " + deleted));
        assertThat(events.next()).isEqualTo("[] [] []");
        Guard g = a.db().set("f", "k", 1);
        assertThat(events.next()).isEqualTo("[k] [] []");
        a.db().set("f", "k", 1);
        a.db().set("f", "k", 2);
        assertThat(events.next()).isEqualTo("[] [k] []");
        g.close();
        assertThat(events.next()).isEqualTo("[] [] [k]");
    }

    /** Waits until {@code node} sees itself in family 'g, which a node puts there once it is global. */
    private static void awaitGlobal(Node node) {
        Probe<Boolean> global = new Probe<>();
        try (Guard g = node.db().monitor("'g", (family, added, changed, deleted) -> {
            if (family.containsKey(node.id())) {
                global.put(true);
            }
        })) {
            assertThat(global.next()).isTrue();
        }
    }

    @Test
    void aSeedBecomesGlobalWhenANodeSendsItGSlave() {
        Node t = nodes.listening("t");
        nodes.listening("u", b -> b.seeds(t.listenAddresses()));
        awaitGlobal(t);
        assertThat(t.isGlobal()).isTrue();
    }

    @Test
    void aNodeThatListsItselfAsSeedBecomesGlobal() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // the one way to know a node's port before it starts
        }
        String address = "127.0.0.1:" + port;
        Node s = nodes.listening("self-seed", b -> b.binds(List.of(address)).seeds(List.of(address)));
        awaitGlobal(s);
        Node leaf = nodes.listening("leaf", b -> b.seeds(List.of(address)));
        assertThat(leaf.db().keys("'g").get(10, TimeUnit.SECONDS)).containsExactly("self-seed");
    }

    @Test
    void twoGlobalNodesShareTheirSlavesData() throws Exception {
        Node g1 = nodes.listening("g1", b -> b.global(true));
        Node g2 = nodes.listening("g2", b -> b.global(true).seeds(g1.listenAddresses()));
        Node a = leaf("a", g1);
        Node b = leaf("b", g2);
        Probe<Map<String, Object>> seen = new Probe<>();
        b.db().monitor("shared", (family, added, changed, deleted) -> {
            if (!family.isEmpty()) {
                seen.put(family);
            }
        });
        a.db().set("shared", "from-a", "x");
        assertThat(seen.next()).containsEntry("from-a", "x");
        assertThat(g2.db().keys("'g").get(10, TimeUnit.SECONDS)).contains("g1", "g2");
    }

    @Test
    void aNodeTheMasterDoesNotKnowHasNoKnownAddress() throws Exception {
        Node seed = seed();
        Node a = leaf("a", seed);
        assertThat(a.db().keys("x")).succeedsWithin(Duration.ofSeconds(10)); // a query answers once a has its master
        Probe<KillReason> down = new Probe<>();
        a.monitor(PortId.parse("ghost#x"), down::put);
        assertThat(down.next().values()).containsExactly("transport_error", "ghost", "no known address");
    }

    @Test
    void queriesWaitForAMasterAndNodesWithoutSeedsStayLocal() {
        Node lone = nodes.listening("lone");
        var f = lone.db().keys("anything");
        assertThat(f).isNotDone();
        Probe<KillReason> down = new Probe<>();
        lone.monitor(PortId.parse("nowhere#x"), down::put);
        assertThat(down.next(Duration.ofSeconds(10)).values()).containsExactly("transport_error", "nowhere", "connect timeout");
    }
}
