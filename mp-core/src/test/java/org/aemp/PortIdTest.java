package org.aemp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PortIdTest {

    @Test
    void parsesNodeAndName() {
        PortId p = PortId.parse("alpha#x5dSqUXvpb");
        assertThat(p.node()).isEqualTo("alpha");
        assertThat(p.name()).isEqualTo("x5dSqUXvpb");
        assertThat(p).hasToString("alpha#x5dSqUXvpb");
    }

    @Test
    void splitsAtTheFirstHash() {
        assertThat(PortId.parse("a/b#c#d").name()).isEqualTo("c#d");
    }

    @Test
    void bareNodeIdNamesTheNodePort() {
        PortId p = PortId.parse("anon/gWCoSCZmgV");
        assertThat(p.isNodePort()).isTrue();
        assertThat(p.node()).isEqualTo("anon/gWCoSCZmgV");
        assertThat(p).hasToString("anon/gWCoSCZmgV#");
        assertThat(PortId.parse("beta#")).isEqualTo(PortId.nodePort("beta"));
    }

    @Test
    void rejectsAnEmptyNode() {
        assertThatThrownBy(() -> PortId.parse("#abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<node>#<port>");
        assertThatThrownBy(() -> PortId.parse(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PortId("a#b", "c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a#b'");
    }

    @Test
    void nodeOfIsTheTextBeforeTheFirstHash() {
        assertThat(PortId.nodeOf("alpha#x#y")).isEqualTo("alpha");
        assertThat(PortId.nodeOf("alpha")).isEqualTo("alpha");
    }
}
