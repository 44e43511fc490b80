/**
 * The shared-secret AEMP auth methods: {@link org.aemp.auth.HmacSha3Auth} ({@code hmac_sha3_512},
 * what every AnyEvent::MP 2.x node sends without TLS) and {@link org.aemp.auth.CleartextAuth}
 * ({@code cleartext}, which Perl accepts but never sends). Both register as
 * {@link org.aemp.spi.AuthMethod} providers, so putting this module on the class path is all a node
 * needs to authenticate with a secret.
 */
package org.aemp.auth;
