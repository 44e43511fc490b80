package org.aemp.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Bind and seed entries ({@code host:port}, {@code [v6]:port}, ...): a HostPort or an IllegalArgumentException. */
class AddressesProperties {

    @Property(tries = 2000)
    void anyTextGivesAHostPortOrAnIllegalArgumentException(@ForAll String entry) {
        check(entry);
    }

    @Property(tries = 2000)
    void anyTextMadeOfAddressPiecesGivesAHostPortOrAnIllegalArgumentException(@ForAll("addressish") String entry) {
        check(entry);
    }

    private static void check(String entry) {
        try {
            Addresses.HostPort hp = Addresses.parse(entry);
            assertThat(hp.port()).isBetween(0, 65535);
            assertThat(hp.host()).isNotNull();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("invalid address '" + entry + "'");
        }
    }

    @Provide
    Arbitrary<String> addressish() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("[", "]", ":", "::1", "*", "127.0.0.1", "host", "65535", "65536", "-1", "0", " ",
                        "+80", "99999999999", "fe80::1%eth0"),
                Arbitraries.strings().ofMaxLength(6));
        return piece.list().ofMaxSize(6).map(l -> String.join("", l));
    }

    @Property(tries = 1000)
    void theTextFormRoundTrips(@ForAll("hosts") String host, @ForAll @IntRange(min = 0, max = 65535) int port) {
        Addresses.HostPort hp = new Addresses.HostPort(host, port);
        assertThat(Addresses.parse(hp.toString())).isEqualTo(hp);
    }

    @Provide
    Arbitrary<String> hosts() {
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('.', '-')
                .ofMinLength(1).ofMaxLength(20).filter(s -> !s.chars().allMatch(Character::isDigit) && !s.equals("*"));
        Arbitrary<String> v4 = Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(l -> l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3));
        Arbitrary<String> v6 = Combinators.combine(Arbitraries.integers().between(0, 0xffff).list().ofMinSize(2).ofMaxSize(8),
                Arbitraries.of(true, false)).as((groups, compress) -> {
                    StringBuilder b = new StringBuilder(compress ? "::" : "");
                    for (int i = 0; i < groups.size(); i++) {
                        b.append(i > 0 ? ":" : "").append(Integer.toHexString(groups.get(i)));
                    }
                    return b.toString();
                });
        return Arbitraries.oneOf(name, v4, v6);
    }
}
