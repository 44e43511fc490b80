package org.aemp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aemp.NodeConfig;
import org.aemp.spi.Secret;
import org.junit.jupiter.api.Test;

class NodeConfigConversionTest {

    @Test
    void perlWrittenWorkerBecomesANodeConfig() {
        NodeConfig c = NodeConfig.builder(Profiles.of(Golden.parsed("perl-written.rc"), () -> "vm")
                .effective("worker", Map.of())).build();
        assertThat(c.nodeId()).isEqualTo("worker/%n/%u");
        assertThat(c.binds()).containsExactly("*:4040");
        assertThat(c.seeds()).containsExactly("127.0.0.1:4040");
        assertThat(c.secret()).contains(Secret.of("interop-secret"));
        assertThat(c.monitorTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.connectInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.framingFormat()).as("Perl's default framing list means: what is on the class path").isEmpty();
        assertThat(c.authOffer()).isEqualTo(NodeConfig.DEFAULT_AUTH_OFFER);
        assertThat(c.authAccept()).isEqualTo(NodeConfig.DEFAULT_AUTH_ACCEPT);
        assertThat(c.secure()).isFalse();
        assertThat(c.cert()).isEmpty();
    }

    @Test
    void section46ProfileBecomesANodeConfig() {
        NodeConfig c = NodeConfig.builder(Profiles.of(Golden.parsed("section-4.6.rc"), () -> "vm")
                .effective("p1", Map.of())).build();
        assertThat(c.binds()).containsExactly("*:4040", "127.0.0.1:*");
        assertThat(c.seeds()).containsExactly("h1:4040", "h2:4040");
        assertThat(c.framingFormat()).contains(List.of("json", "storable"));
        assertThat(c.secure()).as("\"secure\" : \"1\"").isTrue();
        assertThat(c.monitorTimeout()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void nodeIdDefaultsToProfileSlash() {
        assertThat(convert("vm", Map.of()).nodeId()).isEqualTo("vm/");
        assertThat(convert("p", Map.of("nodeid", "a/%n")).nodeId()).isEqualTo("a/%n");
        assertThat(convert("p", Map.of("nodeid", 42L)).nodeId()).isEqualTo("42");
    }

    @Test
    void illegalNodeIdsAreErrors() {
        for (Object bad : Arrays.asList("", "0", 0L)) {
            assertThatThrownBy(() -> convert("p", map("nodeid", bad)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("profile 'p': nodeid");
        }
        assertThatThrownBy(() -> convert("p", map("nodeid", null)))
                .hasMessage("profile 'p': nodeid must be a string, found null");
    }

    @Test
    void bindsAndSeedsAreSplitAtCommasAsPerlDoes() {
        NodeConfig c = convert("p", Map.of("binds", List.of("a:1,b:2", "4040", ",x,,y,,", ""), "seeds",
                List.of("h1:4040,h2:4040", 4041L)));
        assertThat(c.binds()).containsExactly("a:1", "b:2", "4040", "", "x", "", "y");
        assertThat(c.seeds()).containsExactly("h1:4040", "h2:4040", "4041");
    }

    @Test
    void falseOrMissingBindsMeanStarButEmptyMeansNoListener() {
        for (Object none : Arrays.asList(null, "", "0", 0L, false)) {
            assertThat(convert("p", map("binds", none)).binds()).as(String.valueOf(none)).containsExactly("*");
        }
        assertThat(convert("p", Map.of()).binds()).containsExactly("*");
        assertThat(convert("p", Map.of("binds", List.of())).binds()).isEmpty();
        assertThat(convert("p", map("seeds", null)).seeds()).isEmpty();
    }

    @Test
    void wrongAddressTypesNameKeyAndProfile() {
        assertThatThrownBy(() -> convert("worker", Map.of("binds", 4040L)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("profile 'worker': binds must be a JSON array of strings such as [\"host:4040\"],"
                        + " found number 4040");
        assertThatThrownBy(() -> convert("worker", Map.of("seeds", "h:1")))
                .hasMessageStartingWith("profile 'worker': seeds must be a JSON array");
        assertThatThrownBy(() -> convert("worker", Map.of("seeds", List.of("ok", List.of()))))
                .hasMessage("profile 'worker': seeds[1] must be a string, found array []");
    }

    @Test
    void durationsAcceptNumbersAndNumericStrings() {
        NodeConfig c = convert("p", Map.of("monitor_timeout", "20", "connect_interval", 0.25));
        assertThat(c.monitorTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.connectInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(convert("p", Map.of("monitor_timeout", " 1.5 ")).monitorTimeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void badDurationsAreErrors() {
        assertThatThrownBy(() -> convert("p", Map.of("monitor_timeout", "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("profile 'p': monitor_timeout must be a number of seconds (a JSON number or a numeric"
                        + " string such as \"20\"), found string \"soon\"");
        assertThatThrownBy(() -> convert("p", Map.of("connect_interval", 0L)))
                .hasMessage("profile 'p': connect_interval must be > 0 seconds, found number 0");
        assertThatThrownBy(() -> convert("p", Map.of("connect_interval", "1e30")))
                .hasMessageContaining("too large");
    }

    @Test
    void decodeLimitsAreWholeNumbers() {
        NodeConfig defaults = convert("p", Map.of());
        assertThat(defaults.maxFrameElements()).isEqualTo(1_000_000);
        assertThat(defaults.decodeBufferBudget()).isEqualTo(4L * defaults.maxFrameLength());
        NodeConfig c = convert("p", Map.of("max_frame_elements", "5000", "decode_buffer_budget", 5_000_000_000L));
        assertThat(c.maxFrameElements()).isEqualTo(5000);
        assertThat(c.decodeBufferBudget()).isEqualTo(5_000_000_000L);
        assertThat(convert("p", Map.of("decode_buffer_budget", "0")).decodeBufferBudget()).isZero();
        assertThatThrownBy(() -> convert("p", Map.of("max_frame_elements", 0L)))
                .hasMessage("profile 'p': max_frame_elements must be >= 1, found number 0");
        assertThatThrownBy(() -> convert("p", Map.of("decode_buffer_budget", "-1")))
                .hasMessage("profile 'p': decode_buffer_budget must be >= 0, found string \"-1\"");
        assertThatThrownBy(() -> convert("p", Map.of("decode_buffer_budget", "lots")))
                .hasMessageStartingWith("profile 'p': decode_buffer_budget must be a whole number of bytes");
    }

    @Test
    void theLinkChunkSizeIsAWholeNumberOfBytesZeroOrFrom1024() {
        assertThat(convert("p", Map.of()).linkChunkSize()).isEqualTo(65536);
        assertThat(convert("p", Map.of("link_chunk_size", "0")).linkChunkSize()).isZero();
        assertThat(convert("p", Map.of("link_chunk_size", 262144L)).linkChunkSize()).isEqualTo(262144);
        assertThatThrownBy(() -> convert("p", Map.of("link_chunk_size", 100L)))
                .hasMessageContaining("link_chunk_size").hasMessageContaining("0 (off) or >= 1024: 100");
        assertThatThrownBy(() -> convert("p", Map.of("link_chunk_size", "big")))
                .hasMessageStartingWith("profile 'p': link_chunk_size must be a whole number of bytes");
    }

    @Test
    void framingAndAuthListsMustBeArrays() {
        NodeConfig c = convert("p", Map.of("framing_format", List.of("json"), "auth_offer", List.of("hmac_sha3_512"),
                "auth_accept", List.of("cleartext")));
        assertThat(c.framingFormat()).contains(List.of("json"));
        assertThat(c.authOffer()).containsExactly("hmac_sha3_512");
        assertThat(c.authAccept()).containsExactly("cleartext");

        assertThatThrownBy(() -> convert("p", Map.of("framing_format", "json")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("profile 'p': framing_format must be a JSON array of strings such as [\"json\"],"
                        + " found string \"json\" (a plain word on the aemp command line is stored as a string;"
                        + " give the list as JSON: aemp setframing_format '[\"json\"]')");
        assertThatThrownBy(() -> convert("p", Map.of("auth_accept", "cleartext")))
                .hasMessageStartingWith("profile 'p': auth_accept must be a JSON array of strings");
        assertThatThrownBy(() -> convert("p", Map.of("auth_offer", List.of(1L))))
                .hasMessage("profile 'p': auth_offer[0] must be a string, found number 1");
    }

    @Test
    void secureIsReadWithPerlTruthiness() {
        assertThat(convert("p", Map.of("secure", "1")).secure()).isTrue();
        assertThat(convert("p", Map.of("secure", "false")).secure()).isTrue();
        assertThat(convert("p", Map.of("secure", "0")).secure()).isFalse();
        assertThat(convert("p", Map.of("secure", "")).secure()).isFalse();
        assertThat(convert("p", Map.of("secure", false)).secure()).isFalse();
        assertThat(convert("p", Map.of()).secure()).isFalse();
    }

    @Test
    void secretAndCertErrorsDoNotShowTheValues() {
        assertThatThrownBy(() -> convert("p", Map.of("secret", List.of("hush"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("profile 'p': secret must be a string, found array");
        assertThatThrownBy(() -> convert("p", Map.of("secret", "caf\u00e9\u20ac")))
                .hasMessageStartingWith("profile 'p': secret: secret must hold only characters up to U+00FF");
        assertThatThrownBy(() -> convert("p", Map.of("cert", 5L)))
                .hasMessage("profile 'p': cert must be PEM text (a string), found number");
        assertThat(convert("p", map("secret", null)).secret()).isEmpty();
    }

    @Test
    void unusedKeysAreKeptButIgnored() {
        EffectiveConfig e = Profiles.of(Map.of("services", List.of(List.of("f", 1L)), "autocork", "1",
                "nodelay", "0", "eval", "1;", "version", 1L), () -> "h").effective("h", Map.of());
        NodeConfig.builder(e).build();
        assertThat(e.values()).containsKeys("services", "autocork", "nodelay", "eval", "version");
    }

    private static NodeConfig convert(String profile, Map<String, Object> values) {
        return NodeConfig.builder(Profiles.of(RcFile.empty(), () -> "h")
                .effective(profile, values)).build();
    }

    private static Map<String, Object> map(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        return m;
    }
}
