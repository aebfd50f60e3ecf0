package io.ensync.keycloak.it.support;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A thin HTTP client for the integration tests: raw requests in (any method, header or body, so that tests can
 * send malformed input), status, headers, body and parsed JSON out. Redirects are not followed.
 * <pre>
 * Http.Response r = Http.keycloak().request("POST", "/realms/x/ensync/api/v1/external/partner")
 *         .bearer(key).header("Idempotency-Key", "k1").json(Map.of("appName", "Acme")).send();
 * </pre>
 */
public final class Http {

    /** Strict on duplicate keys: a response with duplicate keys is a bug, not "last one wins". */
    public static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** One stateless client per server, so that a routed walk keeps its connections. */
    private static final Map<String, Http> SHARED = new ConcurrentHashMap<>();
    private static volatile String routed;

    private final String baseUrl;
    private final HttpClient client;

    /** @param keepCookies true for browser-like sessions (portal), false for stateless API calls */
    public Http(String baseUrl, boolean keepCookies) {
        this.baseUrl = baseUrl;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (keepCookies) {
            builder.cookieHandler(new CookieManager());
        }
        this.client = builder.build();
    }

    /**
     * Sends {@link #keycloak()} to another server than the suite's (LifecycleModelIT's cluster run alternates two
     * nodes per step), or back to the suite's with null.
     */
    public static void route(String baseUrl) {
        routed = baseUrl;
    }

    /** Whether {@link #keycloak()} is routed away from the suite's server (another database: other admin tokens). */
    public static boolean routed() {
        return routed != null;
    }

    /** A stateless client for the running test Keycloak (no cookies kept). */
    public static Http keycloak() {
        String base = routed != null ? routed : KeycloakServer.get().baseUrl();
        return SHARED.computeIfAbsent(base, b -> new Http(b, false));
    }

    /** A fresh client for the running test Keycloak (or the routed node) that keeps its own cookies, like one browser. */
    public static Http keycloakWithCookies() {
        return new Http(routed != null ? routed : KeycloakServer.get().baseUrl(), true);
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** @param pathOrUrl a path below the base URL ({@code /admin/realms}) or an absolute URL */
    public Request request(String method, String pathOrUrl) {
        return new Request(method, pathOrUrl.startsWith("http://") || pathOrUrl.startsWith("https://")
                ? URI.create(pathOrUrl) : URI.create(baseUrl + pathOrUrl));
    }

    public Response get(String path, String bearer) {
        return request("GET", path).bearer(bearer).send();
    }

    public Response delete(String path, String bearer) {
        return request("DELETE", path).bearer(bearer).send();
    }

    /** @param body a String is sent as it is (raw JSON); anything else is serialised with Jackson */
    public Response postJson(String path, String bearer, Object body) {
        return request("POST", path).bearer(bearer).json(body).send();
    }

    public Response putJson(String path, String bearer, Object body) {
        return request("PUT", path).bearer(bearer).json(body).send();
    }

    public Response postForm(String path, Map<String, String> form) {
        return request("POST", path).form(form).send();
    }

    /** One request being built; {@link #send()} sends it. */
    public final class Request {
        private final String method;
        private final URI uri;
        private final List<String[]> headers = new ArrayList<>();
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();

        private Request(String method, URI uri) {
            this.method = method;
            this.uri = uri;
        }

        public Request header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        /** Adds {@code Authorization: Bearer <token>}; a null token adds nothing (for "no credentials" tests). */
        public Request bearer(String token) {
            return token == null ? this : header("Authorization", "Bearer " + token);
        }

        /** A String is sent as it is; anything else is serialised. Sets {@code Content-Type: application/json}. */
        public Request json(Object value) {
            String text;
            try {
                text = value instanceof String s ? s : JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("Cannot serialise " + value, e);
            }
            return body("application/json", text);
        }

        public Request form(Map<String, String> fields) {
            String encoded = fields.entrySet().stream()
                    .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                    .collect(Collectors.joining("&"));
            return body("application/x-www-form-urlencoded", encoded);
        }

        /** Any body with any content type (null: no Content-Type header), e.g. for 413 and 415 tests. */
        public Request body(String contentType, String text) {
            if (contentType != null) {
                header("Content-Type", contentType);
            }
            body = HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8);
            return this;
        }

        public Response send() {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).method(method, body);
            headers.forEach(h -> builder.header(h[0], h[1]));
            try {
                HttpResponse<String> response = client.send(builder.build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return Response.of(method + " " + uri, response.statusCode(), response.headers(), response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + uri + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted during " + method + " " + uri, e);
            }
        }
    }

    /**
     * An answer. {@code json} is the parsed body when the server declared JSON and sent valid JSON, else null.
     */
    public record Response(String request, int status, HttpHeaders headers, String body, JsonNode json) {

        static Response of(String request, int status, HttpHeaders headers, String body) {
            JsonNode json = null;
            boolean declaredJson = headers.firstValue("Content-Type").map(t -> t.toLowerCase().contains("json")).orElse(false);
            if (declaredJson && !body.isBlank()) {
                try {
                    json = JSON.readTree(body);
                } catch (JsonProcessingException invalid) {
                    json = null; // json() stays null; data() and expect() report the body
                }
            }
            return new Response(request, status, headers, body, json);
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** {@code json.data} of the extension's envelope; fails with the body if the answer is not JSON. */
        public JsonNode data() {
            return requireJson().path("data");
        }

        /** {@code json.error} of the extension's envelope ({@code code}, {@code message}, {@code field}). */
        public JsonNode error() {
            return requireJson().path("error");
        }

        public JsonNode requireJson() {
            if (json == null) {
                throw new AssertionError("Not a JSON answer: " + this);
            }
            return json;
        }

        /** Fails with the request and the whole answer if the status differs; returns this for chaining. */
        public Response expect(int expectedStatus) {
            if (status != expectedStatus) {
                throw new AssertionError("Expected HTTP " + expectedStatus + " but got " + this);
            }
            return this;
        }

        /** A field of the JSON body, or a missing node. */
        public JsonNode path(String field) {
            return json == null ? MissingNode.getInstance() : json.path(field);
        }

        @Override
        public String toString() {
            return request + " -> " + status + " " + header("Content-Type").orElse("(no content type)") + " " + body;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
