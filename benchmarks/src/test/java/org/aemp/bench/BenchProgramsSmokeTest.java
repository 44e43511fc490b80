package org.aemp.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aemp.config.JsonValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the memory, handshake, scale and soak programs with tiny sizes; checks their output's
 * shape, never a figure. The scale and soak runs start child JVMs.
 */
class BenchProgramsSmokeTest {

    @Test
    @Timeout(120)
    void idlePortsPrintsBytesPerPortForEachKind() throws Exception {
        List<String> lines = IdlePorts.run(List.of("n=2000", "rounds=1"));

        assertThat(lines).hasSize(2);
        assertThat(json(lines.get(0))).containsEntry("kind", "receiver").containsEntry("ports", 2000L)
                .containsKeys("bytes_per_port", "portid_bytes", "heap_before_mb", "heap_after_mb", "load");
        assertThat(json(lines.get(1))).containsEntry("kind", "bare");
        assertThatThrownBy(() -> IdlePorts.run(List.of("kinds=huge"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(120)
    void handshakePrintsPercentilesForPlainAndTls() throws Exception {
        List<String> lines = Handshake.run(List.of("n=3", "warmup=1"), null);

        assertThat(lines).hasSize(2);
        Map<String, Object> plain = json(lines.get(0));
        assertThat(plain).containsEntry("mode", "plain").containsEntry("n", 3L);
        assertThat((Map<String, Object>) plain.get("first_reply_ms")).containsKeys("p50", "p90", "p99", "max");
        assertThat(json(lines.get(1))).containsEntry("mode", "tls").containsKeys("connect_ms", "node_start_ms");
    }

    @Test
    @Timeout(240)
    void scaleConvergesAcrossTwoJvms() throws Exception {
        List<String> lines = Scale.run(List.of("leaves=4", "globals=2", "procs=2", "links=1", "warmup=0",
                "jvm_opts=-Xmx256m"), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(lines).hasSize(1);
        Map<String, Object> m = json(lines.get(0));
        assertThat(m).containsEntry("leaves", 4L).containsEntry("globals", 2L).containsEntry("procs", 2L)
                .containsKeys("converge_ms", "start_span_ms", "heap_per_leaf_kb", "heap_per_link_kb", "link_ends");
        assertThat(((Number) m.get("new_link_ends")).longValue()).isPositive();
    }

    @Test
    @Timeout(240)
    void soakPrintsALinePerProcessAndASummary() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        // a bound no run can exceed: this checks the output, not the memory
        int status = Soak.run(List.of("duration=4", "interval=1", "scenarios=try,stopped", "max_growth=100000",
                "jvm_opts=-Xmx256m"), out);

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isZero();
        assertThat(text).contains("try-sender", "try-receiver", "stopped-sender", "stopped-receiver (stopped)",
                "| process | figure | first | min | max | last | median, middle third | median, last third"
                        + " | growth, 99% lower bound | peak, middle third | peak, last third | slope MB/min |",
                "memory flat");
        assertThat(text).containsPattern("# final: +[0-9]+ try-sender");
    }

    @Test
    void theSummaryFailsWhenAFiguresMedianGrowsAndNamesIt() {
        Soak.Series grows = new Soak.Series("p");
        Soak.Series flat = new Soak.Series("q");
        for (int t = 0; t <= 120; t += 10) {
            grows.add(sample("p", t, (long) (t / 60.0 * 5 * Memory.MB) + 10_000_000));
            flat.add(sample("q", t, 10_000_000));
        }
        Map<String, Soak.Series> series = new LinkedHashMap<>();
        series.put("p", grows);
        series.put("q", flat);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int status = Soak.summary(series, 2.0, 120, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(1); // p: 5 MB a minute, so its median grows from the middle to the last third
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("memory grew", "p heap after GC 14.1 -> 17.9 MB",
                "| p | heap after GC | 9.5 | 12.9 | 19.5 | 19.5 | 14.1 | 17.9 | +1.7 | 15.4 | 19.5 | +5.00 |")
                .doesNotContain("q heap after GC");
        assertThat(Soak.Series.slope(new ArrayList<>(List.of(new double[] {0, 1}, new double[] {2, 5}))))
                .isEqualTo(2.0);
    }

    @Test
    void aSawToothWithAHigherPeakLateIsFlat() {
        Soak.Series saw = new Soak.Series("s");
        for (int t = 0; t <= 120; t += 10) {
            long mb = t == 110 ? 43 : (t / 10) % 2 == 0 ? 12 : 30; // a buffer filling and emptying, sampled
            saw.add(sample("s", t, (long) (mb * Memory.MB)));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int status = Soak.summary(Map.of("s", saw), 2.0, 120, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(status).isZero();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("memory flat", "| 30.0 | 43.0 |");
    }

    /**
     * A saw-tooth 26 MB high sampled at scattered points (as a link that fills to its backlog
     * limit and empties is): its last third is its middle third 2.2 MB higher, more than
     * {@code max_growth} and 5%, but well within the figure's spread, as chance moves a median of
     * 60 such samples; that is flat. The same samples with a steady leak of 1 MB a minute are not.
     */
    @Test
    void aShiftWithinTheSpreadIsFlatButASteadyLeakUnderTheSameNoiseIsNot() {
        Soak.Series noisy = new Soak.Series("n");
        Soak.Series leaking = new Soak.Series("l");
        double[] middle = new double[60];
        for (int i = 0; i < 180; i++) {
            double t = 5 + 10 * i;
            double mb = i < 120 ? 14 + 26 * ((i * 0.6180339887) % 1.0) : middle[i - 120] + 2.2;
            if (i >= 60 && i < 120) {
                middle[i - 60] = mb;
            }
            noisy.add(sample("n", t, (long) (mb * Memory.MB)));
            leaking.add(sample("l", t, (long) ((mb + t / 60.0) * Memory.MB)));
        }
        Map<String, Soak.Series> series = new LinkedHashMap<>();
        series.put("n", noisy);
        series.put("l", leaking);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int status = Soak.summary(series, 2.0, 1800, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isEqualTo(1);
        assertThat(text).contains("l heap after GC").doesNotContain("n heap after GC");
        Soak.Series.Figures n = noisy.figures("heap", 600, 1200);
        assertThat(n.lastMedian() - n.middleMedian()).as("the shift").isCloseTo(2.2, within(0.01));
        assertThat(n.growthLowerBound()).as("its lower bound").isNegative();
        assertThat(leaking.figures("heap", 600, 1200).growthLowerBound()).as("the leak's").isPositive();
    }

    private static Soak.Sample sample(String proc, double t, long heap) {
        return new Soak.Sample(proc, t, heap, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String line) throws Exception {
        return (Map<String, Object>) JsonValues.parseStrict(line);
    }
}
