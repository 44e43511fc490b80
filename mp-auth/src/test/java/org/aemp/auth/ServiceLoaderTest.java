package org.aemp.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;
import org.aemp.spi.AuthMethod;
import org.junit.jupiter.api.Test;

class ServiceLoaderTest {

    @Test
    void serviceLoaderFindsBothMethodsByName() {
        assertThat(ServiceLoader.load(AuthMethod.class).stream().map(ServiceLoader.Provider::get))
                .extracting(AuthMethod::name)
                .contains(HmacSha3Auth.NAME, CleartextAuth.NAME)
                .doesNotHaveDuplicates();
        assertThat(ServiceLoader.load(AuthMethod.class).stream().map(ServiceLoader.Provider::type))
                .contains(HmacSha3Auth.class, CleartextAuth.class);
    }
}
