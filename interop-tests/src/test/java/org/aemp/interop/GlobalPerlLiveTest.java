package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.aemp.Node;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testkit.PerlPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Live networks of Java and Perl 2.02 nodes (run only when AEMP_PERL5LIB is set): a Java leaf
 * under a Perl seed, Perl leaves under a Java seed, and Java and Perl global nodes in one mesh.
 * Ports are found through the distributed database and reached through the master's address
 * lookup; a node's entries vanish when it goes.
 */
@Timeout(90)
class GlobalPerlLiveTest {
    private static final String SECRET = "interop-secret";

    @RegisterExtension
    final TestNodes nodes = new TestNodes();
    private final List<PerlPeer> perls = new ArrayList<>();

    @BeforeEach
    void needsPerl() {
        PerlPeer.assumePerl();
    }

    @AfterEach
    void stopPerl() {
        perls.forEach(PerlPeer::close);
    }

    private PerlPeer perl(String nodeid, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("nodeid=" + nodeid, "bind=127.0.0.1:*", "secret=" + SECRET));
        args.addAll(List.of(more));
        PerlPeer p = PerlPeer.start(nodeid, args.toArray(String[]::new));
        perls.add(p);
        return p;
    }

    private Node java(String id, List<String> seeds, boolean global) {
        return nodes.start(id, b -> b.binds(List.of("127.0.0.1:0")).secret(SECRET).seeds(seeds).global(global));
    }

    /** Asks the database until the family has {@code key}: registrations travel to the master first. */
    private static List<String> keysWith(Node node, String family, String key) throws Exception {
        for (int i = 0; i < 100; i++) {
            List<String> keys = node.db().keys(family).get(10, TimeUnit.SECONDS);
            if (keys.contains(key)) {
                return keys;
            }
        }
        throw new AssertionError(family + " never listed " + key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> awaitFamily(PerlPeer p, String id, java.util.function.Predicate<Map<String, Object>> ok) {
        while (true) {
            Map<String, Object> e = p.await("db_mon", id);
            Map<String, Object> family = (Map<String, Object>) e.get("family");
            if (ok.test(family)) {
                return family;
            }
        }
    }

    @Test
    void aJavaLeafUnderAPerlSeedFindsAndIsFound() throws Exception {
        PerlPeer seed = perl("perlseed", "global=1");
        seed.command("db_reg", "family", "perl_group", "value", "from perl");
        Node leaf = java("javaleaf", seed.binds(), false);

        assertThat(keysWith(leaf, "perl_group", "perlseed#echo")).containsExactly("perlseed#echo");
        Probe<List<Object>> got = new Probe<>();
        PortId reply = leaf.newPort((ctx, m) -> got.put(m));
        leaf.send(PortId.parse("perlseed#echo"), reply.toString(), "found you");
        assertThat(got.next()).containsExactly("found you");

        String mon = seed.command("db_mon", "family", "java_group");
        awaitFamily(seed, mon, Map::isEmpty);
        PortId service = leaf.newPort((ctx, m) -> { });
        leaf.db().register("java_group", service, "from java");
        assertThat(awaitFamily(seed, mon, f -> !f.isEmpty())).containsEntry(service.toString(), "from java");
        leaf.kill(service);
        awaitFamily(seed, mon, Map::isEmpty);

        leaf.db().set("java_group", "javaleaf", 1);
        awaitFamily(seed, mon, f -> f.containsKey("javaleaf"));
        leaf.close();
        awaitFamily(seed, mon, Map::isEmpty); // the leaf's entries vanish when it leaves
    }

    @Test
    void perlLeavesUnderAJavaSeedFindEachOtherThroughIt() throws Exception {
        Node seed = java("javaseed", List.of(), true);
        String seeds = "seeds=" + seed.listenAddresses().get(0);
        PerlPeer a = perl("perla", seeds);
        PerlPeer b = perl("perlb", seeds);
        String mon = b.command("db_mon", "family", "perl_group");
        awaitFamily(b, mon, Map::isEmpty);
        a.command("db_reg", "family", "perl_group", "value", "a");
        assertThat(awaitFamily(b, mon, f -> !f.isEmpty())).containsOnlyKeys("perla#echo");

        // b has no link to a: it asks its master (the Java seed) where a listens
        String ping = b.command("ping", "to", "perla#echo", "msg", List.of("hello a"));
        assertThat(b.reply(ping)).containsExactly("hello a");
        // the Java seed finds a in its own database and reaches it too
        assertThat(keysWith(seed, "perl_group", "perla#echo")).contains("perla#echo");
        Probe<List<Object>> got = new Probe<>();
        PortId reply = seed.newPort((ctx, m) -> got.put(m));
        seed.send(PortId.parse("perla#echo"), reply.toString(), "hello from java");
        assertThat(got.next()).containsExactly("hello from java");

        a.kill(); // a crashes: the Java seed drops its data, and b sees the entry go
        awaitFamily(b, mon, Map::isEmpty);
    }

    @Test
    void javaAndPerlGlobalNodesFormOneMesh() throws Exception {
        PerlPeer perlGlobal = perl("perlglobal", "global=1");
        Node javaGlobal = java("javaglobal", perlGlobal.binds(), true);
        PerlPeer perlLeaf = perl("perlleaf", "seeds=" + String.join(",", perlGlobal.binds()));
        Node javaLeaf = java("javaleaf", javaGlobal.listenAddresses(), false);

        perlLeaf.command("db_reg", "family", "mesh", "value", "perl leaf");
        // registered with the Perl global node, passed on to the Java global node, asked by the Java leaf
        assertThat(keysWith(javaLeaf, "mesh", "perlleaf#echo")).contains("perlleaf#echo");
        Probe<List<Object>> got = new Probe<>();
        PortId reply = javaLeaf.newPort((ctx, m) -> got.put(m));
        javaLeaf.send(PortId.parse("perlleaf#echo"), reply.toString(), "across the mesh");
        assertThat(got.next()).containsExactly("across the mesh");
        assertThat(keysWith(javaLeaf, "'g", "perlglobal")).contains("perlglobal", "javaglobal");

        String mon = perlLeaf.command("db_mon", "family", "mesh");
        javaLeaf.db().set("mesh", "javaleaf", "java leaf");
        assertThat(awaitFamily(perlLeaf, mon, f -> f.containsKey("javaleaf"))).containsKey("perlleaf#echo");
    }
}
