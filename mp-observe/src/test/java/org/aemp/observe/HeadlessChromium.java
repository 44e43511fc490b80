package org.aemp.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Debian's {@code chromium}, headless, driven over the DevTools protocol with the JDK's HTTP client
 * and WebSocket: no driver binary, nothing downloaded. One page; {@link #close()} ends the browser.
 * Thread-safe enough for one test: calls wait for their answers.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("aemp.chromium", "/usr/bin/chromium"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Process process;
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();

    /** True if the browser is installed. */
    static boolean available() {
        return Files.isExecutable(CHROMIUM);
    }

    private HeadlessChromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** Starts the browser with its profile and log under {@code dir}. */
    static HeadlessChromium start(Path dir) throws IOException, InterruptedException {
        Path profile = dir.resolve("chromium-profile");
        Files.createDirectories(profile);
        Path portFile = profile.resolve("DevToolsActivePort");
        Files.deleteIfExists(portFile);
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless=new", "--no-sandbox",
                "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "--window-size=1280,1000", "about:blank")
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    throw new IOException("chromium did not open its DevTools port; see " + dir.resolve("chromium.log"));
                }
                Thread.sleep(50); // a file the browser writes: nothing to wait on but the file system
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String ws = null;
            for (JsonNode t : targets) {
                if ("page".equals(t.path("type").asText())) {
                    ws = t.path("webSocketDebuggerUrl").asText();
                }
            }
            if (ws == null) {
                throw new IOException("chromium has no page to drive: " + targets);
            }
            HeadlessChromium[] self = new HeadlessChromium[1];
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        String message = text.toString();
                        text.setLength(0);
                        self[0].answered(message);
                    }
                    w.request(1);
                    return null;
                }
            }).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(p, socket);
            return self[0];
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("cannot drive chromium: " + e, e);
        }
    }

    private void answered(String message) {
        try {
            JsonNode m = JSON.readTree(message);
            if (m.has("id")) {
                CompletableFuture<JsonNode> f = calls.remove(m.get("id").asLong());
                if (f != null) {
                    f.complete(m);
                }
            }
        } catch (IOException e) {
            // not JSON: the protocol sends only JSON, so this does not happen
        }
    }

    /** Calls a DevTools method and returns its {@code result}. */
    JsonNode call(String method, Map<String, Object> params, Duration timeout) throws Exception {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        calls.put(id, answer);
        socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        JsonNode m = answer.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        if (m.has("error")) {
            throw new IllegalStateException(method + " failed: " + m.get("error"));
        }
        return m.path("result");
    }

    void navigate(String url) throws Exception {
        call("Page.enable", Map.of(), PATIENCE);
        call("Page.navigate", Map.of("url", url), PATIENCE);
    }

    /** The value of a JavaScript expression in the page (a promise is awaited). */
    JsonNode eval(String expression, Duration timeout) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true), timeout);
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("the page threw: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /**
     * Waits until {@code condition} (a JavaScript expression) is true in the page, checking it in
     * the page every 100 ms, and returns the time it took.
     *
     * @throws AssertionError naming {@code what} and the page's text if it is not true in time
     */
    Duration await(String condition, Duration limit, String what) throws Exception {
        long start = System.nanoTime();
        String js = "new Promise(done => { const end = Date.now() + " + limit.toMillis() + ";"
                + " const check = () => { let ok = false; try { ok = !!(" + condition + "); } catch (e) { }"
                + " if (ok) done(true); else if (Date.now() > end) done(false); else setTimeout(check, 100); };"
                + " check(); })";
        if (!eval(js, limit.plusSeconds(5)).asBoolean()) {
            throw new AssertionError("the page did not show " + what + " within " + limit + "; it shows:\n"
                    + eval("document.body.innerText", PATIENCE).asText());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** A PNG of the page as it is drawn now. */
    byte[] screenshot() throws Exception {
        JsonNode r = call("Page.captureScreenshot", Map.of("format", "png"), PATIENCE);
        return Base64.getDecoder().decode(r.path("data").asText());
    }

    /** The texts of the elements that match {@code selector}. */
    List<String> texts(String selector) throws Exception {
        JsonNode v = eval("Array.from(document.querySelectorAll(" + JSON.writeValueAsString(selector)
                + ")).map(e => e.textContent)", PATIENCE);
        return JSON.convertValue(v, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    /** Ends the browser (and waits for it, up to 20 s). */
    @Override
    public void close() {
        socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
