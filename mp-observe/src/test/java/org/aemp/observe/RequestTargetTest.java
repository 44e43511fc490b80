package org.aemp.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The request targets the page's server takes, and the ones it refuses with which status. */
class RequestTargetTest {

    @Property
    void anyStringIsParsedOrRefusedWithA4xx(@ForAll @StringLength(max = 1100) String target) {
        try {
            RequestTarget t = RequestTarget.parse(target);
            assertThat(RequestTarget.PATHS).contains(t.path());
            assertThat(target).startsWith(t.path());
        } catch (RequestTarget.Refused e) {
            assertThat(e.status()).isIn(400, 404, 414);
        }
    }

    @Property
    void aServedPathWithAnyTokenGivesTheTokenBack(@ForAll("paths") String path, @ForAll String token,
            @ForAll("otherParameters") String before, @ForAll("otherParameters") String afterParameter)
            throws Exception {
        String after = afterParameter.isEmpty() ? "" : "&" + afterParameter.substring(0, afterParameter.length() - 1);
        String t = path + "?" + before + "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + after;
        if (t.length() > RequestTarget.MAX_LENGTH) {
            return;
        }
        RequestTarget parsed = RequestTarget.parse(t);
        assertThat(parsed.path()).isEqualTo(path);
        // URLEncoder cannot carry a lone surrogate: it becomes '?', as it would in a browser
        String expected = new String(token.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertThat(parsed.token()).contains(expected);
    }

    @Property
    void aPathNotServedIsNotFound(@ForAll("paths") String path, @ForAll("pathChars") String extra) {
        String t = path + extra;
        if (RequestTarget.PATHS.contains(t) || extra.startsWith("?") || extra.startsWith("#")) {
            return;
        }
        assertThatThrownBy(() -> RequestTarget.parse(t)).isInstanceOfSatisfying(RequestTarget.Refused.class,
                e -> assertThat(e.status()).isEqualTo(404));
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of(RequestTarget.PATHS);
    }

    @Provide
    Arbitrary<String> otherParameters() {
        return Arbitraries.strings().withChars("abcxyz=0123").ofMaxLength(10).map(s -> s.isEmpty() ? "" : s + "&")
                .filter(s -> !s.startsWith("token"));
    }

    @Provide
    Arbitrary<String> pathChars() {
        return Arbitraries.strings().withChars("abc/.%-_~").ofMinLength(1).ofMaxLength(20);
    }

    @Test
    void examples() throws Exception {
        assertThat(RequestTarget.parse("/")).isEqualTo(new RequestTarget("/", Optional.empty()));
        assertThat(RequestTarget.parse("/events?token=ab%20c")).isEqualTo(new RequestTarget("/events",
                Optional.of("ab c")));
        assertThat(RequestTarget.parse("/?x=1&token=t#frag").token()).contains("t");
        assertThat(RequestTarget.parse("/?token").token()).contains("");
    }

    @Test
    void refusalsSayWhy() {
        assertThatThrownBy(() -> RequestTarget.parse("http://evil/")).hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> RequestTarget.parse("/?token=a&token=b")).hasMessageContaining("token given twice");
        assertThatThrownBy(() -> RequestTarget.parse("/?token=%zz")).hasMessageContaining("%-escape");
        assertThatThrownBy(() -> RequestTarget.parse("/a b")).hasMessageContaining("escaped");
        assertThatThrownBy(() -> RequestTarget.parse("/" + "a".repeat(2000))).isInstanceOfSatisfying(
                RequestTarget.Refused.class, e -> assertThat(e.status()).isEqualTo(414));
        assertThatThrownBy(() -> RequestTarget.parse("/../etc/passwd")).isInstanceOfSatisfying(
                RequestTarget.Refused.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Property
    void onlyLoopbackHostsWithThePortPass(@ForAll String host, @ForAll int port) {
        if (RequestTarget.isLoopbackHost(host, port)) {
            assertThat(host).isIn("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
        }
        assertThat(RequestTarget.isLoopbackHost("127.0.0.1:" + port, port)).isTrue();
        assertThat(RequestTarget.isLoopbackHost("evil.example:" + port, port)).isFalse();
    }
}
