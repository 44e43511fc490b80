package org.aemp.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.aemp.spi.AuthMethod;
import org.aemp.spi.Secret;
import org.aemp.spi.Transcript;
import org.junit.jupiter.api.Test;

/** The TLS auth methods against the worked example of PROTOCOL.md §12.1 and CRYPTO-NOTES §2.1. */
class TlsAuthMethodsTest {
    private static final String A1 = "aemp;1;alpha;tls_sha3_512,hmac_sha3_512,tls_anon,cleartext;cbor,json,storable;"
            + "provider=AE-2.02;peeraddr=127.0.0.1:4040;mproto=1;gproto=1";
    private static final String A2 =
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BB";
    private static final String B1 = "aemp;1;beta;hmac_sha3_512;json;provider=Java-0.1;peeraddr=127.0.0.1:50000;"
            + "mproto=1;gproto=1";
    private static final String B2 =
            "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoOEhYaHiImKi4yNjo+QkZKTlJWWl5iZmpucnZ6foKGio6Sl";
    private static final String ALPHA_TOKEN = "d34e2e2586f157d8cd832248606f19f51d2451b9aeba4c085a34daefef7a1580"
            + "bbc999cc467f3d8df6b22aecf149ab0fdbcd5d5bca87ff98bd9ed03c9492c5d7";
    private static final String BETA_TOKEN = "ea37859e25afb268a24acc747afd8dcc5178d6cdcb2c347659fcd19a921b46fa"
            + "b71680e6fe5e02b4168add4e65544644fe29beb7c5290560c09660ed88b77934";

    private final Transcript alpha = Transcript.of(bytes(A1), bytes(A2), bytes(B1), bytes(B2));
    private final AuthMethod sha3 = new TlsSha3512Auth();
    private final AuthMethod anon = new TlsAnonAuth();

    @Test
    void exampleLinesAreTheDocumentedLengths() {
        assertThat(A1).hasSize(136);
        assertThat(B1).hasSize(91);
        assertThat(alpha.bytes()).hasSize(407);
    }

    @Test
    void tlsSha3512TokensMatchTheWorkedExample() {
        assertThat(sha3.token(alpha, null)).isEqualTo(ALPHA_TOKEN);
        assertThat(sha3.token(alpha.reversed(), null)).isEqualTo(BETA_TOKEN);
    }

    @Test
    void tlsSha3512IgnoresTheSecret() {
        assertThat(sha3.token(alpha, Secret.of("aemp-example-secret"))).isEqualTo(ALPHA_TOKEN);
    }

    @Test
    void tlsSha3512VerifiesThePeersTokenOnly() {
        assertThat(sha3.verify(alpha, null, BETA_TOKEN)).isTrue();
        assertThat(sha3.verify(alpha, null, ALPHA_TOKEN)).isFalse();
        assertThat(sha3.verify(alpha, null, BETA_TOKEN.toUpperCase())).isFalse();
        assertThat(sha3.verify(alpha, null, "")).isFalse();
    }

    @Test
    void tlsAnonTokenIsEmpty() {
        assertThat(anon.token(alpha, null)).isEmpty();
        assertThat(anon.verify(alpha, null, "")).isTrue();
        assertThat(anon.verify(alpha, null, BETA_TOKEN)).isFalse();
    }

    @Test
    void bothNeedTlsAndNoSecret() {
        for (AuthMethod m : new AuthMethod[] {sha3, anon}) {
            assertThat(m.requiresTls()).as(m.name()).isTrue();
            assertThat(m.requiresSecret()).as(m.name()).isFalse();
        }
        assertThat(sha3.name()).isEqualTo("tls_sha3_512");
        assertThat(anon.name()).isEqualTo("tls_anon");
    }

    @Test
    void serviceLoaderFindsBothByName() {
        Map<String, AuthMethod> found = ServiceLoader.load(AuthMethod.class, getClass().getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).collect(Collectors.toMap(AuthMethod::name, m -> m));

        assertThat(found.get("tls_sha3_512")).isInstanceOf(TlsSha3512Auth.class);
        assertThat(found.get("tls_anon")).isInstanceOf(TlsAnonAuth.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(US_ASCII);
    }
}
