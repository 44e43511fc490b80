package org.aemp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfilesTest {
    private static final List<String> FRAMINGS = List.of("cbor", "json", "storable");
    private static final List<String> OFFER = List.of("tls_sha3_512", "hmac_sha3_512");
    private static final List<String> ACCEPT = List.of("tls_sha3_512", "hmac_sha3_512", "tls_anon", "cleartext");

    private final Profiles perlWritten = Profiles.of(Golden.parsed("perl-written.rc"), () -> "vm");
    private final Profiles section46 = Profiles.of(Golden.parsed("section-4.6.rc"), () -> "vm");

    @Test
    void showProfileMatchesPerl() {
        assertThat(perlWritten.showProfile("worker"))
                .isEqualTo(Golden.parsed("perl-written.showprofile-worker.json"));
        assertThat(perlWritten.showProfile("nosuch")).isEmpty();
    }

    @Test
    void showConfigMatchesPerl() {
        assertThat(perlWritten.effective("worker", Map.of()).showConfig())
                .isEqualTo(Golden.parsed("perl-written.showconfig-worker.json"));
    }

    @Test
    void effectiveValuesKeepProfileAndParentForCallers() {
        EffectiveConfig c = perlWritten.effective("worker", Map.of());
        assertThat(c.profile()).isEqualTo("worker");
        assertThat(c.values()).containsKeys("profile", "parent", "services", "version");
        assertThat(c.values().get("parent")).isEqualTo("seed");
        assertThat(c.showConfig()).doesNotContainKeys("profile", "parent");
    }

    @Test
    void withoutRcFileShowConfigIsTheDefaultsAndVersion() {
        // CONFIG-CLI.md §4.7: `aemp showconfig` with no rc file on host vm
        Profiles none = Profiles.of(RcFile.empty(), () -> "vm");
        assertThat(none.configure(Map.of()).showConfig()).isEqualTo(Map.of(
                "framing_format", FRAMINGS, "monitor_timeout", 30L, "auth_accept", ACCEPT,
                "version", 1L, "auth_offer", OFFER, "connect_interval", 2L));
        assertThat(none.configure(Map.of()).profile()).isEqualTo("vm");
    }

    @Test
    void rcFileWinsOverArguments() {
        // printed by Perl: aemp showconfig p1 secret override connect_interval 5
        Map<String, Object> shown = section46.effective("p1", Map.of("secret", "override", "connect_interval", "5"))
                .showConfig();
        assertThat(shown).isEqualTo(map(
                "binds", List.of("*:4040", "127.0.0.1:*"), "nodelay", "0", "connect_interval", "5",
                "auth_offer", OFFER, "secure", "1", "monitor_timeout", "20",
                "framing_format", List.of("json", "storable"), "secret", "abc",
                "seeds", List.of("h1:4040", "h2:4040"), "auth_accept", ACCEPT, "nodeid", "p1/%n/%u",
                "version", 1L));
    }

    @Test
    void forceLetsArgumentsAndDefaultsWin() {
        // printed by Perl: aemp showconfig p1 secret override binds '["x:1"]' force 1
        Map<String, Object> shown = section46
                .effective("p1", Map.of("secret", "override", "binds", List.of("x:1"), "force", "1"))
                .showConfig();
        assertThat(shown).isEqualTo(map(
                "version", 1L, "connect_interval", 2L, "seeds", List.of("h1:4040", "h2:4040"),
                "secret", "override", "secure", "1", "binds", List.of("x:1"), "nodeid", "p1/%n/%u",
                "auth_offer", OFFER, "nodelay", "0", "framing_format", FRAMINGS, "auth_accept", ACCEPT,
                "monitor_timeout", 30L));
    }

    @Test
    void norcIgnoresTheFile() {
        // printed by Perl: aemp showconfig p1 secret override binds '["x:1"]' norc 1
        Map<String, Object> shown = section46
                .effective("p1", Map.of("secret", "override", "binds", List.of("x:1"), "norc", "1"))
                .showConfig();
        assertThat(shown).isEqualTo(map(
                "connect_interval", 2L, "secret", "override", "auth_accept", ACCEPT, "binds", List.of("x:1"),
                "framing_format", FRAMINGS, "monitor_timeout", 30L, "auth_offer", OFFER));
    }

    @Test
    void falseNorcAndForceAreIgnored() {
        Map<String, Object> plain = section46.effective("p1", Map.of()).showConfig();
        assertThat(section46.effective("p1", Map.of("norc", "0", "force", "")).showConfig()).isEqualTo(plain);
        assertThat(section46.effective("p1", Map.of("norc", false)).showConfig()).isEqualTo(plain);
    }

    @Test
    void missingProfileGivesTheGlobalDefaults() {
        Map<String, Object> shown = section46.effective("nosuch", Map.of()).showConfig();
        assertThat(shown).containsEntry("secret", "abc").doesNotContainKeys("binds", "nodeid");
    }

    @Test
    void missingParentEndsTheChainAtTheTopLevel() {
        Map<String, Object> rc = Map.of("secret", "top", "profile", Map.of("a", Map.of("parent", "gone", "x", 1L)));
        Map<String, Object> resolved = Profiles.of(rc).resolve("a");
        assertThat(resolved).containsEntry("secret", "top").containsEntry("x", 1L).containsEntry("parent", "gone");
    }

    @Test
    void childOverridesParentOverridesTop() {
        Map<String, Object> rc = Map.of("k", "top", "j", "top", "i", "top", "profile", Map.of(
                "child", Map.of("parent", "mid", "k", "child"),
                "mid", Map.of("k", "mid", "j", "mid")));
        assertThat(Profiles.of(rc).resolve("child"))
                .containsEntry("k", "child").containsEntry("j", "mid").containsEntry("i", "top");
        assertThat(Profiles.of(rc).resolve(null)).containsEntry("k", "top");
    }

    @Test
    void topLevelParentIsNeverFollowed() {
        Map<String, Object> rc = Map.of("parent", "p", "profile", Map.of("p", Map.of("secret", "from-p")));
        assertThat(Profiles.of(rc).effective("other", Map.of()).values()).doesNotContainKey("secret");
    }

    @Test
    void parentLoopIsAnError() {
        Map<String, Object> rc = Map.of("profile", Map.of(
                "a", Map.of("parent", "b"), "b", Map.of("parent", "c"), "c", Map.of("parent", "a")));
        assertThatThrownBy(() -> Profiles.of(rc).effective("a", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("profile 'a': loop of parent profiles: a -> b -> c -> a");
        Map<String, Object> self = Map.of("profile", Map.of("s", Map.of("parent", "s")));
        assertThatThrownBy(() -> Profiles.of(self).resolve("s")).hasMessageContaining("s -> s");
        // norc never looks at the file
        assertThat(Profiles.of(rc).effective("a", Map.of("norc", 1L)).values()).containsKey("monitor_timeout");
    }

    @Test
    void badProfileShapesAreErrors() {
        assertThatThrownBy(() -> Profiles.of(Map.of("profile", "x")).resolve("a"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("\"profile\" must be an object");
        assertThatThrownBy(() -> Profiles.of(Map.of("profile", Map.of("a", List.of()))).showProfile("a"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("profile 'a' must be a JSON object, found array []");
        assertThatThrownBy(() -> Profiles.of(Map.of("profile", Map.of("a", Map.of("parent", 5L)))).resolve("a"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("profile 'a': parent must be a profile name (a string), found number 5");
    }

    @Test
    void configureTakesTheProfileFromArgumentsOrTheHostName() {
        Map<String, Object> rc = Map.of("profile", Map.of("vm", Map.of("x", "host"), "named", Map.of("x", "named")));
        Profiles p = Profiles.of(rc, () -> "vm");
        assertThat(p.defaultProfileName()).isEqualTo("vm");
        assertThat(p.configure(Map.of()).values()).containsEntry("x", "host");
        EffectiveConfig named = p.configure(Map.of("profile", "named"));
        assertThat(named.profile()).isEqualTo("named");
        assertThat(named.values()).containsEntry("x", "named");
    }

    @Test
    void resultsAreSnapshots() {
        Map<String, Object> rc = RcFile.empty();
        Profiles p = Profiles.of(rc);
        rc.put("secret", "later");
        assertThat(p.resolve(null)).doesNotContainKey("secret");
        assertThatThrownBy(() -> p.rc().put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
