package org.aemp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

class PortIdProperties {

    @Property
    void textFormRoundTrips(@ForAll @StringLength(min = 1, max = 40) String node, @ForAll String name) {
        if (node.indexOf('#') >= 0) {
            return;
        }
        PortId id = new PortId(node, name);
        assertThat(PortId.parse(id.toString())).isEqualTo(id);
    }

    @Property
    void anyTextParsesOrFailsWithTheDocumentedException(@ForAll String text) {
        try {
            PortId id = PortId.parse(text);
            assertThat(text).startsWith(id.node());
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessageContaining("invalid");
        }
    }

    @Property
    void emptyNodeIsAlwaysRejected(@ForAll String name) {
        assertThatThrownBy(() -> PortId.parse("#" + name)).isInstanceOf(IllegalArgumentException.class);
    }
}
