package org.aemp.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A network over TLS, its certificate made for the test, shared by the class's tests (a static field). */
@Timeout(60)
class TlsNetworkTest {
    @RegisterExtension
    static final AempNetwork NET = AempNetwork.builder().nodes(2).tls(true).build();

    @Test
    void everyNodeHasTheTestCertificate() {
        assertThat(NET.node(0).config().cert()).isPresent();
        assertThat(NET.node(1).config().cert()).isEqualTo(NET.node(0).config().cert());
        assertThat(NET.node(1).config().cert().orElseThrow()).contains("BEGIN CERTIFICATE");
    }

    @Test
    void aMessageCrossesOverTls() {
        Inbox inbox = Inbox.open(NET.node(0));
        NET.node(1).send(inbox.port(), "secret", 1);
        inbox.expect("secret", 1);
    }

    @Test
    void theNetworkIsTheSameForEveryTestOfTheClass() {
        assertThat(NET.seed().upNodes()).containsExactly("n1");
        assertThat(Calls.reply(NET.node(0), Calls.echo(NET.node(1)), "over", "tls")).containsExactly("over", "tls");
    }
}
