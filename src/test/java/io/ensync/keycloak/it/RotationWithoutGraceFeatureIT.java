package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import io.ensync.keycloak.it.support.Portal;
import io.ensync.keycloak.it.support.SecretLedger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static io.ensync.keycloak.it.support.Ensync.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stock Keycloak (preview feature client-secret-rotation off) cannot keep a rotated secret working: a rotation that
 * keeps the old secret is refused with 409 and changes nothing; an immediate one works and says so; the portal offers
 * no grace it cannot give. The server is restarted without the feature for this class and with it again afterwards.
 */
@ExtendWith(KeycloakExtension.class)
class RotationWithoutGraceFeatureIT {

    private static String realm;
    private static String key;

    @BeforeAll
    static void withoutTheFeature() {
        KeycloakServer.get().restartWithSecretRotation(false);
        realm = KeycloakApi.createRealm();
        key = Ensync.createIntegration(realm, Map.of("name", "stock", "secretPolicy", Map.of("rotationGraceSeconds", 3600)))
                .path("key").asText();
    }

    @AfterAll
    static void withTheFeatureAgain() {
        KeycloakServer.get().restartWithSecretRotation(true);
    }

    @Test
    void aRotationThatKeepsTheOldSecretIsRefusedAndAnImmediateOneHolds() {
        JsonNode dev = Ensync.redeemOk(realm, Ensync.createPartner(realm, key).path("url").asText()).get("dev");
        String clientId = dev.path("clientId").asText();
        String oldSecret = dev.path("clientSecret").asText();
        String api = Ensync.partnerApiToken(realm, dev);
        String secret = Ensync.partnerApiBase(realm) + "/me/secret";

        assertError(Http.keycloak().postJson(secret, api, Map.of("revokePrevious", false)), 409, "rotation_grace_unavailable", null);
        assertError(Http.keycloak().postJson(secret, api, Map.of()), 409, "rotation_grace_unavailable", null);
        KeycloakApi.clientCredentialsToken(realm, clientId, oldSecret).expect(200);

        JsonNode rotated = Http.keycloak().postJson(secret, api, Map.of("revokePrevious", true)).expect(200).data();
        String newSecret = SecretLedger.record(rotated.path("clientSecret").asText());
        assertTrue(rotated.path("previousSecretValidUntil").isMissingNode(), "no grace period is answered");
        assertEquals(401, KeycloakApi.clientCredentialsToken(realm, clientId, oldSecret).status());
        KeycloakApi.clientCredentialsToken(realm, clientId, newSecret).expect(200);
        JsonNode me = Http.keycloak().get(Ensync.partnerApiBase(realm) + "/me", Ensync.partnerApiToken(realm,
                Http.JSON.valueToTree(Map.of("clientId", clientId, "clientSecret", newSecret)))).expect(200).data();
        assertTrue(me.path("environments").get(0).path("previousSecretValidUntil").isMissingNode(), me.toString());
    }

    @Test
    void thePortalOffersNoGraceItCannotGive() {
        String url = Ensync.createPartner(realm, key).path("url").asText();
        Portal browser = new Portal(realm);
        Map<String, String> secrets = browser.onboard(url);
        Http.Response page = browser.get("/environments").expect(200);
        assertTrue(page.body().contains("data-testid=\"no-grace-dev\""), "the form says so");
        assertTrue(!page.body().contains("data-testid=\"revoke-dev\""), "and offers no choice");
        assertTrue(page.body().contains("<input type=\"hidden\" name=\"revokePrevious\" value=\"true\">"), "it always revokes");
        Http.Response rotated = browser.post("/environments/dev/secret",
                Map.of("csrf", Portal.csrf(page), "revokePrevious", "true")).expect(200);
        assertTrue(rotated.body().contains("data-testid=\"rotated\""), rotated.body());
        String clientId = Portal.text(page, "client-id-dev");
        assertEquals(401, KeycloakApi.clientCredentialsToken(realm, clientId, secrets.get("dev")).status(), "revoked at once");
    }
}
