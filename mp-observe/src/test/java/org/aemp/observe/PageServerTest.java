package org.aemp.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The page's server over real sockets: what it serves, and the clear 4xx for everything else. */
@Timeout(60)
class PageServerTest {
    private final AtomicInteger snapshots = new AtomicInteger();
    private final List<PageServer> servers = new ArrayList<>();

    private PageServer server(Optional<String> token, int maxClients) throws IOException {
        PageServer s = new PageServer("127.0.0.1", 0, token.isEmpty(), token, maxClients,
                () -> "{\"n\":" + snapshots.incrementAndGet() + "}");
        servers.add(s);
        return s;
    }

    @AfterEach
    void close() {
        servers.forEach(PageServer::close);
    }

    /** Sends {@code request} as is and returns everything the server says before closing. */
    private static String exchange(PageServer s, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String get(PageServer s, String target) throws IOException {
        return exchange(s, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + s.port() + "\r\n\r\n");
    }

    @Test
    void servesThePageItsFilesAndASnapshotWithStrictHeaders() throws IOException {
        PageServer s = server(Optional.empty(), 2);
        String page = get(s, "/");
        assertThat(page).startsWith("HTTP/1.1 200 OK").contains("text/html", "Content-Security-Policy: default-src"
                + " 'none'", "X-Content-Type-Options: nosniff", "<svg id=\"graph\"");
        assertThat(get(s, "/observe.js")).startsWith("HTTP/1.1 200").contains("text/javascript", "textContent")
                .doesNotContain("innerHTML");
        assertThat(get(s, "/observe.css")).startsWith("HTTP/1.1 200").contains("text/css");
        assertThat(get(s, "/snapshot.json")).startsWith("HTTP/1.1 200").contains("application/json", "{\"n\":");
        assertThat(exchange(s, "HEAD / HTTP/1.1\r\nHost: localhost:" + s.port() + "\r\n\r\n"))
                .startsWith("HTTP/1.1 200").doesNotContain("<svg");
    }

    @Test
    void badRequestsGetAClear4xxAndTheServerGoesOn() throws IOException {
        PageServer s = server(Optional.empty(), 2);
        String host = "Host: 127.0.0.1:" + s.port() + "\r\n";
        assertThat(get(s, "/nothing")).startsWith("HTTP/1.1 404");
        assertThat(get(s, "/../../etc/passwd")).startsWith("HTTP/1.1 404");
        assertThat(get(s, "/?token=%zz")).startsWith("HTTP/1.1 400");
        assertThat(get(s, "/" + "x".repeat(1100))).startsWith("HTTP/1.1 414");
        assertThat(exchange(s, "POST / HTTP/1.1\r\n" + host + "Content-Length: 2\r\n\r\nhi")).startsWith("HTTP/1.1 405");
        assertThat(exchange(s, "POST / HTTP/1.1\r\n" + host + "Content-Length: 100000\r\n\r\n"))
                .startsWith("HTTP/1.1 413");
        assertThat(exchange(s, "GET / HTTP/1.1\r\nHost: evil.example:" + s.port() + "\r\n\r\n"))
                .startsWith("HTTP/1.1 403").contains("use http://127.0.0.1:");
        assertThat(exchange(s, "GET / HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 403");
        assertThat(exchange(s, "\u0000\u0001garbage\r\n\r\n")).satisfiesAnyOf(
                r -> assertThat(r).isEmpty(), r -> assertThat(r).startsWith("HTTP/1.1 4"));
        assertThat(exchange(s, "GET / HTTP/1.1\r\n" + host + "X-Long: " + "y".repeat(20_000) + "\r\n\r\n"))
                .satisfiesAnyOf(r -> assertThat(r).isEmpty(), r -> assertThat(r).startsWith("HTTP/1.1 4"));
        assertThat(get(s, "/")).startsWith("HTTP/1.1 200");
    }

    @Test
    void withATokenEveryRequestNeedsIt() throws IOException {
        PageServer s = server(Optional.of("c0ffee"), 2);
        assertThat(get(s, "/")).startsWith("HTTP/1.1 403").contains("token");
        assertThat(get(s, "/?token=c0ffef")).startsWith("HTTP/1.1 403");
        assertThat(get(s, "/snapshot.json?token=c0ffee")).startsWith("HTTP/1.1 200");
        // a public page is reached by whatever name the host has
        assertThat(exchange(s, "GET /?token=c0ffee HTTP/1.1\r\nHost: my-host:" + s.port() + "\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
    }

    @Test
    void streamsSendSnapshotsAndTheirNumberIsLimited() throws Exception {
        PageServer s = server(Optional.empty(), 1);
        try (Socket first = new Socket("127.0.0.1", s.port())) {
            first.setSoTimeout(10_000);
            first.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + s.port() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(readUntil(in, "data: ")).startsWith("data: {\"n\":");
            assertThat(get(s, "/events")).startsWith("HTTP/1.1 503").contains("too many pages open (1)");
            s.publish("{\"published\":true}");
            assertThat(readUntil(in, "data: ")).isEqualTo("data: {\"published\":true}");
        }
    }

    @Test
    void aSecondServerOnTheSamePortFailsWithIoException() throws IOException {
        PageServer s = server(Optional.empty(), 1);
        assertThatThrownBy(() -> new PageServer("127.0.0.1", s.port(), true, Optional.empty(), 1, () -> "{}"))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot serve the page on 127.0.0.1:" + s.port());
    }

    private static String readUntil(BufferedReader in, String prefix) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IOException("stream ended before a line starting with " + prefix);
    }

}
