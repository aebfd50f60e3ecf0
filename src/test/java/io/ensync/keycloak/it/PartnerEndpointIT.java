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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.ensync.keycloak.it.support.Ensync.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The partner endpoint (SPEC §5) and the other Integration Key endpoints, against the real server. */
@ExtendWith(KeycloakExtension.class)
class PartnerEndpointIT {

    private static String realm;
    private static String key;
    private static String integrationId;

    /** Whatever the tests did, nothing in the realm is half-made. */
    @AfterAll
    static void nothingHalfMade() {
        Invariants.check(realm);
    }

    @BeforeAll
    static void setUp() {
        realm = KeycloakApi.createRealm();
        JsonNode integration = Ensync.createIntegration(realm);
        key = integration.path("key").asText();
        integrationId = integration.path("id").asText();
    }

    private static Http.Request partnerPost(String bearer) {
        return Http.keycloak().request("POST", Ensync.externalBase(realm) + "/partner").bearer(bearer);
    }

    @Test
    void createsPartnerWithEveryAllowedField() {
        Map<String, Object> metadata = Map.of(
                "color", "#0055ff",
                "icon", "https://cdn.example.com/acme.png",
                "tags", List.of("logistics", "eu"),
                "owner", "team-orders",
                "sla", "gold",
                "supportChannel", "#acme-support");
        Http.Response response = Ensync.createPartner(realm, key,
                Map.of("appName", "Acme Orders", "appDescription", "Order sync\nfor Acme", "metadata", metadata)).expect(201);

        JsonNode body = response.json();
        assertEquals("success", body.path("status").asText());
        JsonNode data = body.path("data");
        List<String> fields = new java.util.ArrayList<>();
        data.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("id", "url"), fields);
        String url = data.path("url").asText();
        assertTrue(url.startsWith(Http.keycloak().baseUrl() + "/realms/" + realm + "/ensync/portal/links/"), url);
        assertTrue(Ensync.linkIdOf(url).length() >= 22, "a link id carries at least 128 bits");

        JsonNode partner = Http.keycloak().get(Ensync.externalBase(realm) + "/partner/" + data.path("id").asText(), key)
                .expect(200).data();
        assertEquals("Acme Orders", partner.path("appName").asText());
        assertEquals("Order sync\nfor Acme", partner.path("appDescription").asText());
        assertEquals("#0055ff", partner.path("metadata").path("color").asText());
        assertEquals("gold", partner.path("metadata").path("sla").asText());
        assertEquals(2, partner.path("metadata").path("tags").size());
        assertEquals("invited", partner.path("status").asText());
        assertEquals(List.of("dev", "stage", "prod"), Ensync.names(partner.path("environments"), "name"));
        assertFalse(partner.toString().contains(Ensync.linkIdOf(url)), "a later read never shows the link id");
    }

    @Test
    void everyFieldIsOptional() {
        Http.Response response = Ensync.createPartner(realm, key, Map.of()).expect(201);
        assertFalse(response.data().path("id").asText().isEmpty());
    }

    static Stream<Arguments> badBodies() {
        String big = "{\"appDescription\":\"" + "x".repeat(70 * 1024) + "\"}";
        return Stream.of(
                Arguments.of("unknown field", "application/json", "{\"appName\":\"A\",\"plan\":\"gold\"}", 400, "unknown_field", "plan"),
                Arguments.of("appName wrong type", "application/json", "{\"appName\":123}", 400, "invalid_type", "appName"),
                Arguments.of("appName boolean", "application/json", "{\"appName\":true}", 400, "invalid_type", "appName"),
                Arguments.of("appDescription wrong type", "application/json", "{\"appDescription\":[\"x\"]}", 400, "invalid_type", "appDescription"),
                Arguments.of("metadata not an object", "application/json", "{\"metadata\":\"blue\"}", 400, "invalid_type", "metadata"),
                Arguments.of("appName too long", "application/json", "{\"appName\":\"" + "a".repeat(101) + "\"}", 400, "too_long", "appName"),
                Arguments.of("appName control character", "application/json", "{\"appName\":\"a\\u0000b\"}", 400, "invalid_value", "appName"),
                Arguments.of("bad color", "application/json", "{\"metadata\":{\"color\":\"blue\"}}", 400, "invalid_value", "metadata.color"),
                Arguments.of("short color", "application/json", "{\"metadata\":{\"color\":\"#fff\"}}", 400, "invalid_value", "metadata.color"),
                Arguments.of("http icon", "application/json", "{\"metadata\":{\"icon\":\"http://example.com/i.png\"}}", 400, "invalid_value", "metadata.icon"),
                Arguments.of("javascript icon", "application/json", "{\"metadata\":{\"icon\":\"javascript:alert(1)\"}}", 400, "invalid_value", "metadata.icon"),
                Arguments.of("tags not an array", "application/json", "{\"metadata\":{\"tags\":\"eu\"}}", 400, "invalid_type", "metadata.tags"),
                Arguments.of("tag not a string", "application/json", "{\"metadata\":{\"tags\":[\"eu\",7]}}", 400, "invalid_type", "metadata.tags[1]"),
                Arguments.of("too many tags", "application/json", "{\"metadata\":{\"tags\":" + tags(21) + "}}", 400, "invalid_value", "metadata.tags"),
                Arguments.of("metadata too deep", "application/json", "{\"metadata\":{\"a\":{\"b\":{\"c\":{\"d\":1}}}}}", 400, "invalid_value", "metadata.a.b.c"),
                Arguments.of("metadata bad key", "application/json", "{\"metadata\":{\"$where\":\"1\"}}", 400, "invalid_value", "metadata"),
                Arguments.of("metadata long value", "application/json", "{\"metadata\":{\"owner\":\"" + "o".repeat(501) + "\"}}", 400, "too_long", "metadata.owner"),
                Arguments.of("malformed JSON", "application/json", "{\"appName\":", 400, "invalid_json", null),
                Arguments.of("not an object", "application/json", "[1,2]", 400, "invalid_json", null),
                Arguments.of("trailing garbage", "application/json", "{\"appName\":\"A\"} x", 400, "invalid_json", null),
                Arguments.of("empty body", "application/json", "", 400, "invalid_json", null),
                Arguments.of("duplicate key", "application/json", "{\"appName\":\"A\",\"appName\":\"B\"}", 400, "duplicate_field", "appName"),
                Arguments.of("duplicate nested key", "application/json", "{\"metadata\":{\"sla\":\"a\",\"sla\":\"b\"}}", 400, "duplicate_field", "metadata.sla"),
                Arguments.of("body over 64 KiB", "application/json", big, 413, "body_too_large", null),
                Arguments.of("text/plain", "text/plain", "{\"appName\":\"A\"}", 415, "unsupported_media_type", null),
                Arguments.of("no content type", null, "{\"appName\":\"A\"}", 415, "unsupported_media_type", null),
                Arguments.of("form encoded", "application/x-www-form-urlencoded", "appName=A", 415, "unsupported_media_type", null));
    }

    private static String tags(int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        return sb.append(']').toString();
    }

    @ParameterizedTest(name = "{0} -> {3} {4}")
    @MethodSource("badBodies")
    void rejectsBadInputAndCreatesNothing(String label, String contentType, String body, int status, String code, String field) {
        int before = Ensync.partnerCount(realm);
        Http.Response response = partnerPost(key).body(contentType, body).send();
        assertError(response, status, code, field);
        assertFalse(response.body().contains("Exception"), "no stack trace in " + response.body());
        assertEquals(before, Ensync.partnerCount(realm), "nothing created");
    }

    @Test
    void rejectsMissingWrongAndForeignCredentials() {
        String otherRealm = KeycloakApi.createRealm();
        String otherRealmKey = Ensync.createIntegration(otherRealm).path("key").asText();
        int before = Ensync.partnerCount(realm);

        Http.Response missing = partnerPost(null).json(Map.of()).send();
        assertError(missing, 401, "missing_credentials", null);
        assertTrue(missing.header("WWW-Authenticate").orElse("").startsWith("Bearer"), missing.toString());

        assertError(partnerPost("ensync_ik_" + "A".repeat(43)).json(Map.of()).send(), 401, "invalid_key", null);
        assertError(partnerPost("not-a-key").json(Map.of()).send(), 401, "invalid_key", null);
        assertError(Http.keycloak().request("POST", Ensync.externalBase(realm) + "/partner")
                .header("Authorization", "Basic " + key).json(Map.of()).send(), 401, "invalid_key", null);
        Http.Response foreign = partnerPost(otherRealmKey).json(Map.of()).send();
        assertError(foreign, 401, "invalid_key", null);
        assertTrue(foreign.header("WWW-Authenticate").isPresent());

        assertEquals(before, Ensync.partnerCount(realm));
    }

    @Test
    void revokedKeyAndDisabledIntegrationAreForbidden() {
        JsonNode integration = Ensync.createIntegration(realm);
        String id = integration.path("id").asText();
        String first = integration.path("key").asText();
        JsonNode second = Http.keycloak().postJson(Ensync.adminBase(realm) + "/integrations/" + id + "/keys",
                KeycloakApi.adminToken(), Map.of()).expect(201).data();
        String secondKey = SecretLedger.record(second.path("key").asText());

        Http.keycloak().delete(Ensync.adminBase(realm) + "/integrations/" + id + "/keys/" + second.path("id").asText(),
                KeycloakApi.adminToken()).expect(200);
        assertError(partnerPost(secondKey).json(Map.of()).send(), 403, "key_revoked", null);
        Ensync.createPartner(realm, first, Map.of()).expect(201);

        Http.keycloak().putJson(Ensync.adminBase(realm) + "/integrations/" + id, KeycloakApi.adminToken(),
                Map.of("enabled", false)).expect(200);
        int before = Ensync.partnerCount(realm);
        assertError(partnerPost(first).json(Map.of()).send(), 403, "integration_disabled", null);
        assertEquals(before, Ensync.partnerCount(realm));
    }

    @Test
    void sameIdempotencyKeyCreatesOnePartner() {
        Map<String, Object> body = Map.of("appName", "Idempotent Inc", "metadata", Map.of("tags", List.of("a")));
        int before = Ensync.partnerCount(realm);
        Http.Response first = partnerPost(key).header("Idempotency-Key", "order-42").json(body).send().expect(201);
        SecretLedger.record(Ensync.linkIdOf(first.data().path("url").asText()));
        Http.Response second = partnerPost(key).header("Idempotency-Key", "order-42").json(body).send().expect(201);

        assertEquals(first.data(), second.data(), "the replay answers the first answer");
        assertEquals("true", second.header("Idempotent-Replayed").orElse(null));
        assertEquals(before + 1, Ensync.partnerCount(realm));

        Http.Response conflict = partnerPost(key).header("Idempotency-Key", "order-42")
                .json(Map.of("appName", "Someone else")).send();
        assertError(conflict, 409, "idempotency_key_reused", null);
        assertEquals(before + 1, Ensync.partnerCount(realm));

        Http.Response other = partnerPost(key).header("Idempotency-Key", "order-43").json(body).send().expect(201);
        SecretLedger.record(Ensync.linkIdOf(other.data().path("url").asText()));
        assertNotEquals(first.data().path("id"), other.data().path("id"));
    }

    @Test
    void anIntegrationSeesOnlyItsOwnPartners() {
        JsonNode other = Ensync.createIntegration(realm);
        String otherKey = other.path("key").asText();
        String mine = Ensync.createPartner(realm, key).path("id").asText();
        String theirs = Ensync.createPartner(realm, otherKey).path("id").asText();

        assertError(Http.keycloak().get(Ensync.externalBase(realm) + "/partner/" + theirs, key), 404, "not_found", null);
        assertError(Http.keycloak().request("POST", Ensync.externalBase(realm) + "/partner/" + theirs + "/link").bearer(key).send(), 404, "not_found", null);
        assertError(Http.keycloak().delete(Ensync.externalBase(realm) + "/partner/" + theirs, key), 404, "not_found", null);

        Http.Response list = Http.keycloak().get(Ensync.externalBase(realm) + "/partner?max=500", key).expect(200);
        List<String> ids = Ensync.names(list.data(), "id");
        assertTrue(ids.contains(mine));
        assertFalse(ids.contains(theirs));
        assertEquals(0, list.json().path("first").asInt());
        assertEquals(500, list.json().path("max").asInt());
        for (JsonNode partner : list.data()) {
            assertEquals(integrationId, partner.path("integrationId").asText());
        }
    }

    @Test
    void aNewLinkReplacesTheUnusedOne() {
        JsonNode created = Ensync.createPartner(realm, key);
        String id = created.path("id").asText();
        Http.Response fresh = Http.keycloak().request("POST", Ensync.externalBase(realm) + "/partner/" + id + "/link")
                .bearer(key).send().expect(201);
        String freshUrl = fresh.data().path("url").asText();
        SecretLedger.record(Ensync.linkIdOf(freshUrl));

        assertError(Ensync.redeem(realm, Ensync.linkIdOf(created.path("url").asText())), 410, "link_expired", null);
        assertEquals(3, Ensync.redeemOk(realm, freshUrl).size());
    }

    @Test
    void offboardingRemovesClientsAndEndsLinks() {
        JsonNode created = Ensync.createPartner(realm, key);
        String id = created.path("id").asText();
        Map<String, JsonNode> credentials = Ensync.redeemOk(realm, created.path("url").asText());
        JsonNode dev = credentials.get("dev");
        KeycloakApi.clientCredentialsToken(realm, dev.path("clientId").asText(), dev.path("clientSecret").asText()).expect(200);

        Http.Response reentry = Http.keycloak().request("POST", Ensync.externalBase(realm) + "/partner/" + id + "/link")
                .bearer(key).send().expect(201);
        SecretLedger.record(Ensync.linkIdOf(reentry.data().path("url").asText()));

        JsonNode offboarded = Http.keycloak().delete(Ensync.externalBase(realm) + "/partner/" + id, key).expect(200).data();
        assertEquals("offboarded", offboarded.path("status").asText());
        assertEquals(401, KeycloakApi.clientCredentialsToken(realm, dev.path("clientId").asText(),
                dev.path("clientSecret").asText()).status(), "the client is gone");
        assertEquals(0, Http.keycloak().get("/admin/realms/" + realm + "/clients?clientId=" + dev.path("clientId").asText(),
                KeycloakApi.adminToken()).expect(200).json().size());
        assertEquals(404, Ensync.redeem(realm, Ensync.linkIdOf(reentry.data().path("url").asText())).status(), "links end");
    }

}
