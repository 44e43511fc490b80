package org.aemp.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class IdsTest {

    @RepeatedTest(20)
    void runiqHasTenAlphanumericsEndingUpperCaseOrDigit() {
        String r = Ids.runiq();
        assertThat(r).matches("[0-9A-Za-z]{9}[0-9A-Z]");
    }

    @Test
    void trailingSlashAndPercentUBecomeTheRandomPart() {
        assertThat(Ids.expandNodeId("anon/", "host", "k3J9aQ0zXB")).isEqualTo("anon/k3J9aQ0zXB");
        assertThat(Ids.expandNodeId("aemp/%n/%u", "cerebro", "ZQDGSIkRhE")).isEqualTo("aemp/cerebro/ZQDGSIkRhE");
        assertThat(Ids.expandNodeId("fixed", "cerebro", "ZQDGSIkRhE")).isEqualTo("fixed");
        assertThat(Ids.hasRandomPart("anon/")).isTrue();
        assertThat(Ids.hasRandomPart("a/%u/b")).isTrue();
        assertThat(Ids.hasRandomPart("a/%n")).isFalse();
    }

    @Test
    void rejectsIdsThatCannotTravelInAGreeting() {
        for (String bad : new String[] {"", "0", "a#b", "a;b", "a,b", "a b", "a\nb"}) {
            assertThatThrownBy(() -> Ids.checkNodeId(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid node id");
        }
    }

    @Test
    void magicIncrementCountsLikePerl() {
        assertThat(Ids.increment("a")).isEqualTo("b");
        assertThat(Ids.increment("z")).isEqualTo("aa");
        assertThat(Ids.increment("az")).isEqualTo("ba");
        assertThat(Ids.increment("zz")).isEqualTo("aaa");
    }

    @Test
    void localNamesAndSpawnNamesHaveTheShapesOf202AndNeverRepeat() {
        PortNames prefixed = new PortNames("gWCoSCZmgV", false);
        String first = prefixed.newLocalName();
        assertThat(first).matches("[0-9A-Za-z]{9}b");
        assertThat(prefixed.newSpawnName()).isEqualTo("gWCoSCZmgVc");

        PortNames bare = new PortNames("gWCoSCZmgV", true);
        assertThat(bare.newLocalName()).isEqualTo("b");
        assertThat(bare.newLocalName()).isEqualTo("c");

        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertThat(seen.add(bare.newLocalName())).isTrue();
            assertThat(seen.add(bare.newSpawnName())).isTrue();
        }
    }
}
