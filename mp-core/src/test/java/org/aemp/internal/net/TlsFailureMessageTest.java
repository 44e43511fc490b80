package org.aemp.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** What the handshake logs for a TLS failure: the reason, not just the implementation's top message. */
class TlsFailureMessageTest {

    @Test
    void boringSslsVagueMessageGetsTheRootCause() {
        SSLHandshakeException e = new SSLHandshakeException("General OpenSslEngine problem");
        e.initCause(new CertificateException("PKIX path building failed",
                new Exception("unable to find valid certification path to requested target")));
        assertThat(HandshakeHandler.describe(e)).isEqualTo("General OpenSslEngine problem; cause: unable to find"
                + " valid certification path to requested target");
    }

    @Test
    void aBareWrapperIsSkippedAndARepeatedCauseNotRepeated() {
        SSLHandshakeException alert = new SSLHandshakeException("Received fatal alert: unknown_ca");
        assertThat(HandshakeHandler.describe(new DecoderException(alert))).isEqualTo("Received fatal alert: unknown_ca");
        CertificateException pkix = new CertificateException("PKIX path building failed: no path",
                new Exception("no path"));
        assertThat(HandshakeHandler.describe(pkix)).isEqualTo("PKIX path building failed: no path");
    }

    @Test
    void anExceptionWithoutMessageIsNamedByItsClass() {
        assertThat(HandshakeHandler.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}
