package org.aemp.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.aemp.LinkStats;
import org.junit.jupiter.api.Test;

/** The observer's model: when a node is up or down, which links it draws, and what it does with junk. */
class NetworkViewTest {
    private final AtomicLong clock = new AtomicLong(1_000);

    /** One input: a node in or out of {@code 'l}, or the observer's link to it up or down. */
    record Step(String node, boolean directory, boolean present) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.of("a", "b", "c"), Arbitraries.of(true, false),
                Arbitraries.of(true, false)).as(Step::new).list().ofMaxSize(60);
    }

    @Property
    void aNodeIsUpExactlyWhileItIsInTheDirectoryOrLinkedAndEveryChangeIsLoggedOnce(
            @ForAll("steps") List<Step> steps) {
        NetworkView v = new NetworkView("me", clock::incrementAndGet, 3);
        Set<String> directory = new HashSet<>();
        Set<String> linked = new HashSet<>();
        Map<String, String> expected = new HashMap<>();
        List<String> expectedEvents = new ArrayList<>(List.of("me up"));
        for (Step s : steps) {
            Set<String> set = s.directory() ? directory : linked;
            if (s.present()) {
                set.add(s.node());
            } else {
                set.remove(s.node());
            }
            if (s.directory()) {
                Map<String, Object> family = new LinkedHashMap<>();
                directory.forEach(n -> family.put(n, List.of("127.0.0.1:1")));
                v.directory(family);
            } else {
                v.linkChanged(s.node(), s.present(), "gone");
            }
            for (String n : List.of("a", "b", "c")) {
                String now = directory.contains(n) || linked.contains(n) ? "up" : "down";
                String before = expected.get(n);
                if (before == null ? now.equals("up") : !before.equals(now)) {
                    expectedEvents.add(n + " " + now);
                }
                if (before != null || now.equals("up")) {
                    expected.put(n, now);
                }
            }
        }
        Map<String, Object> snap = v.snapshot();
        Map<String, String> states = new HashMap<>();
        for (Object o : (List<?>) snap.get("nodes")) {
            Map<?, ?> n = (Map<?, ?>) o;
            states.put((String) n.get("id"), (String) n.get("state"));
        }
        assertThat(states.remove("me")).isEqualTo("up");
        expected.forEach((n, s) -> assertThat(states.get(n)).as(n).isEqualTo(s));
        List<String> events = new ArrayList<>();
        for (Object o : (List<?>) snap.get("events")) {
            Map<?, ?> e = (Map<?, ?>) o;
            events.add(e.get("node") + " " + e.get("event"));
        }
        assertThat(events).isEqualTo(expectedEvents.subList(Math.max(0, expectedEvents.size()
                - NetworkView.MAX_EVENTS), expectedEvents.size()));
    }

    @Test
    void linksComeFromUpNodesAnswersBetweenNodesThatAreUpAndGoStale() {
        NetworkView v = new NetworkView("me", clock::incrementAndGet, 2);
        v.directory(Map.of("a", List.of(), "b", List.of(), "c", List.of()));
        v.upNodes("a", List.of("b", "me", "nobody"));
        v.upNodes("stranger", List.of("a"));
        assertThat(linkIds(v)).containsExactly("a|b", "a|me");
        v.directory(Map.of("a", List.of(), "c", List.of()));
        assertThat(linkIds(v)).containsExactly("a|me");
        v.tick();
        v.tick();
        v.tick();
        assertThat(linkIds(v)).isEmpty();
    }

    @Test
    void agentNumbersLabelTheLinkAndGiveRates() {
        NetworkView v = new NetworkView("me", clock::get, 3);
        v.directory(Map.of("a", List.of(), "b", List.of()));
        v.agents(Map.of("a#agent", "x"));
        v.agentStats("a", List.of(link("b", 10, 1000)));
        clock.addAndGet(2000);
        v.agentStats("a", List.of(link("b", 30, 5000), "junk", Map.of("node", 5)));
        v.agentStats("b", List.of(link("a", 1, 1))); // b runs no agent: ignored
        Map<?, ?> l = (Map<?, ?>) ((List<?>) v.snapshot().get("links")).get(0);
        assertThat(l.get("id")).isEqualTo("a|b");
        assertThat(l.get("framing")).isEqualTo("json");
        assertThat(l.get("auth")).isEqualTo("hmac_sha3_512");
        assertThat(l.get("messageRate")).isEqualTo(10.0);
        assertThat(l.get("byteRate")).isEqualTo(2000.0);
        assertThat(l.get("measuredBy")).isEqualTo("a");
    }

    @Test
    void theObserversOwnLinksTellPerlFromJava() {
        NetworkView v = new NetworkView("me", clock::incrementAndGet, 3);
        v.directory(Map.of("p", List.of(), "j", List.of()));
        v.ownLinks(List.of(
                new LinkStats("p", true, "cbor", 0, 0, 0, 0, 0, false, Duration.ZERO, 0, 0, "hmac_sha3_512", false,
                        "AE-2.02"),
                new LinkStats("j", true, "json", 0, 0, 0, 0, 0, false, Duration.ZERO, 0, 0, "tls_anon", true,
                        "aemp-java-0.1.0")));
        Map<String, Object> kinds = new HashMap<>();
        for (Object o : (List<?>) v.snapshot().get("nodes")) {
            Map<?, ?> n = (Map<?, ?>) o;
            kinds.put((String) n.get("id"), n.get("kind"));
        }
        assertThat(kinds).containsEntry("p", "perl").containsEntry("j", "java").containsEntry("me", "java");
    }

    @Property(tries = 50)
    void hostileInputIsBounded(@ForAll("longText") String text) {
        NetworkView v = new NetworkView("me", clock::incrementAndGet, 3);
        Map<String, Object> family = new HashMap<>();
        for (int i = 0; i < NetworkView.MAX_NODES + 50; i++) {
            family.put(text + i, List.of(text));
        }
        v.directory(family);
        v.family(text, Map.of(text, text));
        List<?> nodes = (List<?>) v.snapshot().get("nodes");
        assertThat(nodes).hasSizeLessThanOrEqualTo(NetworkView.MAX_NODES);
        for (Object o : nodes) {
            assertThat(((String) ((Map<?, ?>) o).get("id")).length()).isLessThanOrEqualTo(PeerText.MAX + 1);
        }
        assertThat(String.valueOf(v.snapshot()).length()).isLessThan(2_000_000 + 400 * NetworkView.MAX_NODES
                * (PeerText.MAX + 1));
    }

    @Provide
    Arbitrary<String> longText() {
        return Arbitraries.strings().ofMinLength(0).ofMaxLength(5000);
    }

    @Property
    void peerTextForLogsHasNoControlCharacters(@ForAll String s) {
        String e = PeerText.escape(s);
        assertThat(e.codePoints().noneMatch(cp -> cp < 0x20 || cp == 0x7f
                || Character.getType(cp) == Character.FORMAT || Character.getType(cp) == Character.LINE_SEPARATOR))
                .isTrue();
        assertThat(PeerText.cut(s).length()).isLessThanOrEqualTo(PeerText.MAX + 1);
    }

    private static Map<String, Object> link(String peer, long messages, long bytes) {
        Map<String, Object> m = new HashMap<>();
        m.put("node", peer);
        m.put("up", true);
        m.put("framing", "json");
        m.put("auth", "hmac_sha3_512");
        m.put("tls", false);
        m.put("messagesIn", messages);
        m.put("messagesOut", 0);
        m.put("bytesIn", bytes);
        m.put("bytesOut", 0L);
        return m;
    }

    private static List<String> linkIds(NetworkView v) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v.snapshot().get("links")) {
            out.add((String) ((Map<?, ?>) o).get("id"));
        }
        return out;
    }
}
