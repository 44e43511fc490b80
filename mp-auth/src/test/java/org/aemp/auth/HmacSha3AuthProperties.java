package org.aemp.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** The hand-built HMAC of {@link HmacSha3Auth} equals the JDK's {@code HmacSHA3-512}, for keys around the block size too. */
class HmacSha3AuthProperties {

    @Property
    void equalsTheJdksHmacSha3512(@ForAll @Size(min = 1, max = 200) byte[] key,
            @ForAll @Size(max = 600) byte[] message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA3-512");
        mac.init(new SecretKeySpec(key, "HmacSHA3-512"));

        assertThat(HmacSha3Auth.hmacHex(key, message)).isEqualTo(HexFormat.of().formatHex(mac.doFinal(message)));
    }

    @Property
    void keysOfExactlyTheBlockSizeAndOneMoreAgreeToo(@ForAll @Size(min = 71, max = 73) byte[] key,
            @ForAll byte[] message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA3-512");
        mac.init(new SecretKeySpec(key, "HmacSHA3-512"));

        assertThat(HmacSha3Auth.hmacHex(key, message)).isEqualTo(HexFormat.of().formatHex(mac.doFinal(message)));
    }
}
