package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.ClientKey;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.SecretLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The served OpenAPI document is the one in the repository, and the real answers of every documented operation
 * conform to it: documented status, every field declared with its type, required fields present.
 */
@ExtendWith(KeycloakExtension.class)
class OpenApiIT {

    private JsonNode doc;
    private final List<String> problems = new ArrayList<>();
    private int checked;

    @Test
    void theDocumentIsServedAndTheAnswersConformToIt() throws IOException {
        String realm = KeycloakApi.createRealm();
        JsonNode served = Http.keycloak().get("/realms/" + realm + "/ensync/api/v1/openapi.json", null).expect(200).json();
        try (InputStream in = getClass().getResourceAsStream("/ensync/openapi.json")) {
            doc = Http.JSON.readTree(in);
        }
        assertEquals(doc, served, "the served document is the repository's");

        String admin = KeycloakApi.adminToken();
        String A = "/admin/realms/{realm}/ensync";
        String E = "/realms/{realm}/ensync/api/v1/external";
        String P = "/realms/{realm}/ensync/api/v1/partner";
        Http http = Http.keycloak();

        JsonNode integration = check("post", A + "/integrations", http.postJson(Ensync.adminBase(realm) + "/integrations", admin,
                Map.of("name", "oas", "topics", List.of(Map.of("pattern", "app/*", "send", true, "autoApprove", List.of("dev")),
                        Map.of("pattern", "ops/*", "receive", true))))).data();
        SecretLedger.record(integration.path("key").asText());
        String iid = integration.path("id").asText();
        String key = integration.path("key").asText();
        check("get", A + "/integrations", http.get(Ensync.adminBase(realm) + "/integrations", admin));
        check("get", A + "/integrations/{id}", http.get(Ensync.adminBase(realm) + "/integrations/" + iid, admin));
        check("put", A + "/integrations/{id}", http.putJson(Ensync.adminBase(realm) + "/integrations/" + iid, admin, Map.of("description", "d")));
        check("put", A + "/integrations/{id}", http.putJson(Ensync.adminBase(realm) + "/integrations/" + iid, admin, Map.of("linkTtlSeconds", 0)));
        JsonNode newKey = check("post", A + "/integrations/{id}/keys", http.postJson(Ensync.adminBase(realm) + "/integrations/" + iid + "/keys", admin, Map.of())).data();
        SecretLedger.record(newKey.path("key").asText());
        check("get", A + "/integrations/{id}/keys", http.get(Ensync.adminBase(realm) + "/integrations/" + iid + "/keys", admin));
        check("delete", A + "/integrations/{id}/keys/{keyId}", http.delete(Ensync.adminBase(realm) + "/integrations/" + iid + "/keys/" + newKey.path("id").asText(), admin));

        JsonNode created = check("post", E + "/partner", Ensync.createPartner(realm, key, Map.of("appName", "A", "metadata", Map.of("color", "#112233")))).data();
        check("post", E + "/partner", Ensync.createPartner(realm, key, Map.of("nope", 1)));
        check("post", E + "/partner", Ensync.createPartner(realm, "ensync_ik_" + "B".repeat(43), Map.of()));
        String pid = created.path("id").asText();
        check("get", E + "/partner", http.get(Ensync.externalBase(realm) + "/partner", key));
        check("get", E + "/partner/{id}", http.get(Ensync.externalBase(realm) + "/partner/" + pid, key));
        check("get", E + "/partner/{id}", http.get(Ensync.externalBase(realm) + "/partner/unknown", key));
        Http.Response redeemed = check("post", P + "/links/{linkId}/redeem", Ensync.redeem(realm, Ensync.linkIdOf(created.path("url").asText())));
        check("post", P + "/links/{linkId}/redeem", Ensync.redeem(realm, Ensync.linkIdOf(created.path("url").asText())));
        JsonNode dev = redeemed.data().path("environments").get(0);
        String token = Ensync.partnerApiToken(realm, dev);
        check("get", P + "/me", http.get(Ensync.partnerApiBase(realm) + "/me", token));
        check("get", P + "/me", http.get(Ensync.partnerApiBase(realm) + "/me", null));
        JsonNode grant = check("post", P + "/me/grants", http.postJson(Ensync.partnerApiBase(realm) + "/me/grants", token,
                Map.of("topic", "app/x", "scopes", List.of("send")))).data();
        JsonNode pending = check("post", P + "/me/grants", http.postJson(Ensync.partnerApiBase(realm) + "/me/grants", token,
                Map.of("topic", "ops/y", "scopes", List.of("receive")))).data();
        check("get", P + "/me/grants", http.get(Ensync.partnerApiBase(realm) + "/me/grants", token));
        check("get", A + "/grants", http.get(Ensync.adminBase(realm) + "/grants?status=pending", admin));
        check("post", A + "/grants/{id}/deny", http.postJson(Ensync.adminBase(realm) + "/grants/" + pending.path("id").asText() + "/deny", admin, Map.of("reason", "no")));
        check("post", A + "/grants/{id}/approve", http.postJson(Ensync.adminBase(realm) + "/grants/" + pending.path("id").asText() + "/approve", admin, Map.of()));
        check("delete", P + "/me/grants/{id}", http.delete(Ensync.partnerApiBase(realm) + "/me/grants/" + grant.path("id").asText(), token));
        JsonNode promotion = check("post", P + "/me/promotion", http.postJson(Ensync.partnerApiBase(realm) + "/me/promotion", token, Map.of())).data();
        check("get", A + "/promotions", http.get(Ensync.adminBase(realm) + "/promotions", admin));
        check("get", A + "/promotions/{id}", http.get(Ensync.adminBase(realm) + "/promotions/" + promotion.path("id").asText(), admin));
        check("get", A + "/promotions/{id}", http.get(Ensync.adminBase(realm) + "/promotions/unknown", admin));
        check("post", A + "/promotions/{id}/approve", http.postJson(Ensync.adminBase(realm) + "/promotions/" + promotion.path("id").asText() + "/approve", admin, Map.of("x", 1)));
        check("post", A + "/promotions/{id}/approve", http.postJson(Ensync.adminBase(realm) + "/promotions/" + promotion.path("id").asText() + "/approve", admin, Map.of()));
        check("post", A + "/promotions/{id}/deny", http.postJson(Ensync.adminBase(realm) + "/promotions/" + promotion.path("id").asText() + "/deny", admin, Map.of()));
        JsonNode rotated = check("post", P + "/me/secret", http.postJson(Ensync.partnerApiBase(realm) + "/me/secret", token, Map.of())).data();
        SecretLedger.record(rotated.path("clientSecret").asText());
        String keys = Ensync.partnerApiBase(realm) + "/me/keys";
        ClientKey clientKey = ClientKey.ec();
        check("get", P + "/me/keys", http.get(keys, token));
        check("put", P + "/me/keys", http.putJson(keys, token, Map.of("keys", List.of(clientKey.privateJwk()))));
        check("put", P + "/me/keys", http.putJson(keys, token, Map.of("keys", List.of(clientKey.publicJwk()))));
        check("get", P + "/me/keys", http.get(keys, token));
        check("get", P + "/me", http.get(Ensync.partnerApiBase(realm) + "/me", token));
        check("post", P + "/me/secret", http.postJson(Ensync.partnerApiBase(realm) + "/me/secret", token, Map.of()));
        check("get", A + "/partners/{id}", http.get(Ensync.adminBase(realm) + "/partners/" + pid, admin));
        JsonNode issued = check("delete", P + "/me/keys", http.delete(keys, token)).data();
        SecretLedger.record(issued.path("clientSecret").asText());
        check("delete", P + "/me/keys", http.delete(keys, token));
        JsonNode withKeys = Ensync.createPartner(realm, key);
        check("post", P + "/links/{linkId}/redeem", http.postJson(Ensync.partnerApiBase(realm) + "/links/"
                + Ensync.linkIdOf(withKeys.path("url").asText()) + "/redeem", null, Map.of("jwks", Map.of("keys", List.of(clientKey.publicJwk())))));
        check("get", P + "/me/history", http.get(Ensync.partnerApiBase(realm) + "/me/history", token));
        check("get", A + "/partners", http.get(Ensync.adminBase(realm) + "/partners", admin));
        check("get", A + "/partners/{id}", http.get(Ensync.adminBase(realm) + "/partners/" + pid, admin));
        check("post", A + "/partners/{id}/suspend", http.postJson(Ensync.adminBase(realm) + "/partners/" + pid + "/suspend", admin, Map.of()));
        check("post", A + "/partners/{id}/resume", http.postJson(Ensync.adminBase(realm) + "/partners/" + pid + "/resume", admin, Map.of()));
        JsonNode other = Ensync.createPartner(realm, key);
        JsonNode relink = check("post", E + "/partner/{id}/link", http.request("POST", Ensync.externalBase(realm) + "/partner/" + other.path("id").asText() + "/link").bearer(key).send()).data();
        SecretLedger.record(Ensync.linkIdOf(relink.path("url").asText()));
        check("delete", E + "/partner/{id}", http.delete(Ensync.externalBase(realm) + "/partner/" + other.path("id").asText(), key));
        check("delete", A + "/partners/{id}", http.delete(Ensync.adminBase(realm) + "/partners/" + pid, admin));
        String hooks = Ensync.adminBase(realm) + "/integrations/" + iid + "/webhooks";
        JsonNode hook = check("post", A + "/integrations/{id}/webhooks", http.postJson(hooks, admin,
                Map.of("url", "https://example.invalid/hook", "eventTypes", List.of("partner.created")))).data();
        SecretLedger.record(hook.path("secret").asText());
        check("post", A + "/integrations/{id}/webhooks", http.postJson(hooks, admin, Map.of("url", "ftp://example.invalid/")));
        String wid = hook.path("id").asText();
        check("get", A + "/integrations/{id}/webhooks", http.get(hooks, admin));
        check("get", A + "/integrations/{id}/webhooks/{wid}", http.get(hooks + "/" + wid, admin));
        check("put", A + "/integrations/{id}/webhooks/{wid}", http.putJson(hooks + "/" + wid, admin, Map.of("description", "d")));
        SecretLedger.record(check("post", A + "/integrations/{id}/webhooks/{wid}/secret", http.postJson(hooks + "/" + wid + "/secret", admin, Map.of()))
                .data().path("secret").asText());
        JsonNode test = check("post", A + "/integrations/{id}/webhooks/{wid}/test", http.postJson(hooks + "/" + wid + "/test", admin, Map.of())).data();
        check("get", A + "/integrations/{id}/webhooks/{wid}/deliveries", http.get(hooks + "/" + wid + "/deliveries", admin));
        check("post", A + "/integrations/{id}/webhooks/{wid}/deliveries/{mid}/replay",
                http.postJson(hooks + "/" + wid + "/deliveries/" + test.path("id").asText() + "/replay", admin, Map.of()));
        check("post", A + "/integrations/{id}/webhooks/{wid}/deliveries/{mid}/replay",
                http.postJson(hooks + "/" + wid + "/deliveries/msg_unknown/replay", admin, Map.of()));
        check("delete", A + "/integrations/{id}/webhooks/{wid}", http.delete(hooks + "/" + wid, admin));
        check("delete", A + "/integrations/{id}", http.delete(Ensync.adminBase(realm) + "/integrations/" + iid, admin));

        assertEquals(List.of(), problems, problems.size() + " of " + checked + " answers do not conform");
    }

    private Http.Response check(String method, String path, Http.Response response) {
        checked++;
        JsonNode operation = doc.path("paths").path(path).path(method);
        if (operation.isMissingNode()) {
            problems.add(method + " " + path + ": not documented");
            return response;
        }
        JsonNode declared = operation.path("responses").path(String.valueOf(response.status()));
        if (declared.isMissingNode()) {
            problems.add(method + " " + path + ": status " + response.status() + " not documented");
            return response;
        }
        JsonNode schema = resolve(declared).path("content").path("application/json").path("schema");
        if (!schema.isMissingNode()) {
            conform(method + " " + path + " " + response.status(), "$", response.requireJson(), schema);
        }
        return response;
    }

    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            JsonNode target = doc;
            for (String part : node.path("$ref").asText().substring(2).split("/")) {
                target = target.path(part);
            }
            node = target;
        }
        return node;
    }

    private void conform(String where, String at, JsonNode value, JsonNode schema) {
        schema = resolve(schema);
        if (schema.has("const") && !schema.path("const").equals(value)) {
            problems.add(where + " " + at + ": expected " + schema.path("const"));
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode option : schema.path("enum")) {
                listed |= option.equals(value);
            }
            if (!listed) {
                problems.add(where + " " + at + ": " + value + " not in " + schema.path("enum"));
            }
        }
        JsonNode type = schema.path("type");
        if (!type.isMissingNode() && !typeMatches(type, value)) {
            problems.add(where + " " + at + ": " + value.getNodeType() + " is not " + type);
            return;
        }
        if (value.isObject()) {
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    problems.add(where + " " + at + ": missing " + required.asText());
                }
            }
            JsonNode properties = schema.path("properties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (properties.has(field.getKey())) {
                    conform(where, at + "." + field.getKey(), field.getValue(), properties.path(field.getKey()));
                } else if (schema.path("additionalProperties").isObject()) {
                    conform(where, at + "." + field.getKey(), field.getValue(), schema.path("additionalProperties"));
                } else if (schema.path("additionalProperties").isBoolean() && !schema.path("additionalProperties").asBoolean()) {
                    problems.add(where + " " + at + ": undeclared field " + field.getKey());
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                conform(where, at + "[" + i + "]", value.get(i), schema.path("items"));
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t, value)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            case "null" -> value.isNull();
            default -> false;
        };
    }
}
