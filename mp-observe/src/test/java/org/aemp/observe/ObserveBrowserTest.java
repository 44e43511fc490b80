package org.aemp.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;
import org.aemp.testkit.AempNetwork;
import org.aemp.testkit.Calls;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

/**
 * The page in a real browser (headless Chromium over the DevTools protocol): three Java nodes and an
 * observer leaf; the page shows the three nodes, their links with framing and auth, and one node
 * going down within the liveness bound. Leaves {@code target/observe-screenshot.png}. Skips only
 * when {@code /usr/bin/chromium} is missing ({@code .ci/run} installs it).
 */
@Timeout(180)
class ObserveBrowserTest {
    static final Duration LIVENESS = Duration.ofSeconds(6);
    static final Duration INTERVAL = Duration.ofMillis(500);

    @RegisterExtension
    final AempNetwork net = AempNetwork.builder().nodes(3).configure(c -> c.livenessTimeout(LIVENESS)).build();

    @Test
    void thePageShowsThreeNodesTheirLinksAndOneGoingDown(TestLogs logs) throws Exception {
        assumeTrue(HeadlessChromium.available(), "no " + HeadlessChromium.CHROMIUM + " (apt-get install chromium)");
        logs.allow(Level.INFO, ".*");
        net.nodes().forEach(StatsAgent::serve);
        // n1 and n2 talk to each other, so that they are linked as well as to the seed n0; n1 keeps
        // talking, so that the link carries traffic (and its rates show) until n2 goes
        assertThat(Calls.reply(net.node(1), Calls.echo(net.node(2)), "hello")).containsExactly("hello");
        PortId sink = net.node(2).newPort((ctx, m) -> { });
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(() -> net.node(1).send(sink, "tick"), 0, 200, TimeUnit.MILLISECONDS);
        Path target = Path.of(System.getProperty("aemp.observe.screenshot", "target/observe-screenshot.png"))
                .toAbsolutePath().getParent();
        Files.createDirectories(target);

        try (Node watcher = Node.start(NodeConfig.builder().nodeId("observer").binds("127.0.0.1:0")
                .secret(net.secret()).seeds(net.seeds()).livenessTimeout(LIVENESS).build());
                Observer observer = Observer.start(watcher, Observer.Options.builder().interval(INTERVAL).build());
                HeadlessChromium browser = HeadlessChromium.start(target)) {
            browser.navigate(observer.url().toString());

            browser.await("['n0','n1','n2','observer'].every(n => document.querySelector("
                    + "'#vertices [data-node=\"' + n + '\"][data-state=\"up\"]'))", Duration.ofSeconds(30),
                    "the nodes n0, n1, n2 and observer, up");
            browser.await("['n0|n1','n0|n2','n1|n2'].every(l => document.querySelector("
                    + "'#edges [data-link=\"' + l + '\"]'))", Duration.ofSeconds(30), "the links n0-n1, n0-n2, n1-n2");
            browser.await("['n0|n1','n0|n2','n1|n2'].every(l => (document.querySelector("
                    + "'#links [data-link-row=\"' + l + '\"]') || {}).textContent.includes('hmac_sha3_512'))",
                    Duration.ofSeconds(30), "each link's framing and auth method");
            browser.await("document.querySelector('#vertices [data-node=\"n0\"]').getAttribute('data-global')"
                    + " === 'true' && document.querySelector('#vertices [data-node=\"n1\"]').getAttribute('data-kind')"
                    + " === 'java'", Duration.ofSeconds(30), "n0 as the global node, n1 as a Java node");
            browser.await("document.querySelector('#db [data-family=\"aemp_observe\"]')", Duration.ofSeconds(30),
                    "the database family of the stats agents");
            assertThat(observer.pagesOpen()).isEqualTo(1);
            Files.write(target.resolve("observe-screenshot.png"), browser.screenshot());

            ticker.shutdownNow();
            assertThat(ticker.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            net.node(2).close();
            Duration took = browser.await("document.querySelector('#vertices [data-node=\"n2\"]')"
                    + ".getAttribute('data-state') === 'down' && document.querySelector("
                    + "'#log [data-event=\"down\"][data-node=\"n2\"]') && !document.querySelector("
                    + "'#edges [data-link=\"n1|n2\"]')", LIVENESS.plus(INTERVAL).plusSeconds(2),
                    "n2 down, in the log, and its links gone");
            assertThat(took).isLessThan(LIVENESS.plus(INTERVAL).plusSeconds(2));
            assertThat(browser.texts("#vertices [data-state=\"up\"]")).hasSize(3);
            Files.write(target.resolve("observe-screenshot-down.png"), browser.screenshot());
            assertThat(Files.size(target.resolve("observe-screenshot.png"))).isGreaterThan(10_000);
            List<String> log = browser.texts("#log li");
            assertThat(log).anyMatch(l -> l.contains("n2 down"));
        } finally {
            ticker.shutdownNow();
        }
    }
}
