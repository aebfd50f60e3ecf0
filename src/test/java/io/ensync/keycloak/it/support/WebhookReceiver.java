package io.ensync.keycloak.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A webhook receiver in the test JVM (127.0.0.1, a free port) for the webhook tests outside WebhookIT: it records every
 * request on arrival, answers 204 or, while {@link #hold()} is in force, keeps the request waiting (a receiver that is
 * down for the sender: no answer). {@link #verify} checks signatures with the npm package {@code standardwebhooks}.
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final Path BROWSER_DIR = Path.of("src/test/browser").toAbsolutePath();

    /** One request as it arrived. */
    public record Received(String path, String id, String timestamp, String signature, String body, JsonNode json, Instant at) {
        public String type() {
            return json.path("type").asText();
        }

        public JsonNode data() {
            return json.path("data");
        }

        /** The input of verify-webhooks.mjs for this request and {@code secret}. */
        public Map<String, Object> verifyCase(String secret) {
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put("webhook-id", id);
            headers.put("webhook-timestamp", timestamp);
            headers.put("webhook-signature", signature);
            return Map.of("secret", secret, "headers", headers, "body", body);
        }
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch hold;

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static WebhookReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        WebhookReceiver receiver = new WebhookReceiver(server);
        server.setExecutor(receiver.pool);
        server.createContext("/", receiver::handle);
        server.start();
        return receiver;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:{port}{path}}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** From now on requests are recorded and then left unanswered, until {@link #release()}. */
    public void hold() {
        hold = new CountDownLatch(1);
    }

    /** Answers the held requests (204) and every later one at once. */
    public void release() {
        CountDownLatch h = hold;
        hold = null;
        if (h != null) {
            h.countDown();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        JsonNode json;
        try {
            json = Http.JSON.readTree(text);
        } catch (IOException e) {
            json = Http.JSON.createObjectNode();
        }
        received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("webhook-id"),
                exchange.getRequestHeaders().getFirst("webhook-timestamp"), exchange.getRequestHeaders().getFirst("webhook-signature"),
                text, json, Instant.now()));
        CountDownLatch h = hold;
        if (h != null) {
            try {
                h.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            exchange.sendResponseHeaders(204, -1);
        } catch (IOException senderGone) {
            // the sender gave up (timeout) or died (kill -9) while the request was held
        }
        exchange.close();
    }

    public List<Received> all() {
        return List.copyOf(received);
    }

    public List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Polls until {@code done} holds for the requests at {@code path}, within {@code wait}. */
    public List<Received> awaitAt(String path, Duration wait, Predicate<List<Received>> done) throws InterruptedException {
        Instant deadline = Instant.now().plus(wait);
        while (Instant.now().isBefore(deadline)) {
            List<Received> got = at(path);
            if (done.test(got)) {
                return got;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("receiver at " + path + " did not get what was expected within " + wait + "; got "
                + at(path).stream().map(r -> r.type() + " " + r.id()).toList());
    }

    /**
     * Verifies each case (see {@link Received#verifyCase}) with the Standard Webhooks reference library, run by node
     * (src/test/browser/verify-webhooks.mjs); answers {@code {"verified": n, "failures": [...]}}.
     */
    public static JsonNode verify(List<Map<String, Object>> cases) throws IOException, InterruptedException {
        assertTrue(Files.isDirectory(BROWSER_DIR.resolve("node_modules/standardwebhooks")),
                "needs the npm package standardwebhooks (npm ci in src/test/browser; .ci/run does it)");
        Path out = Files.createTempFile("verify-webhooks", ".json");
        Path err = Files.createTempFile("verify-webhooks", ".err");
        ProcessBuilder builder = new ProcessBuilder("node", "verify-webhooks.mjs").directory(BROWSER_DIR.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("ENSYNC_WEBHOOK_CASES", Http.JSON.writeValueAsString(cases));
        Process node = builder.start();
        boolean finished = node.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            node.destroyForcibly();
        }
        String output = Files.readString(out);
        String errors = Files.readString(err);
        Files.delete(out);
        Files.delete(err);
        assertTrue(finished, "node did not finish");
        assertEquals(0, node.exitValue(), () -> "node failed: " + errors);
        return Http.JSON.readTree(output);
    }

    /** Asserts that every request verifies with {@code secret}. */
    public static void assertSigned(String secret, List<Received> requests) throws IOException, InterruptedException {
        JsonNode verified = verify(requests.stream().map(r -> r.verifyCase(secret)).toList());
        assertEquals(requests.size(), verified.path("verified").asInt(), verified.toString());
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        pool.shutdownNow();
    }
}
