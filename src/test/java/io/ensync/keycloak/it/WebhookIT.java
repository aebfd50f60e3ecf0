package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ensync.keycloak.it.support.ClientKey;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import io.ensync.keycloak.it.support.MetricsText;
import io.ensync.keycloak.it.support.Names;
import io.ensync.keycloak.it.support.SecretLedger;
import io.ensync.keycloak.it.support.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static io.ensync.keycloak.it.support.Ensync.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lifecycle webhooks (SPEC §13) against the real server: a receiver in this JVM (127.0.0.1, a free port; the IT server
 * runs with {@code allow-private-targets=true}) gets every event of a scripted partner lifecycle, and each signature
 * is verified by the Standard Webhooks reference library ({@code standardwebhooks}, run by node), also during a
 * secret-rotation overlap. Retries keep the webhook-id, 410 disables, redirects are not followed, and a receiver that
 * never answers does not slow requests.
 */
@ExtendWith(KeycloakExtension.class)
class WebhookIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** One request the receiver got. */
    record Received(String path, String id, String timestamp, String signature, String body, JsonNode json, Instant at) {
    }

    private static HttpServer server;
    private static String base;
    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static final Map<String, AtomicInteger> FAILURES_LEFT = new ConcurrentHashMap<>();
    private static final CountDownLatch RELEASE_HANGING = new CountDownLatch(1);
    private static String realm;

    @BeforeAll
    static void startReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", WebhookIT::handle);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        realm = KeycloakApi.createRealm();
    }

    @AfterAll
    static void stopReceiver() {
        RELEASE_HANGING.countDown();
        server.stop(0);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        String text = new String(body, StandardCharsets.UTF_8);
        JsonNode json;
        try {
            json = Http.JSON.readTree(text);
        } catch (IOException e) {
            json = Http.JSON.createObjectNode();
        }
        RECEIVED.add(new Received(path, exchange.getRequestHeaders().getFirst("webhook-id"),
                exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                exchange.getRequestHeaders().getFirst("webhook-signature"), text, json, Instant.now()));
        int status = 204;
        if (path.startsWith("/gone")) {
            status = 410;
        } else if (path.startsWith("/redirect")) {
            exchange.getResponseHeaders().add("Location", base + "/redirected-target");
            status = 302;
        } else if (path.startsWith("/hang")) {
            awaitRelease();
        } else if (path.startsWith("/trickle")) {
            // 200 and the first byte of a long body at once, the rest never (the connection closes after 30 s).
            exchange.sendResponseHeaders(200, 100_000);
            exchange.getResponseBody().write('{');
            exchange.getResponseBody().flush();
            awaitRelease();
            exchange.close();
            return;
        } else if (FAILURES_LEFT.containsKey(path) && FAILURES_LEFT.get(path).getAndDecrement() > 0) {
            status = 500;
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private static void awaitRelease() {
        try {
            RELEASE_HANGING.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Received> at(String path) {
        return RECEIVED.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Polls the receiver until {@code done} holds for the requests at {@code path}, within {@link #WAIT}. */
    private static List<Received> awaitAt(String path, Predicate<List<Received>> done) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            List<Received> got = at(path);
            if (done.test(got)) {
                return got;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("receiver at " + path + " did not get what was expected within " + WAIT + "; got "
                + at(path).stream().map(r -> r.json().path("type").asText()).toList());
    }

    private static JsonNode awaitAdmin(String path, Predicate<JsonNode> done) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = Http.keycloak().get(path, KeycloakApi.adminToken()).expect(200).json();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " did not reach the expected state within " + WAIT + ": " + last);
    }

    private static String webhooks(String integrationId) {
        return Ensync.adminBase(realm) + "/integrations/" + integrationId + "/webhooks";
    }

    private static JsonNode createWebhook(String integrationId, Map<String, Object> body) {
        JsonNode created = Http.keycloak().postJson(webhooks(integrationId), KeycloakApi.adminToken(), body).expect(201).data();
        SecretLedger.record(created.path("secret").asText());
        return created;
    }

    private static JsonNode verify(List<Map<String, Object>> cases) throws IOException, InterruptedException {
        return WebhookReceiver.verify(cases);
    }

    private static Map<String, Object> verifyCase(String secret, Received r) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("webhook-id", r.id());
        headers.put("webhook-timestamp", r.timestamp());
        headers.put("webhook-signature", r.signature());
        return Map.of("secret", secret, "headers", headers, "body", r.body());
    }

    @Test
    void aPartnerLifecycleArrivesSignedWithEveryType() throws Exception {
        JsonNode integration = Ensync.createIntegration(realm, Map.of("name", Names.unique("hooks"), "topics", List.of(
                Map.of("pattern", "app/order/*", "send", true, "receive", true, "autoApprove", List.of("dev")))));
        String integrationId = integration.path("id").asText();
        String key = integration.path("key").asText();
        JsonNode hook = createWebhook(integrationId, Map.of("url", base + "/all", "description", "everything"));
        String secret = hook.path("secret").asText();
        assertTrue(secret.startsWith("whsec_"), secret);
        assertTrue(hook.path("eventTypes").isEmpty());
        assertTrue(hook.path("enabled").asBoolean());
        Http.Response read = Http.keycloak().get(webhooks(integrationId) + "/" + hook.path("id").asText(), KeycloakApi.adminToken()).expect(200);
        assertFalse(read.body().contains(secret), "the secret is shown once");
        assertFalse(Http.keycloak().get(webhooks(integrationId), KeycloakApi.adminToken()).expect(200).body().contains(secret));

        JsonNode partner = Ensync.createPartner(realm, key);
        String partnerId = partner.path("id").asText();
        Map<String, JsonNode> creds = Ensync.redeemOk(realm, partner.path("url").asText());
        String dev = Ensync.partnerApiToken(realm, creds.get("dev"));
        String stage = Ensync.partnerApiToken(realm, creds.get("stage"));
        String me = Ensync.partnerApiBase(realm) + "/me";
        String admin = Ensync.adminBase(realm);

        String devGrant = Http.keycloak().postJson(me + "/grants", dev, Map.of("topic", "app/order/created", "scopes", List.of("send")))
                .expect(201).data().path("id").asText();
        String denied = Http.keycloak().postJson(me + "/grants", stage, Map.of("topic", "app/order/shipped", "scopes", List.of("receive")))
                .expect(201).data().path("id").asText();
        Http.keycloak().postJson(admin + "/grants/" + denied + "/deny", KeycloakApi.adminToken(), Map.of("reason", "not yet")).expect(200);
        String withdrawn = Http.keycloak().postJson(me + "/grants", stage, Map.of("topic", "app/order/paid", "scopes", List.of("send")))
                .expect(201).data().path("id").asText();
        Http.keycloak().delete(me + "/grants/" + withdrawn, stage).expect(200);
        String promotion = Http.keycloak().postJson(me + "/promotion", stage, Map.of()).expect(201).data().path("id").asText();
        Http.keycloak().postJson(admin + "/promotions/" + promotion + "/deny", KeycloakApi.adminToken(), Map.of()).expect(200);
        promotion = Http.keycloak().postJson(me + "/promotion", stage, Map.of()).expect(201).data().path("id").asText();
        Http.keycloak().postJson(admin + "/promotions/" + promotion + "/approve", KeycloakApi.adminToken(), Map.of()).expect(200);
        Http.keycloak().delete(admin + "/grants/" + devGrant, KeycloakApi.adminToken()).expect(200);
        SecretLedger.record(Http.keycloak().postJson(me + "/secret", dev, Map.of("revokePrevious", true)).expect(200)
                .data().path("clientSecret").asText());
        Http.keycloak().postJson(admin + "/partners/" + partnerId + "/suspend", KeycloakApi.adminToken(), Map.of()).expect(200);
        Http.keycloak().postJson(admin + "/partners/" + partnerId + "/resume", KeycloakApi.adminToken(), Map.of()).expect(200);
        Http.keycloak().delete(admin + "/partners/" + partnerId, KeycloakApi.adminToken()).expect(200);

        Set<String> expected = new TreeSet<>(List.of("partner.created", "partner.onboarded", "grant.requested", "grant.approved",
                "grant.denied", "grant.withdrawn", "promotion.requested", "promotion.denied", "promotion.approved",
                "grant.revoked", "secret.rotated", "partner.suspended", "partner.resumed", "partner.offboarded"));
        String wid = hook.path("id").asText();
        // Every message of the endpoint delivered (they are all committed: each request above has answered)...
        JsonNode log = awaitAdmin(webhooks(integrationId) + "/" + wid + "/deliveries?max=100", json -> {
            for (JsonNode d : json.path("data")) {
                if (!"delivered".equals(d.path("status").asText())) {
                    return false;
                }
            }
            return json.path("data").size() > 0;
        }).path("data");
        // ... and received: once each, at the first attempt.
        List<Received> got = at("/all");
        assertEquals(log.size(), got.size(), () -> "received " + got.stream().map(r -> r.json().path("type").asText()).toList());
        assertEquals(log.size(), got.stream().map(Received::id).distinct().count());
        for (JsonNode entry : log) {
            assertEquals(1, entry.path("attempts").asInt(), entry.toString());
            assertEquals(204, entry.path("lastStatus").asInt(), entry.toString());
        }
        Set<String> types = new TreeSet<>(got.stream().map(r -> r.json().path("type").asText()).toList());
        assertEquals(expected, types);
        for (Received r : got) {
            assertTrue(r.id().startsWith("msg_"), r.id());
            assertTrue(r.json().path("timestamp").asText().endsWith("Z"), r.body());
            Instant.parse(r.json().path("timestamp").asText());
            assertEquals(partnerId, r.json().path("data").path("partnerId").asText(), r.body());
            assertEquals(integrationId, r.json().path("data").path("integrationId").asText(), r.body());
            for (JsonNode c : creds.values()) {
                assertFalse(r.body().contains(c.path("clientSecret").asText()), "no secret in " + r.body());
            }
            assertFalse(r.body().contains(secret));
        }
        JsonNode onboarded = only(got, "partner.onboarded").json().path("data");
        assertEquals(Set.of(creds.get("dev").path("clientId").asText(), creds.get("stage").path("clientId").asText(),
                creds.get("prod").path("clientId").asText()), new TreeSet<>(Ensync.names(onboarded.path("environments"), "clientId")));
        JsonNode deniedData = only(got, "grant.denied").json().path("data");
        assertEquals(denied, deniedData.path("grantId").asText());
        assertEquals("stage", deniedData.path("environment").asText());
        assertEquals("app/order/shipped", deniedData.path("topic").asText());
        assertEquals("receive", deniedData.path("scopes").get(0).asText());
        assertEquals("denied", deniedData.path("decision").asText());
        JsonNode rotated = only(got, "secret.rotated").json().path("data");
        assertEquals("dev", rotated.path("environment").asText());
        assertEquals(creds.get("dev").path("clientId").asText(), rotated.path("clientId").asText());
        JsonNode approvedPromotion = got.stream().filter(r -> r.json().path("type").asText().equals("promotion.approved")).findFirst()
                .orElseThrow().json().path("data");
        assertEquals("stage", approvedPromotion.path("fromEnvironment").asText());
        assertEquals("prod", approvedPromotion.path("toEnvironment").asText());
        assertEquals(1, got.stream().filter(r -> r.json().path("type").asText().equals("partner.offboarded")).count());

        List<Map<String, Object>> cases = got.stream().map(r -> verifyCase(secret, r)).toList();
        JsonNode verified = verify(cases);
        assertEquals(cases.size(), verified.path("verified").asInt(), verified.toString());
    }

    private static Received only(List<Received> got, String type) {
        List<Received> of = got.stream().filter(r -> r.json().path("type").asText().equals(type)).toList();
        assertEquals(1, of.size(), () -> type + " received " + of.size() + " times");
        return of.get(0);
    }

    @Test
    void bothSignaturesVerifyDuringARotationOverlap() throws Exception {
        JsonNode integration = Ensync.createIntegration(realm);
        String integrationId = integration.path("id").asText();
        JsonNode hook = createWebhook(integrationId, Map.of("url", base + "/rotation", "eventTypes", List.of("partner.created")));
        String wid = hook.path("id").asText();
        String oldSecret = hook.path("secret").asText();
        JsonNode rotated = Http.keycloak().postJson(webhooks(integrationId) + "/" + wid + "/secret", KeycloakApi.adminToken(),
                Map.of("overlapSeconds", 3600)).expect(200).data();
        String newSecret = SecretLedger.record(rotated.path("secret").asText());
        assertNotEquals(oldSecret, newSecret);
        assertTrue(rotated.path("previousSecretValidUntil").isTextual(), rotated.toString());

        Ensync.createPartner(realm, integration.path("key").asText());
        Received r = awaitAt("/rotation", list -> !list.isEmpty()).get(0);
        assertEquals(2, r.signature().split(" ").length, r.signature());
        JsonNode verified = verify(List.of(verifyCase(oldSecret, r), verifyCase(newSecret, r)));
        assertEquals(2, verified.path("verified").asInt(), verified.toString());

        // Ending the overlap (overlapSeconds 0): only the newest secret signs.
        String newest = SecretLedger.record(Http.keycloak().postJson(webhooks(integrationId) + "/" + wid + "/secret",
                KeycloakApi.adminToken(), Map.of("overlapSeconds", 0)).expect(200).data().path("secret").asText());
        Ensync.createPartner(realm, integration.path("key").asText());
        Received second = awaitAt("/rotation", list -> list.size() >= 2).get(1);
        assertEquals(1, second.signature().split(" ").length);
        JsonNode check = verify(List.of(verifyCase(newest, second), verifyCase(newSecret, second)));
        assertEquals(1, check.path("verified").asInt(), check.toString());
    }

    @Test
    void aFailedChangeEmitsNothing() throws Exception {
        JsonNode integration = Ensync.createIntegration(realm, Map.of("name", Names.unique("hooks"), "topics", List.of(
                Map.of("pattern", "app/order/*", "send", true, "autoApprove", List.of("dev")))));
        String integrationId = integration.path("id").asText();
        createWebhook(integrationId, Map.of("url", base + "/failed-change"));
        JsonNode partner = Ensync.createPartner(realm, integration.path("key").asText());
        String link = Ensync.linkIdOf(partner.path("url").asText());
        Map<String, JsonNode> creds = Ensync.redeemOk(realm, partner.path("url").asText());
        String dev = Ensync.partnerApiToken(realm, creds.get("dev"));
        String me = Ensync.partnerApiBase(realm) + "/me";
        // Refused changes: outside the catalog, a used link, a second withdrawal, a decision on a decided grant.
        assertError(Http.keycloak().postJson(me + "/grants", dev, Map.of("topic", "app/payment/x", "scopes", List.of("send"))), 400, "not_in_catalog", "topic");
        assertError(Ensync.redeem(realm, link), 410, "link_used", null);
        String grant = Http.keycloak().postJson(me + "/grants", dev, Map.of("topic", "app/order/a", "scopes", List.of("send")))
                .expect(201).data().path("id").asText();
        Http.keycloak().delete(me + "/grants/" + grant, dev).expect(200);
        assertError(Http.keycloak().delete(me + "/grants/" + grant, dev), 409, "grant_not_active", null);
        assertError(Http.keycloak().postJson(Ensync.adminBase(realm) + "/grants/" + grant + "/approve", KeycloakApi.adminToken(), Map.of()),
                409, "grant_not_pending", null);
        // A marker after them: once it has arrived, everything before it has been delivered (one sender order does
        // not matter: the set is compared).
        Http.keycloak().postJson(Ensync.adminBase(realm) + "/partners/" + partner.path("id").asText() + "/suspend", KeycloakApi.adminToken(), Map.of()).expect(200);
        List<Received> got = awaitAt("/failed-change", list -> list.stream().anyMatch(r -> r.json().path("type").asText().equals("partner.suspended")));
        awaitAdmin(webhooks(integrationId) + "/" + createdId(integrationId) + "/deliveries", json -> {
            for (JsonNode d : json.path("data")) {
                if (!"delivered".equals(d.path("status").asText())) {
                    return false;
                }
            }
            return true;
        });
        List<String> types = at("/failed-change").stream().map(r -> r.json().path("type").asText()).sorted().toList();
        assertEquals(List.of("grant.approved", "grant.requested", "grant.withdrawn", "partner.created", "partner.onboarded",
                "partner.suspended"), types, "exactly the committed changes, once each; got " + got.size());
    }

    private static String createdId(String integrationId) {
        return Http.keycloak().get(webhooks(integrationId), KeycloakApi.adminToken()).expect(200).data().get(0).path("id").asText();
    }

    @Test
    void retriesKeepTheIdGoneDisablesRedirectsAreNotFollowed() throws Exception {
        JsonNode integration = Ensync.createIntegration(realm);
        String integrationId = integration.path("id").asText();
        List<String> created = List.of("partner.created");
        FAILURES_LEFT.put("/flaky", new AtomicInteger(1));
        JsonNode flaky = createWebhook(integrationId, Map.of("url", base + "/flaky", "eventTypes", created));
        JsonNode gone = createWebhook(integrationId, Map.of("url", base + "/gone", "eventTypes", created));
        JsonNode redirect = createWebhook(integrationId, Map.of("url", base + "/redirect", "eventTypes", created));

        Ensync.createPartner(realm, integration.path("key").asText());

        // 500 first, then (the schedule's 5 s later) 2xx, with the same webhook-id and body.
        List<Received> attempts = awaitAt("/flaky", list -> list.size() >= 2);
        assertEquals(attempts.get(0).id(), attempts.get(1).id());
        assertEquals(attempts.get(0).body(), attempts.get(1).body());
        JsonNode log = awaitAdmin(webhooks(integrationId) + "/" + flaky.path("id").asText() + "/deliveries",
                json -> json.path("data").size() == 1 && json.path("data").get(0).path("status").asText().equals("delivered"));
        assertEquals(2, log.path("data").get(0).path("attempts").asInt());
        assertEquals(attempts.get(0).id(), log.path("data").get(0).path("id").asText());

        // 410: the endpoint is disabled, the console can show why, and the admins are told by an admin event.
        JsonNode disabled = awaitAdmin(webhooks(integrationId) + "/" + gone.path("id").asText(),
                json -> !json.path("data").path("enabled").asBoolean());
        assertEquals("gone", disabled.path("data").path("disabledReason").asText());
        assertEquals(1, at("/gone").size());
        // (Keycloak's resourceTypes filter takes its own enum only: read the realm's events and look.)
        JsonNode events = KeycloakApi.adminEvents(realm);
        boolean told = false;
        for (JsonNode event : events) {
            told |= "ENSYNC_WEBHOOK".equals(event.path("resourceType").asText())
                    && event.path("resourcePath").asText().endsWith("/webhooks/" + gone.path("id").asText())
                    && event.path("representation").asText().contains("disabled");
        }
        assertTrue(told, "an admin event tells of the disabled endpoint");
        assertError(Http.keycloak().postJson(webhooks(integrationId) + "/" + gone.path("id").asText() + "/test", KeycloakApi.adminToken(), Map.of()),
                409, "webhook_disabled", null);

        // 302: not followed; a failed attempt, to be retried.
        JsonNode redirected = awaitAdmin(webhooks(integrationId) + "/" + redirect.path("id").asText() + "/deliveries",
                json -> json.path("data").size() == 1 && json.path("data").get(0).path("attempts").asInt() >= 1);
        assertEquals(302, redirected.path("data").get(0).path("lastStatus").asInt());
        assertEquals("pending", redirected.path("data").get(0).path("status").asText());
        assertTrue(redirected.path("data").get(0).path("nextAttemptAt").isTextual());
        assertEquals(List.of(), at("/redirected-target"));

        // Replay and the test event: the replay has the message's id again, the test event its own.
        String flakyId = flaky.path("id").asText();
        Http.keycloak().postJson(webhooks(integrationId) + "/" + flakyId + "/deliveries/" + attempts.get(0).id() + "/replay",
                KeycloakApi.adminToken(), Map.of()).expect(202);
        List<Received> replayed = awaitAt("/flaky", list -> list.size() >= 3);
        assertEquals(attempts.get(0).id(), replayed.get(2).id());
        String testId = Http.keycloak().postJson(webhooks(integrationId) + "/" + flakyId + "/test", KeycloakApi.adminToken(), Map.of())
                .expect(202).data().path("id").asText();
        Received test = awaitAt("/flaky", list -> list.size() >= 4).get(3);
        assertEquals(testId, test.id());
        assertEquals("webhook.test", test.json().path("type").asText());
    }

    @Test
    void theQueueGaugesShowAPendingMessageAndItsAgeUntilItIsDelivered() throws Exception {
        // A realm of its own: the gauges are by realm, and the other tests leave messages pending in theirs.
        String ownRealm = KeycloakApi.createRealm();
        JsonNode integration = Ensync.createIntegration(ownRealm);
        String hooks = Ensync.adminBase(ownRealm) + "/integrations/" + integration.path("id").asText() + "/webhooks";
        FAILURES_LEFT.put("/queued", new AtomicInteger(Integer.MAX_VALUE));
        JsonNode endpoint = Http.keycloak().postJson(hooks, KeycloakApi.adminToken(),
                Map.of("url", base + "/queued", "eventTypes", List.of("partner.created"))).expect(201).data();
        SecretLedger.record(endpoint.path("secret").asText());
        String own = MetricsText.realm(ownRealm);
        awaitMetrics(m -> Double.valueOf(0).equals(MetricsText.value(m, "ensync_webhook_pending_messages", own)));

        Instant before = Instant.now();
        Ensync.createPartner(ownRealm, integration.path("key").asText());
        // Answered 500: the message waits for its retry, counted with its age.
        String id = awaitAt("/queued", list -> !list.isEmpty()).get(0).id();
        String metrics = awaitMetrics(m -> Double.valueOf(1).equals(MetricsText.value(m, "ensync_webhook_pending_messages", own)));
        double age = MetricsText.required(metrics, "ensync_webhook_oldest_pending_seconds", own);
        assertTrue(age >= 0 && age <= Duration.between(before, Instant.now()).toSeconds() + 1, "age " + age);
        assertTrue(MetricsText.required(metrics, "ensync_webhook_attempts_total", "outcome=\"retry\"") >= 1);

        // Delivered (a replay, now answered 204): the realm's queue is empty, its series at 0.
        FAILURES_LEFT.get("/queued").set(0);
        Http.keycloak().postJson(hooks + "/" + endpoint.path("id").asText() + "/deliveries/" + id + "/replay",
                KeycloakApi.adminToken(), Map.of()).expect(202);
        metrics = awaitMetrics(m -> Double.valueOf(0).equals(MetricsText.value(m, "ensync_webhook_pending_messages", own)));
        assertEquals(0.0, MetricsText.required(metrics, "ensync_webhook_oldest_pending_seconds", own));
        assertTrue(MetricsText.required(metrics, "ensync_webhook_attempts_total", "outcome=\"delivered\"") >= 1);
    }

    /** Scrapes until {@code done} holds; the gauges are refreshed every 10 s. */
    private static String awaitMetrics(Predicate<String> done) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT.multipliedBy(2));
        String metrics = "";
        while (Instant.now().isBefore(deadline)) {
            metrics = MetricsText.scrape(KeycloakServer.get());
            if (done.test(metrics)) {
                return metrics;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the metrics did not reach the expected state within " + WAIT.multipliedBy(2) + ":\n"
                + metrics.lines().filter(l -> l.startsWith("ensync_webhook")).toList());
    }

    @Test
    void aReceiverThatNeverAnswersCostsOneWorkerTenSecondsNotTheRequest() throws Exception {
        JsonNode integration = Ensync.createIntegration(realm);
        String integrationId = integration.path("id").asText();
        JsonNode hang = createWebhook(integrationId, Map.of("url", base + "/hang", "eventTypes", List.of("partner.created")));
        createWebhook(integrationId, Map.of("url", base + "/beside-hang", "eventTypes", List.of("partner.created")));
        Ensync.createPartner(realm, integration.path("key").asText());
        Received hanging = awaitAt("/hang", list -> !list.isEmpty()).get(0);
        // The other endpoint's copy of the same event is delivered while the first one hangs: other workers go on.
        Received beside = awaitAt("/beside-hang", list -> !list.isEmpty()).get(0);
        assertTrue(Duration.between(hanging.at(), beside.at()).toMillis() < 5000,
                "delivered beside a hanging one: " + hanging.at() + " / " + beside.at());
        // The first delivery hangs (until the 10 s timeout); the next changes answer as fast as ever.
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long started = System.nanoTime();
            Ensync.createPartner(realm, integration.path("key").asText());
            millis.add((System.nanoTime() - started) / 1_000_000);
        }
        assertTrue(millis.stream().allMatch(m -> m < 3000), "request times with a hanging receiver: " + millis);
        // Each hanging attempt ends after the 10 s timeout (the receiver would hold it for 30 s), as a failed attempt
        // to be retried.
        JsonNode log = awaitAdmin(webhooks(integrationId) + "/" + hang.path("id").asText() + "/deliveries", json -> {
            for (JsonNode d : json.path("data")) {
                if (d.path("attempts").asInt() < 1) {
                    return false;
                }
            }
            return json.path("data").size() == 4;
        }).path("data");
        for (JsonNode d : log) {
            assertEquals("timeout", d.path("lastError").asText(), d.toString());
            assertFalse(d.hasNonNull("lastStatus"), d.toString());
            assertEquals("pending", d.path("status").asText(), d.toString());
            long latency = d.path("lastLatencyMillis").asLong();
            assertTrue(latency >= 10_000 && latency < 15_000, "the attempt took the 10 s timeout: " + d);
        }
    }

    @Test
    void anAnswerWhoseBodyNeverEndsEndsTheAttemptAfterTenSeconds() throws Exception {
        JsonNode integration = Ensync.createIntegration(realm);
        String integrationId = integration.path("id").asText();
        JsonNode trickle = createWebhook(integrationId, Map.of("url", base + "/trickle", "eventTypes", List.of("partner.created")));
        Ensync.createPartner(realm, integration.path("key").asText());
        // The headers came at once with 200, the body never ends: that is no answer, and the attempt's 10 s cover it
        // (the request's own timeout covers headers only, and the sender would wait until the receiver gave up).
        JsonNode delivery = awaitAdmin(webhooks(integrationId) + "/" + trickle.path("id").asText() + "/deliveries",
                json -> json.path("data").size() == 1 && json.path("data").get(0).path("attempts").asInt() >= 1)
                .path("data").get(0);
        assertEquals("timeout", delivery.path("lastError").asText(), delivery.toString());
        assertFalse(delivery.hasNonNull("lastStatus"), delivery.toString());
        assertEquals("pending", delivery.path("status").asText(), delivery.toString());
        long latency = delivery.path("lastLatencyMillis").asLong();
        assertTrue(latency >= 10_000 && latency < 15_000, "the attempt ended at 10 s: " + delivery);
    }

    @Test
    void credentialsChangedComesForKeysSetAndRemovedSigned() throws Exception {
        JsonNode integration = Ensync.createIntegration(realm);
        String integrationId = integration.path("id").asText();
        JsonNode hook = createWebhook(integrationId, Map.of("url", base + "/credentials", "eventTypes", List.of("credentials.changed")));
        JsonNode partner = Ensync.createPartner(realm, integration.path("key").asText());
        String partnerId = partner.path("id").asText();
        JsonNode dev = Ensync.redeemOk(realm, partner.path("url").asText()).get("dev");
        String clientId = dev.path("clientId").asText();
        String keys = Ensync.partnerApiBase(realm) + "/me/keys";
        ClientKey ec = ClientKey.ec();

        // A refused change (a private key given) emits nothing; a good PUT and the DELETE emit one each.
        assertError(Http.keycloak().putJson(keys, Ensync.partnerApiToken(realm, dev), Map.of("keys", List.of(ec.privateJwk()))),
                400, "private_key", "keys[0].d");
        Http.keycloak().putJson(keys, Ensync.partnerApiToken(realm, dev), Map.of("keys", List.of(ec.publicJwk()))).expect(200);
        String keyToken = Ensync.partnerApiToken(realm, clientId, ec);
        SecretLedger.record(Http.keycloak().delete(keys, keyToken).expect(200).data().path("clientSecret").asText());

        JsonNode log = awaitAdmin(webhooks(integrationId) + "/" + hook.path("id").asText() + "/deliveries", json -> {
            for (JsonNode d : json.path("data")) {
                if (!"delivered".equals(d.path("status").asText())) {
                    return false;
                }
            }
            return json.path("data").size() >= 2;
        }).path("data");
        assertEquals(2, log.size(), log.toString());
        List<Received> got = at("/credentials");
        assertEquals(2, got.size(), () -> got.stream().map(Received::body).toList().toString());
        assertEquals(List.of("keys-set", "keys-removed"), got.stream()
                .sorted(java.util.Comparator.comparing((Received r) -> Instant.parse(r.json().path("timestamp").asText())))
                .map(r -> r.json().path("data").path("change").asText()).toList());
        for (Received r : got) {
            assertEquals("credentials.changed", r.json().path("type").asText());
            JsonNode data = r.json().path("data");
            assertEquals(integrationId, data.path("integrationId").asText(), r.body());
            assertEquals(partnerId, data.path("partnerId").asText(), r.body());
            assertEquals("partner:" + partnerId, data.path("actor").asText(), r.body());
            assertEquals("dev", data.path("environment").asText(), r.body());
            assertEquals(clientId, data.path("clientId").asText(), r.body());
            assertFalse(r.body().contains(String.valueOf(ec.publicJwk().get("x"))), "no key material: " + r.body());
            assertFalse(r.body().contains(dev.path("clientSecret").asText()), "no secret: " + r.body());
        }
        JsonNode verified = verify(got.stream().map(r -> verifyCase(hook.path("secret").asText(), r)).toList());
        assertEquals(2, verified.path("verified").asInt(), verified.toString());
    }

    @Test
    void adminApiChecksFieldsRightsAndBounds() {
        JsonNode integration = Ensync.createIntegration(realm);
        String integrationId = integration.path("id").asText();
        String path = webhooks(integrationId);
        String admin = KeycloakApi.adminToken();
        assertError(Http.keycloak().postJson(path, admin, Map.of("url", "ftp://example.com/x")), 400, "invalid_value", "url");
        assertError(Http.keycloak().postJson(path, admin, Map.of("url", "http://example.com/x")), 400, "invalid_value", "url");
        assertError(Http.keycloak().postJson(path, admin, Map.of("url", base, "eventTypes", List.of("partner.exploded"))), 400, "invalid_value", "eventTypes");
        assertError(Http.keycloak().postJson(path, admin, Map.of("url", base, "colour", "red")), 400, "unknown_field", "colour");
        assertError(Http.keycloak().postJson(Ensync.adminBase(realm) + "/integrations/" + "0".repeat(36) + "/webhooks", admin,
                Map.of("url", base)), 404, "not_found", null);
        KeycloakApi.createUserWithClientRoles(realm, "hooks-viewer", "viewer-pass", "view-clients");
        String viewer = KeycloakApi.passwordToken(realm, "hooks-viewer", "viewer-pass");
        assertError(Http.keycloak().postJson(path, viewer, Map.of("url", base)), 403, "forbidden", null);
        Http.keycloak().get(path, viewer).expect(200);
        for (int i = 0; i < 10; i++) {
            createWebhook(integrationId, Map.of("url", base + "/bound/" + i, "enabled", false));
        }
        assertError(Http.keycloak().postJson(path, admin, Map.of("url", base)), 409, "webhook_limit", null);
        String wid = Http.keycloak().get(path, admin).expect(200).data().get(0).path("id").asText();
        JsonNode updated = Http.keycloak().putJson(path + "/" + wid, admin, Map.of("description", "changed", "eventTypes", List.of("grant.approved")))
                .expect(200).data();
        assertEquals("changed", updated.path("description").asText());
        assertEquals(base + "/bound/0", updated.path("url").asText());
        assertEquals("grant.approved", updated.path("eventTypes").get(0).asText());
        // A PUT whose second field is bad changes nothing, not even the good first one (the request rolls back).
        assertError(Http.keycloak().putJson(path + "/" + wid, admin, Map.of("url", base + "/moved", "eventTypes", List.of("nope"))),
                400, "invalid_value", "eventTypes");
        assertEquals(base + "/bound/0", Http.keycloak().get(path + "/" + wid, admin).expect(200).data().path("url").asText());
        Http.keycloak().delete(path + "/" + wid, admin).expect(200);
        assertError(Http.keycloak().get(path + "/" + wid, admin), 404, "not_found", null);
    }
}
