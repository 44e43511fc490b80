package org.aemp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@code aemp observe}'s words: its options are taken out wherever they stand, the rest stays in order. */
class ObserveArgumentsTest {

    @Provide
    Arbitrary<List<Object>> words() {
        Arbitrary<Object> plain = Arbitraries.strings().ofMaxLength(8).map(s -> (Object) s);
        Arbitrary<Object> option = Arbitraries.of("http=127.0.0.1:8080", "public", "families=a,b", "http=:1",
                "families=x");
        Arbitrary<Object> other = Arbitraries.of((Object) null, 1, List.of("x"));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, plain), net.jqwik.api.Tuple.of(2, option),
                net.jqwik.api.Tuple.of(1, other)).list().ofMaxSize(8);
    }

    @Property
    void optionsAreTakenOutAndTheRestKeepsItsOrder(@ForAll("words") List<Object> words) {
        ObserveArguments parsed;
        try {
            parsed = ObserveArguments.parse(words);
        } catch (CommandException e) {
            assertThat(e.getMessage()).startsWith("observe: ").containsAnyOf("given twice", "empty family");
            return;
        }
        List<Object> rest = new ArrayList<>();
        for (Object w : words) {
            if (!(w instanceof String s && (s.startsWith("http=") || s.equals("public") || s.startsWith("families=")))) {
                rest.add(w);
            }
        }
        assertThat(parsed.nodeWords()).isEqualTo(rest);
        assertThat(parsed.publicAccess()).isEqualTo(words.contains("public"));
        if (parsed.http() != null) {
            assertThat(words).contains("http=" + parsed.http());
        }
        assertThat(parsed.families()).allMatch(f -> !f.isEmpty());
    }

    @Test
    void examples() {
        ObserveArguments a = ObserveArguments.parse(List.of("aemp", "http=0.0.0.0:8080", "public", "families=jobs,w",
                "force", "1"));
        assertThat(a.nodeWords()).containsExactly("aemp", "force", "1");
        assertThat(a.http()).isEqualTo("0.0.0.0:8080");
        assertThat(a.publicAccess()).isTrue();
        assertThat(a.families()).containsExactly("jobs", "w");
        assertThat(ObserveArguments.parse(List.of()).http()).isNull();
        assertThatThrownBy(() -> ObserveArguments.parse(List.of("families=a,,b")))
                .hasMessageContaining("an empty family name");
        assertThatThrownBy(() -> ObserveArguments.parse(List.of("public", "public"))).hasMessageContaining("twice");
    }
}
