package org.aemp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.aemp.spi.Codec;
import org.aemp.testing.TestCodec;
import org.junit.jupiter.api.Test;

class ProvidersTest {

    @Test
    void serviceLoaderFindsTheCodecOnTheClassPath() {
        List<Codec> found = Providers.load(Codec.class, getClass().getClassLoader());
        assertThat(found).extracting(Codec::name).contains("test");
    }

    @Test
    void aNodeOffersTheDiscoveredCodecs() throws Exception {
        try (Node node = Node.start(NodeConfig.builder().nodeId("a").binds(List.of()).build())) {
            assertThat(node.codecs()).extracting(Codec::name).containsExactly("test");
        }
    }

    @Test
    void withNoCodecOnTheClassPathTheErrorNamesTheJarToAdd() {
        ClassLoader hiding = new ClassLoader(getClass().getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.startsWith("META-INF/services/") ? Collections.emptyEnumeration() : super.getResources(name);
            }
        };
        List<Codec> none = Providers.load(Codec.class, hiding);
        assertThat(none).isEmpty();
        assertThatThrownBy(() -> Providers.codecs(none, null))
                .isInstanceOf(AempException.class)
                .hasMessageContaining("mp-codec-json");
        assertThatThrownBy(() -> Node.start(NodeConfig.builder().nodeId("a").binds(List.of()).codecs(List.of()).build()))
                .isInstanceOf(AempException.class)
                .hasMessageContaining("org.aemp:mp-codec-json");
    }

    @Test
    void anUnknownFramingFormatListsWhatIsAvailable() {
        assertThatThrownBy(() -> Providers.codecs(List.of(new TestCodec()), List.of("cbor")))
                .isInstanceOf(AempException.class)
                .hasMessageContaining("available: [test]")
                .hasMessageContaining("mp-codec-cbor");
    }

    @Test
    void framingFormatChoosesAndOrdersTheCodecs() {
        Codec json = new NamedCodec("json", 0);
        Codec kryo = new NamedCodec("kryo", 20);
        Codec cbor = new NamedCodec("cbor", 10);
        assertThat(Providers.codecs(List.of(json, kryo, cbor), null)).extracting(Codec::name)
                .containsExactly("kryo", "cbor", "json");
        assertThat(Providers.codecs(List.of(json, kryo, cbor), List.of("json", "nosuch", "cbor")))
                .extracting(Codec::name).containsExactly("json", "cbor");
    }

    private record NamedCodec(String name, int preference) implements Codec {
        @Override
        public org.aemp.spi.FrameEncoder newEncoder() {
            throw new UnsupportedOperationException();
        }

        @Override
        public org.aemp.spi.FrameDecoder newDecoder(org.aemp.spi.DecodeLimits limits) {
            throw new UnsupportedOperationException();
        }
    }
}
