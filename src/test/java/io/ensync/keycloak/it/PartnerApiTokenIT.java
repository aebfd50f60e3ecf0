package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.SecretLedger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.ensync.keycloak.it.support.Ensync.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Least privilege of partner tokens (SPEC §7, §8): the default token goes to the broker and manages nothing; the
 * partner API takes only a token asked for with {@code scope=ensync-partner-api}; a token reads its own environment's
 * history only; what a token claims comes from the extension's records alone; a grace period that is answered holds.
 */
@ExtendWith(KeycloakExtension.class)
class PartnerApiTokenIT {

    private static final String CHALLENGE = "error=\"insufficient_scope\", scope=\"ensync-partner-api\"";
    private static String realm;
    private static String key;

    @BeforeAll
    static void setUp() {
        realm = KeycloakApi.createRealm();
        Http.keycloak().putJson("/admin/realms/" + realm, KeycloakApi.adminToken(),
                Map.of("adminEventsEnabled", true, "adminEventsDetailsEnabled", true)).expect(204);
        key = Ensync.createIntegration(realm, Map.of("name", "tokens", "secretPolicy", Map.of("rotationGraceSeconds", 2),
                "topics", List.of(Map.of("pattern", "app/order/*", "send", true, "receive", true,
                        "autoApprove", List.of("dev", "stage", "prod")))))
                .path("key").asText();
    }

    private static Map<String, JsonNode> partner() {
        return Ensync.redeemOk(realm, Ensync.createPartner(realm, key).path("url").asText());
    }

    private static String me(String path) {
        return Ensync.partnerApiBase(realm) + "/me" + path;
    }

    @Test
    void aDefaultTokenOfEveryEnvironmentManagesNothing() {
        Map<String, JsonNode> p = partner();
        promoteToProd(p);
        for (String env : List.of("dev", "stage", "prod")) {
            JsonNode creds = p.get(env);
            String broker = Ensync.brokerToken(realm, creds);
            String api = Ensync.partnerApiToken(realm, creds);
            String grant = Http.keycloak().postJson(me("/grants"), api, Map.of("topic", "app/order/created", "scopes", List.of("send")))
                    .expect(201).data().path("id").asText();
            List<Http.Response> refused = List.of(
                    Http.keycloak().get(me(""), broker),
                    Http.keycloak().postJson(me("/secret"), broker, Map.of("revokePrevious", true)),
                    Http.keycloak().get(me("/grants"), broker),
                    Http.keycloak().postJson(me("/grants"), broker, Map.of("topic", "app/order/updated", "scopes", List.of("send"))),
                    Http.keycloak().delete(me("/grants/" + grant), broker),
                    Http.keycloak().postJson(me("/promotion"), broker, Map.of()),
                    Http.keycloak().get(me("/history"), broker));
            for (Http.Response response : refused) {
                assertError(response, 403, "insufficient_scope", null);
                String challenge = response.header("WWW-Authenticate").orElse("");
                assertTrue(challenge.startsWith("Bearer ") && challenge.contains(CHALLENGE), challenge);
            }
            // Nothing changed: the secret still works, the grant is still there, no other grant was made.
            KeycloakApi.clientCredentialsToken(realm, creds.path("clientId").asText(), creds.path("clientSecret").asText()).expect(200);
            JsonNode grants = Http.keycloak().get(me("/grants"), api).expect(200).data();
            assertEquals(List.of("app/order/created"), Ensync.names(grants, "topic"), env);
            assertEquals(List.of("approved"), Ensync.names(grants, "status"), env);
        }
    }

    @Test
    void eachTokenCarriesOnlyWhatItIsFor() {
        Map<String, JsonNode> p = partner();
        JsonNode dev = p.get("dev");
        JsonNode broker = Ensync.claims(Ensync.brokerToken(realm, dev));
        assertEquals("ensync-broker-dev", broker.path("aud").asText(), broker.toString());
        assertEquals(dev.path("clientId").asText(), broker.path("azp").asText());
        List<String> brokerScopes = List.of(broker.path("scope").asText().split(" "));
        assertFalse(brokerScopes.contains("profile") || brokerScopes.contains("email") || brokerScopes.contains(Ensync.PARTNER_API_SCOPE),
                broker.toString());
        assertTrue(broker.path("email").isMissingNode() && broker.path("preferred_username").isMissingNode(), broker.toString());
        assertTrue(broker.path("ensync").isObject());

        // The partner-API token is for the partner API only: no broker audience, no grants.
        JsonNode api = Ensync.claims(Ensync.partnerApiToken(realm, dev));
        assertEquals("ensync-partner-api", api.path("aud").asText(), api.toString());
        assertTrue(List.of(api.path("scope").asText().split(" ")).contains(Ensync.PARTNER_API_SCOPE));
        assertTrue(api.path("ensync").isMissingNode(), api.toString());

        // The client's scopes are exactly basic and Keycloak's service_account (default), ensync-partner-api (optional).
        String uuid = KeycloakApi.clientUuid(realm, dev.path("clientId").asText());
        assertEquals(java.util.Set.of("basic", "service_account"), java.util.Set.copyOf(Ensync.names(Http.keycloak().get("/admin/realms/" + realm + "/clients/" + uuid
                + "/default-client-scopes", KeycloakApi.adminToken()).expect(200).json(), "name")));
        assertEquals(List.of(Ensync.PARTNER_API_SCOPE), Ensync.names(Http.keycloak().get("/admin/realms/" + realm + "/clients/" + uuid
                + "/optional-client-scopes", KeycloakApi.adminToken()).expect(200).json(), "name"));
        // A scope the client does not have is refused by Keycloak itself.
        assertEquals(400, KeycloakApi.clientCredentialsToken(realm, dev.path("clientId").asText(), dev.path("clientSecret").asText(),
                "profile").status());
    }

    @Test
    void handEditsOfThePartnerClientNeverWidenItsClaim() {
        Map<String, JsonNode> victim = partner();
        Map<String, JsonNode> other = partner();
        JsonNode dev = victim.get("dev");
        String api = Ensync.partnerApiToken(realm, dev);
        Http.keycloak().postJson(me("/grants"), api, Map.of("topic", "app/order/created", "scopes", List.of("receive"))).expect(201);
        Http.keycloak().postJson(me("/grants"), Ensync.partnerApiToken(realm, other.get("dev")),
                Map.of("topic", "app/order/*", "scopes", List.of("send", "receive"))).expect(201);
        JsonNode before = Ensync.claims(Ensync.brokerToken(realm, dev)).path("ensync");
        assertEquals(List.of("app/order/created"), Ensync.strings(before.path("receive")));
        String partnerId = before.path("partner").asText();
        assertEquals(dev.path("clientId").asText(), "ensync-" + partnerId + "-dev", "the claim's partner is the partner's id");

        String clients = "/admin/realms/" + realm + "/clients/";
        String uuid = KeycloakApi.clientUuid(realm, dev.path("clientId").asText());
        String otherUuid = KeycloakApi.clientUuid(realm, other.get("dev").path("clientId").asText());
        String otherSealed = Http.keycloak().get(clients + otherUuid, KeycloakApi.adminToken()).expect(200).json()
                .path("attributes").path("ensync.claim").asText();
        List<String> forgeries = List.of(
                "{\"send\":[\"*\"],\"receive\":[\"*\"]}",
                "v1.AAAA.{\"partner\":\"" + partnerId + "\",\"env\":\"prod\",\"send\":[\"*\"],\"receive\":[\"*\"]}",
                otherSealed); // a value sealed for another client does not move
        for (String forged : forgeries) {
            ObjectNode rep = (ObjectNode) Http.keycloak().get(clients + uuid, KeycloakApi.adminToken()).expect(200).json();
            ObjectNode attributes = (ObjectNode) rep.path("attributes");
            attributes.put("ensync.claim", forged);
            attributes.put("ensync.partner", other.get("dev").path("clientId").asText().replaceAll("^ensync-|-dev$", ""));
            attributes.put("ensync.environment", "prod");
            Http.keycloak().putJson(clients + uuid, KeycloakApi.adminToken(), rep).expect(204);
            JsonNode after = Ensync.claims(Ensync.brokerToken(realm, dev));
            assertEquals(before, after.path("ensync"), "claim after writing " + forged);
            assertEquals("ensync-broker-dev", after.path("aud").asText());
        }

        // A mapper added by hand cannot put its own claim or the partner-API audience into the default token.
        Http.keycloak().postJson(clients + uuid + "/protocol-mappers/models", KeycloakApi.adminToken(), Map.of(
                "name", "forged ensync", "protocol", "openid-connect", "protocolMapper", "oidc-hardcoded-claim-mapper",
                "config", Map.of("claim.name", "ensync", "claim.value", "{\"send\":[\"*\"]}", "jsonType.label", "JSON",
                        "access.token.claim", "true"))).expect(201);
        Http.keycloak().postJson(clients + uuid + "/protocol-mappers/models", KeycloakApi.adminToken(), Map.of(
                "name", "forged audience", "protocol", "openid-connect", "protocolMapper", "oidc-audience-mapper",
                "config", Map.of("included.custom.audience", "ensync-partner-api", "access.token.claim", "true"))).expect(201);
        String forgedToken = Ensync.brokerToken(realm, dev);
        assertEquals(before, Ensync.claims(forgedToken).path("ensync"));
        assertError(Http.keycloak().get(me(""), forgedToken), 403, "insufficient_scope", null);
    }

    @Test
    void aSealedClaimOfThePastPutBackByHandDoesNotReturnARevokedGrant() {
        JsonNode dev = partner().get("dev");
        String api = Ensync.partnerApiToken(realm, dev);
        String grant = Http.keycloak().postJson(me("/grants"), api, Map.of("topic", "app/order/created", "scopes", List.of("receive")))
                .expect(201).data().path("id").asText();
        assertEquals(List.of("app/order/created"), Ensync.strings(Ensync.claims(Ensync.brokerToken(realm, dev)).path("ensync").path("receive")));
        String client = "/admin/realms/" + realm + "/clients/" + KeycloakApi.clientUuid(realm, dev.path("clientId").asText());
        // What an admin of this one client saw (and may keep) while the grant was approved.
        ObjectNode saved = (ObjectNode) Http.keycloak().get(client, KeycloakApi.adminToken()).expect(200).json();
        String sealedWithGrant = saved.path("attributes").path("ensync.claim").asText();

        Http.keycloak().delete(Ensync.adminBase(realm) + "/grants/" + grant, KeycloakApi.adminToken()).expect(200);
        assertEquals(List.of(), Ensync.strings(Ensync.claims(Ensync.brokerToken(realm, dev)).path("ensync").path("receive")));

        // The saved representation put back: Keycloak takes it (204), the next token still has no revoked grant,
        // and the client holds a value sealed anew from the grant table.
        Http.keycloak().putJson(client, KeycloakApi.adminToken(), saved).expect(204);
        assertEquals(List.of(), Ensync.strings(Ensync.claims(Ensync.brokerToken(realm, dev)).path("ensync").path("receive")));
        String stored = Http.keycloak().get(client, KeycloakApi.adminToken()).expect(200).json().path("attributes").path("ensync.claim").asText();
        assertNotEquals(sealedWithGrant, stored);
        assertTrue(stored.startsWith("v1."), stored);
    }

    @Test
    void aTokenReadsTheHistoryOfItsOwnEnvironmentOnly() {
        Map<String, JsonNode> p = partner();
        String stage = Ensync.partnerApiToken(realm, p.get("stage"));
        SecretLedger.record(Http.keycloak().postJson(me("/secret"), stage, Map.of("revokePrevious", true))
                .expect(200).data().path("clientSecret").asText());
        Http.keycloak().postJson(me("/grants"), stage, Map.of("topic", "app/order/created", "scopes", List.of("send"))).expect(201);
        Http.keycloak().postJson(me("/promotion"), stage, Map.of()).expect(201);

        String partnerRoot = "ensync/partners/" + p.get("dev").path("clientId").asText().replaceAll("^ensync-|-dev$", "");
        JsonNode devHistory = Http.keycloak().get(me("/history?max=100"), Ensync.partnerApiToken(realm, p.get("dev"))).expect(200).data();
        List<String> devPaths = Ensync.names(devHistory, "resourcePath");
        assertTrue(devPaths.contains(partnerRoot), "partner-wide events show: " + devPaths);
        assertTrue(devPaths.contains(partnerRoot + "/environments/dev/secret"), devPaths.toString());
        for (String path : devPaths) {
            assertFalse(path.contains("/environments/stage") || path.contains("/environments/prod"), "dev reads " + path);
        }
        List<String> stagePaths = Ensync.names(Http.keycloak().get(me("/history?max=100"), stage).expect(200).data(), "resourcePath");
        assertTrue(stagePaths.stream().anyMatch(path -> path.startsWith(partnerRoot + "/environments/stage/grants/")), stagePaths.toString());
        assertTrue(stagePaths.stream().anyMatch(path -> path.startsWith(partnerRoot + "/environments/stage/promotions/")), stagePaths.toString());
        assertFalse(stagePaths.stream().anyMatch(path -> path.contains("/environments/dev")), stagePaths.toString());
        // Paging counts what the caller may read: the last page holds the last visible entries, nothing of stage.
        int visible = devHistory.size();
        JsonNode last = Http.keycloak().get(me("/history?first=" + (visible - 1) + "&max=10"),
                Ensync.partnerApiToken(realm, p.get("dev"))).expect(200).data();
        assertEquals(1, last.size(), last.toString());
    }

    @Test
    void theGracePeriodAnsweredIsTheOneTheTokenEndpointKeeps() throws InterruptedException {
        JsonNode dev = partner().get("dev");
        String clientId = dev.path("clientId").asText();
        String oldSecret = dev.path("clientSecret").asText();
        JsonNode rotated = Http.keycloak().postJson(me("/secret"), Ensync.partnerApiToken(realm, dev), Map.of("revokePrevious", false))
                .expect(200).data();
        SecretLedger.record(rotated.path("clientSecret").asText());
        Instant validUntil = Instant.parse(rotated.path("previousSecretValidUntil").asText());
        // Until then the previous secret works (the answer is in whole seconds, so up to the second before it).
        KeycloakApi.clientCredentialsToken(realm, clientId, oldSecret).expect(200);
        assertTrue(Instant.now().isBefore(validUntil), "a grace period in the future: " + validUntil);
        // Then it stops: poll for the condition, within a bound.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (KeycloakApi.clientCredentialsToken(realm, clientId, oldSecret).status() == 200) {
            assertTrue(Instant.now().isBefore(deadline), "the previous secret still works 30 s after " + validUntil);
            Thread.sleep(100);
        }
        Instant refused = Instant.now();
        assertFalse(refused.isBefore(validUntil.minusSeconds(1)), "refused at " + refused + ", before " + validUntil);
        KeycloakApi.clientCredentialsToken(realm, clientId, rotated.path("clientSecret").asText()).expect(200);
    }

    private static void promoteToProd(Map<String, JsonNode> p) {
        for (String from : List.of("dev", "stage")) {
            String id = Http.keycloak().postJson(me("/promotion"), Ensync.partnerApiToken(realm, p.get(from)), Map.of())
                    .expect(201).data().path("id").asText();
            Http.keycloak().postJson(Ensync.adminBase(realm) + "/promotions/" + id + "/approve", KeycloakApi.adminToken(), Map.of())
                    .expect(200);
        }
    }
}
