package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.SecretLedger;
import io.ensync.keycloak.it.support.Invariants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.ensync.keycloak.it.support.Ensync.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The partner API with the partner's own client-credentials token (SPEC §7): itself, secrets, history. */
@ExtendWith(KeycloakExtension.class)
class PartnerApiIT {

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
        key = Ensync.createIntegration(realm, Map.of("name", "api", "secretPolicy", Map.of("maxAgeDays", Map.of("dev", 3)))).path("key").asText();
    }

    private static String token(JsonNode env) {
        return Ensync.partnerApiToken(realm, env);
    }

    private static Http.Response me(String token) {
        return Http.keycloak().get(Ensync.partnerApiBase(realm) + "/me", token);
    }

    @Test
    void aDevTokenSeesItsOwnEnvironmentOnly() {
        JsonNode partner = Ensync.createPartner(realm, key);
        Map<String, JsonNode> creds = Ensync.redeemOk(realm, partner.path("url").asText());
        JsonNode me = me(token(creds.get("dev"))).expect(200).data();
        assertEquals(partner.path("id").asText(), me.path("id").asText());
        assertEquals(List.of("dev"), Ensync.names(me.path("environments"), "name"));
        JsonNode dev = me.path("environments").get(0);
        assertEquals(creds.get("dev").path("clientId").asText(), dev.path("clientId").asText());
        assertFalse(dev.path("secretCreatedAt").asText().isEmpty());
        assertFalse(dev.path("secretExpiresAt").asText().isEmpty(), "the policy's max age (3 days) sets an expiry");
        assertTrue(dev.path("secretExpiresSoon").asBoolean(), "3 days is inside the 7-day warning");
        assertFalse(me.toString().contains(creds.get("dev").path("clientSecret").asText()));
    }

    /**
     * The policy's maximum age becomes Keycloak's own secret expiration ({@code client.secret.expiration.time}), which
     * Keycloak's client authenticator enforces; Keycloak's admin API cannot move it, so the test reads it back.
     */
    @Test
    void theSecretPolicySetsKeycloaksSecretExpiration() {
        Map<String, JsonNode> creds = Ensync.redeemOk(realm, Ensync.createPartner(realm, key).path("url").asText());
        long now = Instant.now().getEpochSecond();
        long devExpiry = secretExpiry(creds.get("dev"));
        assertTrue(Math.abs(devExpiry - (now + 3 * 86400)) < 120, "dev: maxAgeDays 3, got " + devExpiry);
        assertEquals(0, secretExpiry(creds.get("stage")), "stage has no maximum age in this policy");

        JsonNode rotated = Http.keycloak().postJson(Ensync.partnerApiBase(realm) + "/me/secret", token(creds.get("dev")),
                Map.of("revokePrevious", true)).expect(200).data();
        SecretLedger.record(rotated.path("clientSecret").asText());
        assertEquals(Instant.ofEpochSecond(secretExpiry(creds.get("dev"))).toString(), rotated.path("secretExpiresAt").asText(),
                "a rotation starts the maximum age again");
    }

    private static long secretExpiry(JsonNode env) {
        String uuid = KeycloakApi.clientUuid(realm, env.path("clientId").asText());
        return Http.keycloak().get("/admin/realms/" + realm + "/clients/" + uuid, KeycloakApi.adminToken()).expect(200)
                .json().path("attributes").path("client.secret.expiration.time").asLong(0);
    }

    @Test
    void rotationKeepsThePreviousSecretForTheGracePeriod() {
        Map<String, JsonNode> creds = Ensync.redeemOk(realm, Ensync.createPartner(realm, key).path("url").asText());
        JsonNode dev = creds.get("dev");
        String oldSecret = dev.path("clientSecret").asText();

        JsonNode rotated = Http.keycloak().postJson(Ensync.partnerApiBase(realm) + "/me/secret", token(dev),
                Map.of("revokePrevious", false)).expect(200).data();
        String newSecret = SecretLedger.record(rotated.path("clientSecret").asText());
        assertNotEquals(oldSecret, newSecret);
        assertEquals("dev", rotated.path("environment").asText());
        assertFalse(rotated.path("previousSecretValidUntil").isNull());

        String clientId = dev.path("clientId").asText();
        KeycloakApi.clientCredentialsToken(realm, clientId, newSecret).expect(200);
        KeycloakApi.clientCredentialsToken(realm, clientId, oldSecret).expect(200);

        // Rotating again with an immediate revoke: only the newest secret works.
        JsonNode revoked = Http.keycloak().postJson(Ensync.partnerApiBase(realm) + "/me/secret",
                KeycloakApi.clientCredentialsToken(realm, clientId, newSecret, Ensync.PARTNER_API_SCOPE).json().path("access_token").asText(),
                Map.of("revokePrevious", true)).expect(200).data();
        String newest = SecretLedger.record(revoked.path("clientSecret").asText());
        assertTrue(revoked.path("previousSecretValidUntil").isMissingNode() || revoked.path("previousSecretValidUntil").isNull());
        KeycloakApi.clientCredentialsToken(realm, clientId, newest).expect(200);
        assertEquals(401, KeycloakApi.clientCredentialsToken(realm, clientId, newSecret).status());
        assertEquals(401, KeycloakApi.clientCredentialsToken(realm, clientId, oldSecret).status());

        // The stage secret was never touched: a dev token acts on dev only.
        KeycloakApi.clientCredentialsToken(realm, creds.get("stage").path("clientId").asText(),
                creds.get("stage").path("clientSecret").asText()).expect(200);
    }

    @Test
    void historyListsThePartnersOwnActionsNewestFirst() {
        Map<String, JsonNode> creds = Ensync.redeemOk(realm, Ensync.createPartner(realm, key).path("url").asText());
        String token = token(creds.get("stage"));
        SecretLedger.record(Http.keycloak().postJson(Ensync.partnerApiBase(realm) + "/me/secret", token, Map.of())
                .expect(200).data().path("clientSecret").asText());
        Http.Response history = Http.keycloak().get(Ensync.partnerApiBase(realm) + "/me/history?max=50", token).expect(200);
        JsonNode first = history.data().get(0);
        assertEquals("ENSYNC_SECRET", first.path("resourceType").asText());
        assertEquals("UPDATE", first.path("operation").asText());
        assertEquals("partner", first.path("principal").asText());
        List<String> types = Ensync.names(history.data(), "resourceType");
        assertTrue(types.contains("ENSYNC_PARTNER") && types.contains("ENSYNC_LINK"), types.toString());
        for (JsonNode env : creds.values()) {
            assertFalse(history.body().contains(env.path("clientSecret").asText()), "no secret in history");
        }
    }

    @Test
    void refusesWhatIsNotAValidTokenOfAPartnerClient() {
        Map<String, JsonNode> creds = Ensync.redeemOk(realm, Ensync.createPartner(realm, key).path("url").asText());
        String devToken = token(creds.get("dev"));

        assertError(me(null), 401, "invalid_token", null);
        assertError(me("not-a-token"), 401, "invalid_token", null);
        assertTrue(me(null).header("WWW-Authenticate").orElse("").startsWith("Bearer"));
        // Not "Bearer <token>" at all: still the API's envelope, not the framework's.
        // An unsigned JWT (alg "none"): Keycloak 26.4 met it with a NullPointerException (found by FuzzIT on 26.4.7).
        for (String header : List.of("Basic YWJjOmRlZg==", "Bearer", "Bearer  two  spaces", "Token abc",
                "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")) {
            assertError(Http.keycloak().request("GET", Ensync.partnerApiBase(realm) + "/me").header("Authorization", header).send(),
                    401, "invalid_token", null);
        }

        // A token of realm A is nothing in realm B.
        String otherRealm = KeycloakApi.createRealm();
        assertEquals(401, Http.keycloak().get(Ensync.partnerApiBase(otherRealm) + "/me", devToken).status());

        // A client of the realm that is not a partner's.
        Http.keycloak().postJson("/admin/realms/" + realm + "/clients", KeycloakApi.adminToken(), Map.of(
                "clientId", "plain-service", "secret", "plain-service-secret-0123456789", "serviceAccountsEnabled", true,
                "standardFlowEnabled", false, "publicClient", false)).expect(201);
        String plain = KeycloakApi.clientCredentialsToken(realm, "plain-service", "plain-service-secret-0123456789")
                .expect(200).json().path("access_token").asText();
        assertError(me(plain), 403, "insufficient_scope", null);
        // Even with the partner-API scope (an admin gave it to the client), it is no partner's.
        String scopeId = KeycloakApi.clientScopeId(realm, Ensync.PARTNER_API_SCOPE);
        Http.keycloak().putJson("/admin/realms/" + realm + "/clients/" + KeycloakApi.clientUuid(realm, "plain-service")
                + "/optional-client-scopes/" + scopeId, KeycloakApi.adminToken(), Map.of()).expect(204);
        String plainApi = KeycloakApi.clientCredentialsToken(realm, "plain-service", "plain-service-secret-0123456789",
                Ensync.PARTNER_API_SCOPE).expect(200).json().path("access_token").asText();
        assertError(me(plainApi), 403, "not_a_partner", null);

        // A suspended partner, then a disabled client.
        String partnerId = payloadField(devToken, "azp").replace("ensync-", "").replace("-dev", "");
        Http.keycloak().postJson(Ensync.adminBase(realm) + "/partners/" + partnerId + "/suspend", KeycloakApi.adminToken(), Map.of()).expect(200);
        assertEquals(401, me(devToken).status(), "a disabled client's token is refused");
        Http.keycloak().postJson(Ensync.adminBase(realm) + "/partners/" + partnerId + "/resume", KeycloakApi.adminToken(), Map.of()).expect(200);
        me(token(creds.get("dev"))).expect(200);
    }

    @Test
    void anExpiredTokenIsRefused() throws InterruptedException {
        String shortRealm = KeycloakApi.createRealm();
        Http.keycloak().putJson("/admin/realms/" + shortRealm, KeycloakApi.adminToken(), Map.of("accessTokenLifespan", 2)).expect(204);
        String shortKey = Ensync.createIntegration(shortRealm).path("key").asText();
        Map<String, JsonNode> creds = Ensync.redeemOk(shortRealm, Ensync.createPartner(shortRealm, shortKey).path("url").asText());
        String token = Ensync.partnerApiToken(shortRealm, creds.get("dev"));
        Http.keycloak().get(Ensync.partnerApiBase(shortRealm) + "/me", token).expect(200);
        Instant expiry = Instant.ofEpochSecond(Long.parseLong(payloadField(token, "exp")));
        // Wait for the condition: the token's own exp claim in the past on the clock the server shares.
        while (!Instant.now().isAfter(expiry.plusSeconds(1))) {
            Thread.sleep(100);
        }
        assertEquals(401, Http.keycloak().get(Ensync.partnerApiBase(shortRealm) + "/me", token).status());
    }

    private static String payloadField(String jwt, String field) {
        try {
            JsonNode payload = Http.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
            return payload.path(field).asText();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
