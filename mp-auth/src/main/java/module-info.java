/** Shared-secret authentication ({@code hmac_sha3_512}, {@code cleartext}) for {@code org.aemp.core}. */
module org.aemp.auth {
    requires transitive org.aemp.core;

    exports org.aemp.auth;

    provides org.aemp.spi.AuthMethod with org.aemp.auth.HmacSha3Auth, org.aemp.auth.CleartextAuth;
}
