package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.Invariants;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.ensync.keycloak.it.support.Ensync.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The upgrade path: Keycloak starts with the first release's jar (0.1.0, src/test/upgrade, bin/build-upgrade-fixture.sh;
 * the Liquibase changesets ensync-0.1.0-*), data is made through its APIs, then the jar under test replaces it on the
 * same database and every integration, key, partner, link and grant made before still works. Its own failsafe
 * execution (it-upgrade, pom.xml): the run's first jar is the old one.
 */
@ExtendWith(KeycloakExtension.class)
class UpgradeIT {

    private final Http http = Http.keycloak();

    @Test
    void dataOfTheFirstReleaseWorksAfterTheUpgrade(KeycloakServer server) throws IOException {
        // Only its own execution starts on the old jar (-Dit.test=… puts every named class into every execution).
        assumeTrue(System.getProperty("ensync.it.upgradeJar") != null, "runs in the it-upgrade-h2 execution");
        assertTrue(System.getProperty("ensync.it.providerJar").endsWith("-0.1.0.jar"), "the run starts on the 0.1.0 jar");
        Path current = Path.of(System.getProperty("ensync.it.upgradeJar"));

        // With 0.1.0: an integration with a topic catalog, a second key, a redeemed partner with a grant, a pending link.
        String realm = KeycloakApi.createRealm();
        JsonNode integration = Ensync.createIntegration(realm, Map.of("name", "Before the upgrade", "topics", List.of(
                Map.of("pattern", "app/order/*", "send", true, "receive", true, "autoApprove", List.of("dev")))));
        String integrationId = integration.path("id").asText();
        String key = integration.path("key").asText();
        JsonNode secondKey = http.postJson(Ensync.adminBase(realm) + "/integrations/" + integrationId + "/keys",
                KeycloakApi.adminToken(), Map.of()).expect(201).data();
        JsonNode redeemed = Ensync.createPartner(realm, key);
        Map<String, JsonNode> credentials = Ensync.redeemOk(realm, redeemed.path("url").asText());
        JsonNode grant = http.postJson(Ensync.partnerApiBase(realm) + "/me/grants", token(realm, credentials.get("dev")),
                Map.of("topic", "app/order/created", "scopes", List.of("send"))).expect(201).data();
        assertEquals("approved", grant.path("status").asText(), grant.toString());
        JsonNode pending = Ensync.createPartner(realm, secondKey.path("key").asText());
        // What an integration's deletion leaves behind in 0.1.0 (its partners' grants, with nothing to refer to) must
        // not stop the foreign keys of 0.4.0 from being added.
        JsonNode deleted = Ensync.createIntegration(realm, Map.of("name", "Deleted before the upgrade", "topics", List.of(
                Map.of("pattern", "app/order/*", "send", true, "receive", true, "autoApprove", List.of("dev")))));
        Map<String, JsonNode> deletedCredentials = Ensync.redeemOk(realm,
                Ensync.createPartner(realm, deleted.path("key").asText()).path("url").asText());
        http.postJson(Ensync.partnerApiBase(realm) + "/me/grants", token(realm, deletedCredentials.get("dev")),
                Map.of("topic", "app/order/created", "scopes", List.of("send"))).expect(201);
        Ensync.createPartner(realm, deleted.path("key").asText());
        http.delete(Ensync.adminBase(realm) + "/integrations/" + deleted.path("id").asText(), KeycloakApi.adminToken()).expect(200);
        int eventsBefore = KeycloakApi.adminEvents(realm).size();

        server.upgradeProvider(current);

        // The jar under test runs (its start-up line) on the migrated schema.
        String log = Files.readString(server.logFile(), StandardCharsets.UTF_8);
        assertTrue(log.contains("EnSync Partner Onboarding "), "the current jar's start-up line in " + server.logFile());

        // Both keys still authenticate; the partners are as they were.
        JsonNode partner = http.get(Ensync.externalBase(realm) + "/partner/" + redeemed.path("id").asText(), key)
                .expect(200).data();
        assertEquals("active", partner.path("status").asText(), partner.toString());
        http.get(Ensync.externalBase(realm) + "/partner/" + pending.path("id").asText(), secondKey.path("key").asText())
                .expect(200);
        Ensync.createPartner(realm, secondKey.path("key").asText());
        assertEquals(2, http.get(Ensync.adminBase(realm) + "/integrations/" + integrationId + "/keys", KeycloakApi.adminToken())
                .expect(200).data().size());

        // The redeemed partner's credentials, its grant in the token and in its partner API; its link stays used.
        // (0.1.0 had one token for both; now the partner API takes only one asked for with scope=ensync-partner-api,
        // which clients made before get at start-up.)
        String token = token(realm, credentials.get("dev"));
        JsonNode claim = claims(token).path("ensync");
        assertEquals(List.of("app/order/created"), strings(claim.path("send")), claim.toString());
        String api = Ensync.partnerApiToken(realm, credentials.get("dev"));
        JsonNode grants = http.get(Ensync.partnerApiBase(realm) + "/me/grants", api).expect(200).data();
        assertEquals(1, grants.size(), grants.toString());
        assertEquals(grant.path("id").asText(), grants.get(0).path("id").asText());
        assertError(Ensync.redeem(realm, Ensync.linkIdOf(redeemed.path("url").asText())), 410, "link_used", null);
        token(realm, credentials.get("stage"));
        // prod still waits for a promotion, as it did before.
        KeycloakApi.clientCredentialsToken(realm, credentials.get("prod").path("clientId").asText(),
                credentials.get("prod").path("clientSecret").asText()).expect(401);

        // A grant made after the upgrade joins the one from before in the next token.
        http.postJson(Ensync.partnerApiBase(realm) + "/me/grants", api,
                Map.of("topic", "app/order/paid", "scopes", List.of("send"))).expect(201);
        assertEquals(List.of("app/order/created", "app/order/paid"),
                strings(claims(token(realm, credentials.get("dev"))).path("ensync").path("send")).stream().sorted().toList());
        // The standard UMA answer, now from the topic permissions that replaced 0.1.0's permission per grant (the
        // invariants below check that none of those is left).
        JsonNode uma = http.request("POST", KeycloakApi.tokenPath(realm)).bearer(token(realm, credentials.get("dev"))).form(Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:uma-ticket", "audience", "ensync-broker-dev",
                "response_mode", "permissions")).send().expect(200).json();
        assertEquals(List.of("app/order/created", "app/order/paid"), Ensync.names(uma, "rsname").stream().sorted().toList(), uma.toString());

        // The link made with 0.1.0 redeems now, and its credentials work.
        Map<String, JsonNode> late = Ensync.redeemOk(realm, pending.path("url").asText());
        token(realm, late.get("stage"));

        // The audit trail from before is still there, and grows.
        assertTrue(KeycloakApi.adminEvents(realm).size() > eventsBefore, "admin events kept and recorded after the upgrade");
        Invariants.check(realm);
    }

    private static String token(String realm, JsonNode env) {
        return KeycloakApi.clientCredentialsToken(realm, env.path("clientId").asText(), env.path("clientSecret").asText())
                .expect(200).json().path("access_token").asText();
    }

    private static JsonNode claims(String token) throws IOException {
        return Http.JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
