package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.ClusterNode;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakServer;
import io.ensync.keycloak.it.support.Names;
import io.ensync.keycloak.it.support.Portal;
import io.ensync.keycloak.it.support.SecretLedger;
import io.ensync.keycloak.it.support.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two Keycloak nodes with the extension on one PostgreSQL database, clustered by Keycloak's own means (SPEC §1):
 * what one node does, the other sees at once. Runs in the PostgreSQL pass only (H2 cannot be shared by two nodes).
 * It starts its own two nodes beside the suite's server, so it runs just before the restart and leak checks.
 */
@Order(Integer.MAX_VALUE - 2)
class ClusterIT {

    private static final int WEBHOOK_MESSAGES = 40;
    private static final int EXPIRING_PARTNERS = 10;
    private static List<ClusterNode> nodes = List.of();
    private static Http a;
    private static Http b;
    private static String realm;

    @BeforeAll
    static void startCluster() throws Exception {
        assumeTrue("postgres".equals(System.getProperty("ensync.it.db")), "the cluster runs on PostgreSQL");
        Path dist = Path.of(System.getProperty("ensync.it.keycloakHome"));
        Path jar = Path.of(System.getProperty("ensync.it.providerJar"));
        nodes = ClusterNode.prepare(dist.toAbsolutePath(), jar.toAbsolutePath(), Path.of("target/cluster").toAbsolutePath());
        String hostname = nodes.get(0).baseUrl();
        nodes.get(0).start(hostname);
        nodes.get(0).awaitReady();
        nodes.get(1).start(hostname);
        nodes.get(1).awaitReady();
        nodes.get(1).awaitClusterView(2);
        a = new Http(nodes.get(0).baseUrl(), false);
        b = new Http(nodes.get(1).baseUrl(), false);
        realm = Names.unique("cluster");
        a.postJson("/admin/realms", adminToken(a), Map.of("realm", realm, "enabled", true,
                "adminEventsEnabled", true, "adminEventsDetailsEnabled", true)).expect(201);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (ClusterNode node : nodes) {
            node.close();
        }
    }

    private static String adminToken(Http node) {
        return node.postForm("/realms/master/protocol/openid-connect/token", Map.of("grant_type", "password",
                "client_id", "admin-cli", "username", KeycloakServer.ADMIN_USERNAME, "password", KeycloakServer.ADMIN_PASSWORD))
                .expect(200).json().path("access_token").asText();
    }

    private static JsonNode integration(Map<String, Object> body) {
        JsonNode data = a.postJson("/admin/realms/" + realm + "/ensync/integrations", adminToken(a), body).expect(201).data();
        SecretLedger.record(data.path("key").asText());
        return data;
    }

    private static String linkId(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static Http.Response token(Http node, String clientId, String secret) {
        return node.postForm("/realms/" + realm + "/protocol/openid-connect/token",
                Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    /** A partner-API token (scope ensync-partner-api), for /me… */
    private static String apiToken(Http node, String clientId, String secret) {
        return node.postForm("/realms/" + realm + "/protocol/openid-connect/token", Map.of("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", secret, "scope", "ensync-partner-api")).expect(200).json().path("access_token").asText();
    }

    private static Map<String, JsonNode> redeem(Http node, String url) {
        Map<String, JsonNode> envs = new LinkedHashMap<>();
        node.request("POST", "/realms/" + realm + "/ensync/api/v1/partner/links/" + linkId(url) + "/redeem").send().expect(200)
                .data().path("environments").forEach(e -> {
                    SecretLedger.record(e.path("clientSecret").asText());
                    envs.put(e.path("name").asText(), e);
                });
        return envs;
    }

    @Test
    void aPartnerMadeOnOneNodeIsReadRedeemedAndManagedOnTheOther() {
        String key = integration(Map.of("name", Names.unique("i"), "topics", List.of(Map.of("pattern", "app/*", "send", true, "autoApprove", List.of("dev"))))).path("key").asText();
        JsonNode created = a.postJson("/realms/" + realm + "/ensync/api/v1/external/partner", key, Map.of("appName", "Twin")).expect(201).data();
        SecretLedger.record(linkId(created.path("url").asText()));
        assertEquals("Twin", b.get("/realms/" + realm + "/ensync/api/v1/external/partner/" + created.path("id").asText(), key).expect(200).data().path("appName").asText());
        JsonNode dev = redeem(b, created.path("url").asText()).get("dev");
        String tokenFromA = apiToken(a, dev.path("clientId").asText(), dev.path("clientSecret").asText());
        b.postJson("/realms/" + realm + "/ensync/api/v1/partner/me/grants", tokenFromA, Map.of("topic", "app/x", "scopes", List.of("send"))).expect(201);
        assertEquals("active", a.get("/realms/" + realm + "/ensync/api/v1/external/partner/" + created.path("id").asText(), key).expect(200).data().path("status").asText());
    }

    @Test
    void aThousandRedemptionsRacingOnBothNodesOverFiftyLinksWinFiftyTimes() throws Exception {
        String key = integration(Map.of("name", Names.unique("race"))).path("key").asText();
        List<String> links = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String url = a.postJson("/realms/" + realm + "/ensync/api/v1/external/partner", key, Map.of()).expect(201).data().path("url").asText();
            links.add(SecretLedger.record(linkId(url)));
        }
        AtomicInteger won = new AtomicInteger();
        AtomicInteger gone = new AtomicInteger();
        List<String> other = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Http.Response>> attempts = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                Http node = i % 2 == 0 ? a : b;
                String link = links.get(i % 50);
                attempts.add(pool.submit(() -> node.request("POST", "/realms/" + realm + "/ensync/api/v1/partner/links/" + link + "/redeem").send()));
            }
            for (Future<Http.Response> attempt : attempts) {
                Http.Response r = attempt.get();
                if (r.status() == 200) {
                    won.incrementAndGet();
                    r.data().path("environments").forEach(e -> SecretLedger.record(e.path("clientSecret").asText()));
                } else if (r.status() == 410 && "link_used".equals(r.error().path("code").asText())) {
                    gone.incrementAndGet();
                } else {
                    other.add(r.status() + " " + r.body());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), other);
        assertEquals(50, won.get());
        assertEquals(950, gone.get());
    }

    @Test
    void revocationsAndRotationsOnOneNodeHoldOnTheOtherAtOnce() {
        JsonNode integration = integration(Map.of("name", Names.unique("rev"), "topics", List.of(Map.of("pattern", "app/*", "send", true, "autoApprove", List.of("dev")))));
        String integrationId = integration.path("id").asText();
        String key = integration.path("key").asText();
        String url = a.postJson("/realms/" + realm + "/ensync/api/v1/external/partner", key, Map.of()).expect(201).data().path("url").asText();
        SecretLedger.record(linkId(url));
        JsonNode dev = redeem(a, url).get("dev");
        String clientId = dev.path("clientId").asText();
        String secret = dev.path("clientSecret").asText();

        // A rotated secret with immediate revoke on A: B's token endpoint refuses the old one at once.
        token(b, clientId, secret).expect(200);
        String tokenA = apiToken(a, clientId, secret);
        String rotated = a.postJson("/realms/" + realm + "/ensync/api/v1/partner/me/secret", tokenA, Map.of("revokePrevious", true))
                .expect(200).data().path("clientSecret").asText();
        SecretLedger.record(rotated);
        assertEquals(401, token(b, clientId, secret).status());
        token(b, clientId, rotated).expect(200);

        // A grant revoked on A is gone from the next token B issues.
        String grantId = b.postJson("/realms/" + realm + "/ensync/api/v1/partner/me/grants", apiToken(b, clientId, rotated),
                Map.of("topic", "app/x", "scopes", List.of("send"))).expect(201).data().path("id").asText();
        assertTrue(claim(token(b, clientId, rotated)).contains("app/x"));
        a.delete("/admin/realms/" + realm + "/ensync/grants/" + grantId, adminToken(a)).expect(200);
        assertEquals(false, claim(token(b, clientId, rotated)).contains("app/x"));

        // A key revoked on A is refused by B at once.
        JsonNode second = a.postJson("/admin/realms/" + realm + "/ensync/integrations/" + integrationId + "/keys", adminToken(a), Map.of()).expect(201).data();
        String secondKey = SecretLedger.record(second.path("key").asText());
        b.get("/realms/" + realm + "/ensync/api/v1/external/partner", secondKey).expect(200);
        a.delete("/admin/realms/" + realm + "/ensync/integrations/" + integrationId + "/keys/" + second.path("id").asText(), adminToken(a)).expect(200);
        assertEquals(403, b.get("/realms/" + realm + "/ensync/api/v1/external/partner", secondKey).status());
    }

    @Test
    void aPortalSessionEndedOnOneNodeIsEndedOnTheOther() {
        String key = integration(Map.of("name", Names.unique("portal"))).path("key").asText();
        String url = a.postJson("/realms/" + realm + "/ensync/api/v1/external/partner", key, Map.of()).expect(201).data().path("url").asText();
        SecretLedger.record(linkId(url));
        // One browser (one cookie jar) talking to both nodes, as behind a load balancer without sticky sessions.
        Http browser = new Http(nodes.get(0).baseUrl(), true);
        Http.Response page = browser.request("GET", url).send().expect(200);
        Http.Response started = browser.request("POST", url).form(Map.of("csrf", Portal.csrf(page))).send().expect(200);
        Portal.secrets(started.body()).forEach(SecretLedger::record);
        browser.request("GET", "/realms/" + realm + "/ensync/portal/environments").send().expect(200);
        String environmentsOnB = nodes.get(1).baseUrl() + "/realms/" + realm + "/ensync/portal/environments";
        Http.Response onB = browser.request("GET", environmentsOnB).send().expect(200);
        browser.request("POST", nodes.get(1).baseUrl() + "/realms/" + realm + "/ensync/portal/logout")
                .form(Map.of("csrf", Portal.csrf(onB))).send().expect(200);
        assertNotEquals(200, browser.request("GET", "/realms/" + realm + "/ensync/portal/environments").send().status(),
                "the session ended on B is ended on A");
    }

    @Test
    void webhooksOfChangesOnBothNodesAreDeliveredOnceEach() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            JsonNode integration = integration(Map.of("name", Names.unique("hooks")));
            String key = integration.path("key").asText();
            String webhooks = "/admin/realms/" + realm + "/ensync/integrations/" + integration.path("id").asText() + "/webhooks";
            JsonNode hook = a.postJson(webhooks, adminToken(a), Map.of("url", receiver.url("/cluster"),
                    "eventTypes", List.of("partner.created"))).expect(201).data();
            String secret = SecretLedger.record(hook.path("secret").asText());
            // Changes on both nodes: each node's commit nudges its own worker, and both poll the one outbox.
            Set<String> partners = new TreeSet<>();
            for (int i = 0; i < WEBHOOK_MESSAGES; i++) {
                Http node = i % 2 == 0 ? a : b;
                JsonNode created = node.postJson("/realms/" + realm + "/ensync/api/v1/external/partner", key, Map.of()).expect(201).data();
                SecretLedger.record(linkId(created.path("url").asText()));
                partners.add(created.path("id").asText());
            }
            String deliveries = webhooks + "/" + hook.path("id").asText() + "/deliveries?max=100";
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            JsonNode log = null;
            boolean allDelivered = false;
            while (!allDelivered && Instant.now().isBefore(deadline)) {
                log = b.get(deliveries, adminToken(b)).expect(200).json().path("data");
                allDelivered = log.size() == WEBHOOK_MESSAGES;
                for (JsonNode d : log) {
                    allDelivered &= "delivered".equals(d.path("status").asText());
                }
                if (!allDelivered) {
                    Thread.sleep(200);
                }
            }
            assertTrue(allDelivered, "every message delivered within 60 s: " + log);
            Set<String> ids = new TreeSet<>();
            int attempts = 0;
            for (JsonNode d : log) {
                ids.add(d.path("id").asText());
                attempts += d.path("attempts").asInt();
            }
            List<WebhookReceiver.Received> got = receiver.at("/cluster");
            Map<String, Long> perId = got.stream().collect(Collectors.groupingBy(WebhookReceiver.Received::id, Collectors.counting()));
            long duplicates = got.size() - perId.size();
            System.out.printf("ClusterIT webhooks: %d messages from changes on two nodes, %d requests received, %d duplicates "
                    + "(same id), %d attempts recorded%n", WEBHOOK_MESSAGES, got.size(), duplicates, attempts);
            assertEquals(ids, perId.keySet(), "every message arrived at least once, and none with an id of its own");
            assertEquals(partners, got.stream().map(r -> r.data().path("partnerId").asText()).collect(Collectors.toCollection(TreeSet::new)));
            for (WebhookReceiver.Received r : got) {
                assertEquals("partner.created", r.type(), r.body());
            }
            WebhookReceiver.assertSigned(secret, got);
        }
    }

    @Test
    void bothNodesScanningEverySecondAnnounceEachExpiringSecretOnce() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            JsonNode integration = integration(Map.of("name", Names.unique("expiring"), "secretPolicy", Map.of("maxAgeDays", Map.of("dev", 3))));
            String key = integration.path("key").asText();
            String webhooks = "/admin/realms/" + realm + "/ensync/integrations/" + integration.path("id").asText() + "/webhooks";
            JsonNode hook = a.postJson(webhooks, adminToken(a), Map.of("url", receiver.url("/expiring"),
                    "eventTypes", List.of("secret.expiring"))).expect(201).data();
            String secret = SecretLedger.record(hook.path("secret").asText());
            Set<String> partners = new TreeSet<>();
            for (int i = 0; i < EXPIRING_PARTNERS; i++) {
                Http node = i % 2 == 0 ? a : b;
                JsonNode created = node.postJson("/realms/" + realm + "/ensync/api/v1/external/partner", key, Map.of()).expect(201).data();
                redeem(node, created.path("url").asText());
                partners.add(created.path("id").asText());
            }
            receiver.awaitAt("/expiring", Duration.ofSeconds(60), list -> list.stream().map(r -> r.data().path("partnerId").asText())
                    .collect(Collectors.toSet()).containsAll(partners));
            // One more partner after those notices: once its notice has come, both nodes have scanned the first ones
            // again (every scan reads every client) and must not have announced them twice.
            JsonNode last = a.postJson("/realms/" + realm + "/ensync/api/v1/external/partner", key, Map.of()).expect(201).data();
            redeem(b, last.path("url").asText());
            partners.add(last.path("id").asText());
            receiver.awaitAt("/expiring", Duration.ofSeconds(60), list -> list.stream()
                    .anyMatch(r -> r.data().path("partnerId").asText().equals(last.path("id").asText())));
            String deliveries = webhooks + "/" + hook.path("id").asText() + "/deliveries?max=100";
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            JsonNode log = a.get(deliveries, adminToken(a)).expect(200).json().path("data");
            while (Instant.now().isBefore(deadline) && !java.util.stream.StreamSupport.stream(log.spliterator(), false)
                    .allMatch(d -> "delivered".equals(d.path("status").asText()))) {
                Thread.sleep(200);
                log = a.get(deliveries, adminToken(a)).expect(200).json().path("data");
            }
            List<WebhookReceiver.Received> got = receiver.at("/expiring");
            // Counted by message (a delivery repeated with the same id is at-least-once, not a second announcement).
            Map<String, Integer> perPartner = got.stream().collect(Collectors.groupingBy(r -> r.data().path("partnerId").asText(),
                    Collectors.collectingAndThen(Collectors.mapping(WebhookReceiver.Received::id, Collectors.toSet()), Set::size)));
            System.out.printf("ClusterIT secret.expiring: %d partners, %d messages, %d requests%n", partners.size(), log.size(), got.size());
            assertEquals(partners.size(), log.size(), "one message per expiring secret: " + perPartner);
            assertEquals(partners, perPartner.keySet());
            assertTrue(perPartner.values().stream().allMatch(n -> n == 1), "each announced once: " + perPartner);
            WebhookReceiver.assertSigned(secret, got);
        }
    }

    private static String claim(Http.Response tokenResponse) {
        String jwt = tokenResponse.expect(200).json().path("access_token").asText();
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
