/**
 * TLS for AEMP links: the {@code tls=1.0} upgrade's building blocks. {@link org.aemp.tls.PemBundle}
 * reads the {@code cert} profile value, {@link org.aemp.tls.AempTlsProvider} turns it into
 * mutually authenticating TLS engines (BoringSSL through netty-tcnative when it loads, the JDK
 * otherwise), {@link org.aemp.tls.TlsSha3512Auth} and {@link org.aemp.tls.TlsAnonAuth} are the
 * two auth methods valid on a TLS link, and {@link org.aemp.tls.CertificateGenerator} makes
 * certificates as Perl's {@code aemp gencert} does, or from a small private CA.
 */
package org.aemp.tls;
