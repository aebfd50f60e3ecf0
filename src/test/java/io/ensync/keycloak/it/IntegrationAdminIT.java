package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import io.ensync.keycloak.it.support.Names;
import io.ensync.keycloak.it.support.SecretLedger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.ensync.keycloak.it.support.Ensync.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Integrations and Integration Keys through the admin API (SPEC §4), with Keycloak's admin permissions. */
@ExtendWith(KeycloakExtension.class)
class IntegrationAdminIT {

    private static String realm;
    private static String viewerToken;
    private static String plainUserToken;

    @BeforeAll
    static void setUp() {
        realm = KeycloakApi.createRealm();
        KeycloakApi.createUserWithClientRoles(realm, "viewer", "viewer-pass", "view-clients");
        KeycloakApi.createUserWithClientRoles(realm, "nobody", "nobody-pass");
        viewerToken = KeycloakApi.passwordToken(realm, "viewer", "viewer-pass");
        plainUserToken = KeycloakApi.passwordToken(realm, "nobody", "nobody-pass");
    }

    private static String integrations() {
        return Ensync.adminBase(realm) + "/integrations";
    }

    @Test
    void createsWithDefaultsAndShowsTheKeyOnce() {
        JsonNode created = Ensync.createIntegration(realm, Map.of("name", "Defaults"));
        String key = created.path("key").asText();
        assertTrue(key.startsWith("ensync_ik_"), key);
        assertTrue(key.length() >= 50, "at least 256 bits after the prefix");
        assertEquals(List.of("dev", "stage", "prod"), List.of(created.path("environments").get(0).asText(),
                created.path("environments").get(1).asText(), created.path("environments").get(2).asText()));
        assertEquals(86400, created.path("linkTtlSeconds").asInt());
        assertTrue(created.path("enabled").asBoolean());
        assertEquals(86400, created.path("secretPolicy").path("rotationGraceSeconds").asInt());

        String id = created.path("id").asText();
        Http.Response read = Http.keycloak().get(integrations() + "/" + id, KeycloakApi.adminToken()).expect(200);
        assertTrue(read.data().path("key").isMissingNode());
        assertFalse(read.body().contains(key));
        Http.Response keys = Http.keycloak().get(integrations() + "/" + id + "/keys", KeycloakApi.adminToken()).expect(200);
        assertEquals(1, keys.data().size());
        assertFalse(keys.body().contains(key));
        assertTrue(key.startsWith(keys.data().get(0).path("prefix").asText()));
        assertTrue(keys.data().get(0).path("lastUsedAt").isMissingNode() || keys.data().get(0).path("lastUsedAt").isNull());
        Http.Response list = Http.keycloak().get(integrations(), KeycloakApi.adminToken()).expect(200);
        assertTrue(Ensync.names(list.data(), "id").contains(id));
        assertFalse(list.body().contains(key));
    }

    @Test
    void keepsEverySetting() {
        Map<String, Object> body = Map.of(
                "name", "Orders",
                "description", "Order events",
                "environments", List.of("dev", "prod"),
                "linkTtlSeconds", 3600,
                "allowedEmbedOrigins", List.of("https://app.example.com", "http://localhost:3000"),
                "topics", List.of(Map.of("pattern", "app/order/*", "send", true, "receive", true, "autoApprove", List.of("dev")),
                        Map.of("pattern", "app/device/alert", "receive", true)),
                "secretPolicy", Map.of("maxAgeDays", Map.of("prod", 90), "rotationGraceSeconds", 600),
                "enabled", true);
        JsonNode created = Ensync.createIntegration(realm, body);
        JsonNode read = Http.keycloak().get(integrations() + "/" + created.path("id").asText(), KeycloakApi.adminToken()).expect(200).data();
        assertEquals("Order events", read.path("description").asText());
        assertEquals(2, read.path("environments").size());
        assertEquals(3600, read.path("linkTtlSeconds").asInt());
        assertEquals("http://localhost:3000", read.path("allowedEmbedOrigins").get(1).asText());
        assertEquals("app/order/*", read.path("topics").get(0).path("pattern").asText());
        assertEquals("dev", read.path("topics").get(0).path("autoApprove").get(0).asText());
        assertFalse(read.path("topics").get(1).path("send").asBoolean());
        assertEquals(90, read.path("secretPolicy").path("maxAgeDays").path("prod").asInt());
        assertEquals(600, read.path("secretPolicy").path("rotationGraceSeconds").asInt());

        JsonNode updated = Http.keycloak().putJson(integrations() + "/" + created.path("id").asText(), KeycloakApi.adminToken(),
                Map.of("description", "Changed", "topics", List.of(Map.of("pattern", "*", "send", true)))).expect(200).data();
        assertEquals("Changed", updated.path("description").asText());
        assertEquals("Orders", updated.path("name").asText(), "fields left out keep their value");
        assertEquals(1, updated.path("topics").size());
        assertEquals(3600, updated.path("linkTtlSeconds").asInt());
    }

    @Test
    void rejectsBadSettingsAndChangesNothing() {
        String token = KeycloakApi.adminToken();
        int before = Http.keycloak().get(integrations() + "?max=500", token).expect(200).data().size();
        assertError(Http.keycloak().postJson(integrations(), token, Map.of()), 400, "missing_field", "name");
        assertError(Http.keycloak().postJson(integrations(), token, Map.of("name", "x", "colour", "red")), 400, "unknown_field", "colour");
        assertError(Http.keycloak().postJson(integrations(), token, Map.of("name", "x", "environments", List.of("qa"))), 400, "invalid_value", "environments[0]");
        assertError(Http.keycloak().postJson(integrations(), token, Map.of("name", "x", "environments", List.of())), 400, "invalid_value", "environments");
        assertError(Http.keycloak().postJson(integrations(), token, Map.of("name", "x", "linkTtlSeconds", 0)), 400, "invalid_value", "linkTtlSeconds");
        assertError(Http.keycloak().postJson(integrations(), token, Map.of("name", "x", "linkTtlSeconds", "60")), 400, "invalid_type", "linkTtlSeconds");
        assertError(Http.keycloak().postJson(integrations(), token, Map.of("name", "x", "allowedEmbedOrigins", List.of("https://a.example.com/path"))), 400, "invalid_value", "allowedEmbedOrigins[0]");
        assertError(Http.keycloak().postJson(integrations(), token, Map.of("name", "x", "topics", List.of(Map.of("pattern", "app//x", "send", true)))), 400, "invalid_value", "topics[0].pattern");
        assertError(Http.keycloak().postJson(integrations(), token, Map.of("name", "x", "topics", List.of(Map.of("pattern", "app/*/x", "send", true)))), 400, "invalid_value", "topics[0].pattern");
        assertError(Http.keycloak().postJson(integrations(), token, Map.of("name", "x", "topics", List.of(Map.of("pattern", "app/x")))), 400, "invalid_value", "topics[0]");
        assertError(Http.keycloak().postJson(integrations(), token, Map.of("name", "x", "environments", List.of("dev"),
                "topics", List.of(Map.of("pattern", "app/x", "send", true, "autoApprove", List.of("prod"))))), 400, "invalid_value", "topics[0].autoApprove[0]");
        assertError(Http.keycloak().postJson(integrations(), token, Map.of("name", "x", "secretPolicy", Map.of("maxAgeDays", Map.of("qa", 3)))), 400, "invalid_value", "secretPolicy.maxAgeDays.qa");
        assertEquals(before, Http.keycloak().get(integrations() + "?max=500", token).expect(200).data().size());

        JsonNode existing = Ensync.createIntegration(realm, Map.of("name", "Unique name"));
        assertError(Http.keycloak().postJson(integrations(), token, Map.of("name", "Unique name")), 409, "name_taken", null);
        assertError(Http.keycloak().putJson(integrations() + "/" + existing.path("id").asText(), token,
                Map.of("description", "ok", "linkTtlSeconds", -5)), 400, "invalid_value", "linkTtlSeconds");
        JsonNode unchanged = Http.keycloak().get(integrations() + "/" + existing.path("id").asText(), token).expect(200).data();
        assertTrue(unchanged.path("description").isMissingNode(), "a rejected update changes nothing");
        assertError(Http.keycloak().get(integrations() + "/no-such-id", token), 404, "not_found", null);
    }

    @Test
    void keysCanBeAddedListedAndRevoked() {
        JsonNode created = Ensync.createIntegration(realm);
        String id = created.path("id").asText();
        JsonNode second = Http.keycloak().postJson(integrations() + "/" + id + "/keys", KeycloakApi.adminToken(),
                Map.of("expiresInDays", 30)).expect(201).data();
        String secondKey = SecretLedger.record(second.path("key").asText());
        assertNotEquals(created.path("key").asText(), secondKey);
        assertFalse(second.path("expiresAt").isMissingNode());

        Ensync.createPartner(realm, secondKey);
        JsonNode keys = Http.keycloak().get(integrations() + "/" + id + "/keys", KeycloakApi.adminToken()).expect(200).data();
        assertEquals(2, keys.size());
        JsonNode listedSecond = keys.get(1);
        assertEquals(second.path("id").asText(), listedSecond.path("id").asText());
        assertFalse(listedSecond.path("lastUsedAt").isNull() || listedSecond.path("lastUsedAt").isMissingNode(), "last use is kept");
        assertTrue(listedSecond.path("key").isMissingNode());

        Http.keycloak().delete(integrations() + "/" + id + "/keys/" + second.path("id").asText(), KeycloakApi.adminToken()).expect(200);
        JsonNode revoked = Http.keycloak().get(integrations() + "/" + id + "/keys", KeycloakApi.adminToken()).expect(200).data().get(1);
        assertTrue(revoked.path("revoked").asBoolean());
        assertEquals(403, Http.keycloak().get(Ensync.externalBase(realm) + "/partner", secondKey).status());
        Http.keycloak().get(Ensync.externalBase(realm) + "/partner", created.path("key").asText()).expect(200);
        assertError(Http.keycloak().delete(integrations() + "/" + id + "/keys/unknown", KeycloakApi.adminToken()), 404, "not_found", null);
    }

    @Test
    void aViewOnlyAdminReadsButCannotChange() {
        JsonNode created = Ensync.createIntegration(realm);
        String id = created.path("id").asText();
        Http.keycloak().get(integrations(), viewerToken).expect(200);
        Http.keycloak().get(integrations() + "/" + id, viewerToken).expect(200);
        Http.keycloak().get(integrations() + "/" + id + "/keys", viewerToken).expect(200);
        Http.keycloak().get(Ensync.adminBase(realm) + "/partners", viewerToken).expect(200);

        assertError(Http.keycloak().postJson(integrations(), viewerToken, Map.of("name", "nope")), 403, "forbidden", null);
        assertError(Http.keycloak().putJson(integrations() + "/" + id, viewerToken, Map.of("enabled", false)), 403, "forbidden", null);
        assertError(Http.keycloak().request("POST", integrations() + "/" + id + "/keys").bearer(viewerToken).send(), 403, "forbidden", null);
        assertError(Http.keycloak().delete(integrations() + "/" + id, viewerToken), 403, "forbidden", null);
        assertTrue(Http.keycloak().get(integrations() + "/" + id, viewerToken).expect(200).data().path("enabled").asBoolean());
    }

    @Test
    void aUserWithoutAdminRolesIsForbidden() {
        assertEquals(403, Http.keycloak().get(integrations(), plainUserToken).status());
        assertEquals(403, Http.keycloak().postJson(integrations(), plainUserToken, Map.of("name", "nope")).status());
        assertEquals(401, Http.keycloak().get(integrations(), null).status());
    }

    @Test
    void deletingAnIntegrationOffboardsItsPartners() {
        JsonNode created = Ensync.createIntegration(realm);
        String key = created.path("key").asText();
        JsonNode partner = Ensync.createPartner(realm, key);
        Map<String, JsonNode> credentials = Ensync.redeemOk(realm, partner.path("url").asText());

        Http.keycloak().delete(integrations() + "/" + created.path("id").asText(), KeycloakApi.adminToken()).expect(200);
        assertError(Http.keycloak().get(integrations() + "/" + created.path("id").asText(), KeycloakApi.adminToken()), 404, "not_found", null);
        assertEquals(401, Http.keycloak().get(Ensync.externalBase(realm) + "/partner", key).status());
        assertEquals(0, Http.keycloak().get("/admin/realms/" + realm + "/clients?clientId="
                + credentials.get("dev").path("clientId").asText(), KeycloakApi.adminToken()).expect(200).json().size());
    }

    @Test
    void kcadmDrivesTheAdminApi(KeycloakServer server) throws IOException, InterruptedException {
        String kcadm = server.home().resolve("bin/kcadm.sh").toString();
        String config = server.home().resolve("kcadm-" + Names.unique("cfg") + ".config").toString();
        run(kcadm, "config", "credentials", "--config", config, "--server", server.baseUrl(), "--realm", "master",
                "--user", KeycloakServer.ADMIN_USERNAME, "--password", KeycloakServer.ADMIN_PASSWORD);
        String name = Names.unique("kcadm");
        String out = run(kcadm, "create", "ensync/integrations", "--config", config, "-r", realm, "-s", "name=" + name, "-i");
        assertFalse(out.isBlank(), "kcadm prints the created id");
        String listed = run(kcadm, "get", "ensync/integrations", "--config", config, "-r", realm);
        assertTrue(listed.contains(name), listed);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "kcadm finished");
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
        return output;
    }
}
