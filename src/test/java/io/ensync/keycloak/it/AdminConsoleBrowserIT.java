package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ensync.keycloak.it.support.BrowserScript;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EnSync pages of the real Keycloak admin console in headless Chromium, the way most admins meet them: the
 * master realm's admin console has the admin theme "ensync" (as docs/admin-console.md says), and its admin — the
 * server's temporary bootstrap admin — manages another realm whose own admin theme was never changed.
 * src/test/browser/admin-console.test.mjs compares that console with the stock one (keycloak.v2) for the same admin
 * and realm, works through every EnSync page as that admin and as a master user who may only view the realm's
 * clients, and reads the pages and the partner portal with the realms' default locale German. Afterwards this test
 * checks through the admin API, independently of the pages, that the admin's clicks did what they showed and that
 * the viewer changed nothing. The webhook endpoints made on the Webhooks tab point at a receiver in this JVM
 * (127.0.0.1; the IT server allows private targets): it answers 204 (410 under /gone) and lists what it got at
 * {@code GET /received}, so the script can check each delivery the delivery log shows against what arrived.
 */
@ExtendWith(KeycloakExtension.class)
class AdminConsoleBrowserIT {

    /** One request the receiver got. */
    record Received(String path, String id, String timestamp, String signature, String body) {
    }

    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static HttpServer receiver;

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.createContext("/", AdminConsoleBrowserIT::handle);
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if ("GET".equals(exchange.getRequestMethod()) && path.equals("/received")) {
            byte[] list = Http.JSON.writeValueAsBytes(RECEIVED);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, list.length);
            exchange.getResponseBody().write(list);
            exchange.close();
            return;
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        RECEIVED.add(new Received(path, exchange.getRequestHeaders().getFirst("webhook-id"),
                exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                exchange.getRequestHeaders().getFirst("webhook-signature"), body));
        exchange.sendResponseHeaders(path.startsWith("/gone") ? 410 : 204, -1);
        exchange.close();
    }

    private static List<Received> at(String path) {
        return RECEIVED.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Test
    void masterAdminsRunEnsyncForAnyRealmFromTheKeycloakAdminConsole(KeycloakServer server) throws Exception {
        String realm = KeycloakApi.createRealm();
        assertEquals("", Http.keycloak().get("/admin/realms/" + realm, KeycloakApi.adminToken()).expect(200).json()
                .path("adminTheme").asText(""), "the managed realm keeps Keycloak's admin theme");
        Map<String, String> viewer = Map.of("username", "console-viewer-" + realm, "password", "Viewer-Console-1");
        String viewerId = KeycloakApi.createUserWithRolesOf("master", realm + "-realm", viewer.get("username"),
                viewer.get("password"), "view-clients");
        Map<String, String> admin = Map.of("username", KeycloakServer.ADMIN_USERNAME, "password", KeycloakServer.ADMIN_PASSWORD);
        String adminId = Http.keycloak().get("/admin/realms/master/users?exact=true&username=" + admin.get("username"),
                KeycloakApi.adminToken()).expect(200).json().path(0).path("id").asText();

        // The script switches master's admin theme (stock first, then ensync) and the realms' locales; put back
        // whatever it leaves.
        JsonNode master = Http.keycloak().get("/admin/realms/master", KeycloakApi.adminToken()).expect(200).json();
        JsonNode managed = Http.keycloak().get("/admin/realms/" + realm, KeycloakApi.adminToken()).expect(200).json();
        JsonNode result;
        try {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("base", server.baseUrl());
            config.put("realm", realm);
            config.put("admin", admin);
            config.put("viewer", viewer);
            config.put("receiver", "http://127.0.0.1:" + receiver.getAddress().getPort());
            config.put("screenshotDir", BrowserScript.screenshotDir());
            result = BrowserScript.run("admin-console.test.mjs", "ENSYNC_ADMIN_CONSOLE_TEST", config,
                    "admin-console-browser-" + server.db());
        } finally {
            restore("master", master, true);
            restore(realm, managed, false);
        }

        // The integration made in the form with a name only, with the topic and origin added there.
        JsonNode integration = admin(realm, "/integrations/" + result.path("integrationId").asText()).data();
        assertEquals("Orders", integration.path("name").asText());
        assertTrue(integration.path("description").isMissingNode() || integration.path("description").isNull(),
                "no description: " + integration);
        assertEquals(List.of("app/order/*"), Ensync.names(integration.path("topics"), "pattern"));
        assertEquals("https://shop.example.com", integration.path("allowedEmbedOrigins").path(0).asText());

        // The grant and the promotion approved on the approvals page, decided by the master admin.
        String partnerId = result.path("partnerId").asText();
        assertEquals("prod", admin(realm, "/partners/" + partnerId).data().path("stage").asText());
        JsonNode stageGrant = admin(realm, "/grants?partner=" + partnerId + "&env=stage").data().path(0);
        assertEquals("approved", stageGrant.path("status").asText());
        assertEquals(adminId, stageGrant.path("decidedBy").asText());
        JsonNode promotion = admin(realm, "/promotions?partner=" + partnerId).data().path(0);
        assertEquals("approved", promotion.path("status").asText());
        assertEquals(adminId, promotion.path("decidedBy").asText());

        // The webhook endpoint made and edited on the Webhooks tab, and what its receiver got: the test event twice
        // (sent, then replayed: the same webhook-id and body), the test event after the rotation, and later the
        // partner.created of the two partners the script made (the one event type left after the edit).
        JsonNode webhooks = admin(realm, "/integrations/" + result.path("integrationId").asText() + "/webhooks").data();
        assertEquals(1, webhooks.size(), "one endpoint left: " + webhooks);
        JsonNode webhook = webhooks.path(0);
        assertEquals(result.path("webhookId").asText(), webhook.path("id").asText());
        assertEquals(List.of("partner.created"), Ensync.strings(webhook.path("eventTypes")));
        assertTrue(webhook.path("description").isMissingNode(), "no description after the edit: " + webhook);
        assertTrue(webhook.path("enabled").asBoolean(), "enabled");
        assertFalse(webhook.has("secret"), "the secret is not shown again");
        String test = result.path("webhookMessages").path("test").asText();
        String rotated = result.path("webhookMessages").path("rotated").asText();
        List<Received> got = awaitAt("/hooks/orders", 5);
        assertEquals(List.of(test, test, rotated), got.subList(0, 3).stream().map(Received::id).toList());
        assertEquals(got.get(0).body(), got.get(1).body(), "a replay sends the same body");
        assertEquals(List.of("webhook.test", "webhook.test", "webhook.test", "partner.created", "partner.created"),
                got.stream().map(r -> type(r.body())).toList(), "what the receiver at /hooks/orders got");
        assertNotEquals(got.get(3).id(), got.get(4).id());
        List<String> created = new java.util.ArrayList<>();
        for (Received r : got.subList(3, 5)) {
            created.add(Http.JSON.readTree(r.body()).path("data").path("partnerId").asText());
        }
        assertTrue(created.contains(partnerId), "partner.created of the partner made with the console's key: " + created);
        assertEquals(1, at("/gone").size(), "the endpoint answering 410 got one request before it was disabled");

        // The admin's changes are audited as theirs in the managed realm; the viewer's session left no change.
        JsonNode events = KeycloakApi.adminEvents(realm);
        assertTrue(actors(events).contains(adminId), "admin events of the master admin");
        assertFalse(actors(events).contains(viewerId), "the view-only admin changed nothing");
        assertEquals(managed.path("adminTheme"), Http.keycloak().get("/admin/realms/" + realm, KeycloakApi.adminToken())
                .expect(200).json().path("adminTheme"), "the managed realm's admin theme is as it was");
    }

    /** Waits (bounded, 30 s) until the receiver got {@code count} requests at {@code path}; fails unless it got exactly that many. */
    private static List<Received> awaitAt(String path, int count) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (at(path).size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        List<Received> got = at(path);
        assertEquals(count, got.size(), () -> "requests at " + path + ": " + got.stream().map(r -> type(r.body())).toList());
        return got;
    }

    private static String type(String body) {
        try {
            return Http.JSON.readTree(body).path("type").asText();
        } catch (IOException e) {
            return "(not JSON: " + body + ")";
        }
    }

    /** Puts back a realm's locale settings (and admin theme) as they were before the test. */
    private static void restore(String realm, JsonNode before, boolean adminTheme) {
        Map<String, Object> settings = new LinkedHashMap<>();
        if (adminTheme) {
            // No admin theme is Keycloak's default, keycloak.v2.
            settings.put("adminTheme", before.path("adminTheme").asText("keycloak.v2"));
        }
        settings.put("internationalizationEnabled", before.path("internationalizationEnabled").asBoolean(false));
        settings.put("supportedLocales", before.path("supportedLocales").isArray()
                ? StreamSupport.stream(before.path("supportedLocales").spliterator(), false).map(JsonNode::asText).toList()
                : List.of());
        settings.put("defaultLocale", before.path("defaultLocale").asText("en"));
        Http.keycloak().putJson("/admin/realms/" + realm, KeycloakApi.adminToken(), settings).expect(204);
    }

    private static Http.Response admin(String realm, String path) {
        return Http.keycloak().get(Ensync.adminBase(realm) + path, KeycloakApi.adminToken()).expect(200);
    }

    private static List<String> actors(JsonNode events) {
        return StreamSupport.stream(events.spliterator(), false)
                .map(event -> event.path("authDetails").path("userId").asText()).distinct().toList();
    }
}
