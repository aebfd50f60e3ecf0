package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.Invariants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.ensync.keycloak.it.support.Ensync.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One-time links and machine redemption (SPEC §6): real clients, real tokens, exactly once. */
@ExtendWith(KeycloakExtension.class)
class RedemptionIT {

    private static String realm;
    private static String key;

    /** Whatever the tests did, nothing in the realm is half-made. */
    @AfterAll
    static void nothingHalfMade() {
        Invariants.check(realm);
    }

    @BeforeAll
    static void setUp() {
        realm = KeycloakApi.createRealm();
        key = Ensync.createIntegration(realm).path("key").asText();
    }

    @Test
    void redemptionCreatesOneConfidentialClientPerEnvironment() {
        JsonNode created = Ensync.createPartner(realm, key);
        String partnerId = created.path("id").asText();
        Http.Response response = Ensync.redeem(realm, Ensync.linkIdOf(created.path("url").asText())).expect(200);
        assertEquals(partnerId, response.data().path("partnerId").asText());

        Map<String, JsonNode> envs = new java.util.LinkedHashMap<>();
        response.data().path("environments").forEach(e -> envs.put(e.path("name").asText(), e));
        assertEquals(List.of("dev", "stage", "prod"), List.copyOf(envs.keySet()));
        String tokenUrl = Http.keycloak().baseUrl() + "/realms/" + realm + "/protocol/openid-connect/token";
        for (JsonNode env : envs.values()) {
            String name = env.path("name").asText();
            assertEquals("ensync-" + partnerId + "-" + name, env.path("clientId").asText());
            assertTrue(env.path("clientSecret").asText().length() >= 32);
            assertEquals(tokenUrl, env.path("tokenUrl").asText());
        }

        // dev and stage get tokens from Keycloak's standard token endpoint; prod waits for promotion.
        for (String env : List.of("dev", "stage")) {
            Http.Response token = KeycloakApi.clientCredentialsToken(realm, envs.get(env).path("clientId").asText(),
                    envs.get(env).path("clientSecret").asText()).expect(200);
            String payload = new String(Base64.getUrlDecoder().decode(token.json().path("access_token").asText().split("\\.")[1]));
            assertTrue(payload.contains("\"azp\":\"ensync-" + partnerId + "-" + env + "\""), payload);
        }
        Http.Response prod = KeycloakApi.clientCredentialsToken(realm, envs.get("prod").path("clientId").asText(),
                envs.get("prod").path("clientSecret").asText());
        assertNotEquals(200, prod.status(), prod.toString());

        // The clients are what the spec says: confidential, service account, client credentials only.
        String uuid = KeycloakApi.clientUuid(realm, envs.get("dev").path("clientId").asText());
        JsonNode client = Http.keycloak().get("/admin/realms/" + realm + "/clients/" + uuid, KeycloakApi.adminToken()).expect(200).json();
        assertFalse(client.path("publicClient").asBoolean());
        assertTrue(client.path("serviceAccountsEnabled").asBoolean());
        assertFalse(client.path("standardFlowEnabled").asBoolean());
        assertFalse(client.path("implicitFlowEnabled").asBoolean());
        assertFalse(client.path("directAccessGrantsEnabled").asBoolean());
        assertEquals(0, client.path("redirectUris").size());
        assertFalse(KeycloakApi.clientUuid(realm, envs.get("prod").path("clientId").asText()).isEmpty());

        // The partner's later reads show its clients, and never a secret.
        JsonNode partner = Http.keycloak().get(Ensync.externalBase(realm) + "/partner/" + partnerId, key).expect(200).data();
        assertEquals("active", partner.path("status").asText());
        for (JsonNode env : partner.path("environments")) {
            assertEquals(envs.get(env.path("name").asText()).path("clientId").asText(), env.path("clientId").asText());
            assertEquals(!"prod".equals(env.path("name").asText()), env.path("enabled").asBoolean());
            assertFalse(partner.toString().contains(envs.get(env.path("name").asText()).path("clientSecret").asText()));
        }
    }

    @Test
    void aLinkWorksOnce() {
        String linkId = Ensync.linkIdOf(Ensync.createPartner(realm, key).path("url").asText());
        Ensync.redeem(realm, linkId).expect(200);
        assertError(Ensync.redeem(realm, linkId), 410, "link_used", null);
    }

    @Test
    void unknownAndMalformedLinksAreNotFound() {
        assertError(Ensync.redeem(realm, "A".repeat(43)), 404, "not_found", null);
        assertError(Ensync.redeem(realm, "short"), 404, "not_found", null);
    }

    @Test
    void aLinkOfAnotherRealmIsUnknownHere() {
        String otherRealm = KeycloakApi.createRealm();
        String otherKey = Ensync.createIntegration(otherRealm).path("key").asText();
        String linkId = Ensync.linkIdOf(Ensync.createPartner(otherRealm, otherKey).path("url").asText());
        assertError(Ensync.redeem(realm, linkId), 404, "not_found", null);
        Ensync.redeem(otherRealm, linkId).expect(200);
    }

    @Test
    void anExpiredLinkIsGone() throws InterruptedException {
        JsonNode integration = Ensync.createIntegration(realm, Map.of("name", "short-lived", "linkTtlSeconds", 1));
        JsonNode created = Ensync.createPartner(realm, integration.path("key").asText());
        String linkId = Ensync.linkIdOf(created.path("url").asText());

        // Wait for the condition itself: this machine's clock, which the server shares, past the expiry it recorded.
        Instant expiresAt = Instant.parse(linkEvent(created.path("id").asText()).path("expiresAt").asText());
        while (!Instant.now().isAfter(expiresAt)) {
            Thread.sleep(100);
        }
        assertError(Ensync.redeem(realm, linkId), 410, "link_expired", null);
    }

    private static JsonNode linkEvent(String partnerId) {
        for (JsonNode event : KeycloakApi.adminEvents(realm)) {
            if ("ENSYNC_LINK".equals(event.path("resourceType").asText())
                    && event.path("resourcePath").asText().startsWith("ensync/partners/" + partnerId + "/links/")) {
                try {
                    return Http.JSON.readTree(event.path("representation").asText());
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("no ENSYNC_LINK event for " + partnerId);
    }


    @Test
    void aReentryLinkDoesNotHandOutCredentials() {
        JsonNode created = Ensync.createPartner(realm, key);
        String id = created.path("id").asText();
        Ensync.redeemOk(realm, created.path("url").asText());
        String reentry = Ensync.linkIdOf(Http.keycloak().request("POST", Ensync.externalBase(realm) + "/partner/" + id + "/link")
                .bearer(key).send().expect(201).data().path("url").asText());
        io.ensync.keycloak.it.support.SecretLedger.record(reentry);
        assertError(Ensync.redeem(realm, reentry), 409, "link_for_portal", null);
    }

    @Test
    void twentyConcurrentRedemptionsHaveExactlyOneWinner() throws Exception {
        String linkId = Ensync.linkIdOf(Ensync.createPartner(realm, key).path("url").asText());
        int attempts = 20;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Http.Response>> futures = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                Callable<Http.Response> attempt = () -> {
                    start.await();
                    return new Http(Http.keycloak().baseUrl(), false)
                            .request("POST", Ensync.partnerApiBase(realm) + "/links/" + linkId + "/redeem").send();
                };
                futures.add(pool.submit(attempt));
            }
            start.countDown();
            int ok = 0;
            int gone = 0;
            for (Future<Http.Response> future : futures) {
                Http.Response response = future.get();
                if (response.status() == 200) {
                    ok++;
                    response.data().path("environments").forEach(e ->
                            io.ensync.keycloak.it.support.SecretLedger.record(e.path("clientSecret").asText()));
                } else {
                    assertError(response, 410, "link_used", null);
                    gone++;
                }
            }
            assertEquals(1, ok);
            assertEquals(attempts - 1, gone);
        } finally {
            pool.shutdownNow();
        }
    }
}
