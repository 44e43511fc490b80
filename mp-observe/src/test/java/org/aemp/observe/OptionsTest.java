package org.aemp.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** {@code http=HOST:PORT}, and the checks of {@link Observer.Options}. */
class OptionsTest {

    @Property
    void anyTextIsParsedOrRefusedWithAReason(@ForAll String address) {
        try {
            Observer.Options o = Observer.Options.builder().http(address).build();
            assertThat(o.port()).isBetween(0, 65535);
            assertThat(o.host()).isNotEmpty().doesNotContain("/", "?", "#", "@", " ");
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("http address").contains(address);
        }
    }

    @Property
    void hostAndPortComeBack(@ForAll("hosts") String host, @ForAll @IntRange(max = 65535) int port) {
        String text = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        Observer.Options o = Observer.Options.builder().http(text).build();
        assertThat(o.host()).isEqualTo(host);
        assertThat(o.port()).isEqualTo(port);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> hosts() {
        return net.jqwik.api.Arbitraries.of("127.0.0.1", "localhost", "::1", "0.0.0.0", "10.1.2.3", "my-host.example");
    }

    @Test
    void shortFormsMeanLoopback() {
        assertThat(Observer.Options.builder().http("8080").build().host()).isEqualTo("127.0.0.1");
        assertThat(Observer.Options.builder().http(":8080").build().port()).isEqualTo(8080);
        assertThatThrownBy(() -> Observer.Options.builder().http("::1:80").build())
                .hasMessageContaining("host:port or [v6]:port");
        assertThatThrownBy(() -> Observer.Options.builder().http("h:70000").build()).hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> Observer.Options.builder().interval(Duration.ofMillis(5)).build())
                .hasMessageContaining("at least 100 ms");
        assertThatThrownBy(() -> Observer.Options.builder().maxClients(0).build()).hasMessageContaining("> 0");
    }
}
