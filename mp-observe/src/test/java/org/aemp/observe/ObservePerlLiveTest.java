package org.aemp.observe;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.testkit.AempNetwork;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

/**
 * A live Perl AnyEvent::MP 2.02 node in the graph, known from what the protocol offers (the global
 * database, {@code up_nodes}, the greeting's provider) with no change on the Perl side. Runs when
 * {@code AEMP_PERL5LIB} is set and Chromium is installed; skips otherwise.
 */
@Timeout(180)
class ObservePerlLiveTest {
    @RegisterExtension
    final AempNetwork net = AempNetwork.builder().nodes(2).perlPeers(1).codec("cbor", "json").build();

    @Test
    void aPerlNodeAppearsAsPerlWithItsLinks(TestLogs logs) throws Exception {
        assumeTrue(HeadlessChromium.available(), "no " + HeadlessChromium.CHROMIUM);
        logs.allow(Level.INFO, ".*");
        net.nodes().forEach(StatsAgent::serve);
        String perl = net.perl(0).node();
        Path target = Path.of(System.getProperty("aemp.observe.screenshot", "target/observe-screenshot.png"))
                .toAbsolutePath().getParent();
        try (Node watcher = Node.start(NodeConfig.builder().nodeId("observer").binds("127.0.0.1:0")
                .secret(net.secret()).seeds(net.seeds()).build());
                Observer observer = Observer.start(watcher, Observer.Options.builder()
                        .interval(Duration.ofMillis(500)).build());
                HeadlessChromium browser = HeadlessChromium.start(target.resolve("perl-live"))) {
            browser.navigate(observer.url().toString());
            browser.await("(document.querySelector('#vertices [data-node=\"" + perl + "\"]') || {getAttribute: () => ''})"
                    + ".getAttribute('data-kind') === 'perl'", Duration.ofSeconds(40), "node " + perl + " as a Perl node");
            browser.await("document.querySelector('#edges [data-link=\"n0|" + perl + "\"]')", Duration.ofSeconds(40),
                    "the link between the seed n0 and " + perl);
            Files.write(target.resolve("observe-screenshot-perl.png"), browser.screenshot());
        }
    }
}
