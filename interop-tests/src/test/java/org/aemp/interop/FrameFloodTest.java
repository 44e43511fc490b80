package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.aemp.Node;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The defect the element limit fixes, end to end: an authenticated peer sends one JSON frame of
 * 60 MiB made of {@code {},}, under the frame limit of 64 MiB. Each 3-byte {@code {}} used to
 * become a map object, 20 million of them, and the node died of OutOfMemoryError. Now the link
 * fails at the element limit after a few MB, its monitors fire, and the node goes on. The node
 * under attack runs in a JVM of its own with a heap of 256 MiB ({@link ChildProcess#startJava}).
 */
@Timeout(120)
class FrameFloodTest {
    private static final String SECRET = "flood-secret";
    private static final String LIMIT = "json: a message of more than 1000000 values (limit max_frame_elements)";

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @Test
    void aFrameOf60MiBOfEmptyMapsFailsItsLinkAndTheNodeGoesOn() throws IOException {
        try (ChildProcess victim = ChildProcess.startJava("flood-victim", JavaEchoNode.class, "nodeid=victim",
                "bind=127.0.0.1:0", "secret=" + SECRET, "framing=json", "global=0")) {
            String ready = victim.await(Duration.ofSeconds(30), l -> l.startsWith("ready "), "starting with 'ready'");
            String address = ready.split(" ")[2].split(",")[0];
            Node b = nodes.start("b", c -> c.binds(List.of()).secret(SECRET).framingFormat(List.of("json")));
            b.addAddresses("victim", List.of(address));
            Probe<List<Object>> got = new Probe<>();
            PortId reply = b.newPort((ctx, m) -> got.put(m));
            b.send(PortId.parse("victim#echo"), reply.toString(), "before");
            assertThat(got.next(Duration.ofSeconds(20))).containsExactly("before");

            try (RawPeer raw = RawPeer.connect(address, "raw").handshake(SECRET)) {
                b.send(PortId.parse("victim#ctl"), "mon", "raw#p1", reply.toString());
                assertThat(raw.readMessage()).as("the victim monitors raw#p1").containsExactly("", "mon1", "p1");
                byte[] flood = flood(60 << 20);
                try {
                    for (int off = 0; off < flood.length; off += 1 << 20) {
                        raw.write(Arrays.copyOfRange(flood, off, Math.min(flood.length, off + (1 << 20))));
                    }
                } catch (IOException closed) {
                    // the victim closed the link long before the end of the frame
                }
                assertThat(raw.awaitClosed(RawPeer.PATIENCE)).as("the link was closed").isTrue();
            }

            assertThat(got.next(Duration.ofSeconds(20)))
                    .containsExactly("mon_fired", "raw#p1", "transport_error", "raw", LIMIT);
            b.send(PortId.parse("victim#echo"), reply.toString(), "after");
            assertThat(got.next()).as("the victim answers over its other link").containsExactly("after");
            assertThat(victim.isAlive()).isTrue();
            assertThat(Files.readString(victim.stderrFile().toPath(), StandardCharsets.UTF_8))
                    .contains("link to node raw at ").contains(LIMIT).doesNotContain("OutOfMemoryError");
        }
    }

    /** {@code ["in",{},{},...]}, about {@code bytes} long. */
    private static byte[] flood(int bytes) {
        byte[] head = "[\"in\"".getBytes(StandardCharsets.US_ASCII);
        int maps = (bytes - head.length - 1) / 3;
        byte[] out = Arrays.copyOf(head, head.length + 3 * maps + 1);
        for (int i = head.length; i < out.length - 1; i += 3) {
            out[i] = ',';
            out[i + 1] = '{';
            out[i + 2] = '}';
        }
        out[out.length - 1] = ']';
        return out;
    }
}
