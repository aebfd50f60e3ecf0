package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.Join;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.Mailbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sends the hostile corpus ({@code src/test/resources/hostile/corpus.json}, made by {@code generate.py}) at every
 * JSON endpoint: no answer may be a 5xx, every refusal by the extension's own code is its JSON error (unknown paths
 * and wrong methods under the extension's roots included, with the exact status and {@code Allow} where the case
 * names them), and nothing changes — no admin event, no integration, key, partner, grant or client more or different.
 */
@ExtendWith(KeycloakExtension.class)
class HostileInputIT {

    @Test
    void theCorpusGetsClearRefusalsAndChangesNothing() throws IOException {
        String realm = KeycloakApi.createRealm();
        KeycloakApi.createUserWithClientRoles(realm, "viewer", "viewer-pass", "view-clients");
        JsonNode integration = Ensync.createIntegration(realm, Map.of("name", "hostile", "topics",
                List.of(Map.of("pattern", "app/order/*", "send", true, "receive", true))));
        String key = integration.path("key").asText();
        JsonNode partner = Ensync.createPartner(realm, key);
        JsonNode dev = Ensync.redeemOk(realm, partner.path("url").asText()).get("dev");
        String partnerToken = Ensync.partnerApiToken(realm, dev);
        String grantId = Http.keycloak().postJson(Ensync.partnerApiBase(realm) + "/me/grants", partnerToken,
                Map.of("topic", "app/order/created", "scopes", List.of("send"))).expect(201).data().path("id").asText();
        Map<String, String> bearer = Map.of(
                "key", key,
                "admin", KeycloakApi.adminToken(),
                "viewer", KeycloakApi.passwordToken(realm, "viewer", "viewer-pass"),
                "partner", partnerToken,
                "bogus", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        Mailbox.configure(realm);
        Http.keycloak().putJson(Ensync.adminBase(realm) + "/integrations/" + integration.path("id").asText(), KeycloakApi.adminToken(),
                Map.of("accessRequests", "approval")).expect(200);
        String accessRequestId = Join.pendingRequest(realm, integration.path("id").asText()).path("id").asText();
        Map<String, String> ids = Map.of("{realm}", realm, "{integrationId}", integration.path("id").asText(),
                "{partnerId}", partner.path("id").asText(), "{grantId}", grantId, "{accessRequestId}", accessRequestId);

        String before = snapshot(realm);
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/hostile/corpus.json")) {
            cases = Http.JSON.readTree(in).path("cases");
        }
        List<String> failures = new ArrayList<>();
        for (JsonNode c : cases) {
            Http.Response response = send(c, ids, bearer);
            String problem = judge(c, response);
            if (problem != null) {
                failures.add(c.path("name").asText() + ": " + problem + " — " + response.status() + " " + abbreviate(response.body()));
            }
        }
        assertTrue(cases.size() >= 300, "the corpus has " + cases.size() + " requests");
        assertEquals(List.of(), failures, failures.size() + " of " + cases.size() + " requests were answered wrongly");
        assertEquals(before, snapshot(realm), "the corpus changed state");
    }

    private static Http.Response send(JsonNode c, Map<String, String> ids, Map<String, String> bearer) {
        String path = c.path("path").asText();
        for (Map.Entry<String, String> id : ids.entrySet()) {
            path = path.replace(id.getKey(), id.getValue());
        }
        Http.Request request = Http.keycloak().request(c.path("method").asText(), encodePath(path));
        String auth = c.path("auth").asText();
        if (auth.startsWith("raw:")) {
            request.header("Authorization", auth.substring(4));
        } else if (!"none".equals(auth)) {
            request.bearer(bearer.get(auth));
        }
        c.path("headers").fields().forEachRemaining(h -> request.header(h.getKey(), h.getValue().asText()));
        if (c.has("body")) {
            String body = c.path("body").asText();
            if (c.has("repeat")) {
                body = body + c.path("repeat").path("text").asText().repeat(c.path("repeat").path("times").asInt())
                        + c.path("repeat").path("suffix").asText();
            }
            request.body(c.path("contentType").isNull() || c.path("contentType").isMissingNode() ? null : c.path("contentType").asText(), body);
        }
        return request.send();
    }

    /** Null when the answer is right for the case, else what is wrong. */
    private static String judge(JsonNode c, Http.Response response) {
        if (response.status() >= 500) {
            return "a server error";
        }
        if (response.status() < 400 && !(c.has("status") && response.status() == c.path("status").asInt())) {
            return "accepted";
        }
        if (response.body().contains("Exception") || response.body().contains("\tat ")) {
            return "a stack trace";
        }
        if (c.has("status") && response.status() != c.path("status").asInt()) {
            return "not " + c.path("status").asInt();
        }
        if (c.has("allow") && !c.path("allow").asText().equals(response.header("Allow").orElse(null))) {
            return "Allow is not " + c.path("allow").asText();
        }
        if (c.has("code") && !c.path("code").asText().equals(response.json() == null ? null : response.error().path("code").asText())) {
            return "error.code is not " + c.path("code").asText();
        }
        if (c.has("field") && !c.path("field").asText().equals(response.json() == null ? null : response.error().path("field").asText())) {
            return "error.field is not " + c.path("field").asText();
        }
        if ("4xx".equals(c.path("expect").asText())) {
            JsonNode json = response.json();
            if (json == null || !"error".equals(json.path("status").asText()) || json.path("error").path("code").asText().isEmpty()
                    || json.path("error").path("message").asText().isEmpty()) {
                return "not the extension's JSON error";
            }
        }
        return null;
    }

    /** Everything a request could have changed, as the admin API shows it (last-use times of keys aside). */
    private static String snapshot(String realm) {
        String token = KeycloakApi.adminToken();
        StringBuilder sb = new StringBuilder();
        sb.append("events=").append(KeycloakApi.adminEvents(realm).size()).append('\n');
        for (String list : List.of("/integrations?max=500", "/partners?max=500", "/grants?max=500", "/promotions?max=500",
                "/access-requests?max=500")) {
            sb.append(Http.keycloak().get(Ensync.adminBase(realm) + list, token).expect(200).data()).append('\n');
        }
        for (JsonNode i : Http.keycloak().get(Ensync.adminBase(realm) + "/integrations", token).expect(200).data()) {
            for (JsonNode k : Http.keycloak().get(Ensync.adminBase(realm) + "/integrations/" + i.path("id").asText() + "/keys", token).expect(200).data()) {
                ((ObjectNode) k).remove("lastUsedAt");
                sb.append(k).append('\n');
            }
        }
        for (JsonNode client : Http.keycloak().get("/admin/realms/" + realm + "/clients?max=1000", token).expect(200).json()) {
            sb.append(client.path("clientId").asText()).append(' ').append(client.path("enabled").asBoolean()).append('\n');
        }
        return sb.toString();
    }

    /** Percent-encodes what a URI path may not hold as it is, keeping escapes the corpus wrote on purpose. */
    private static String encodePath(String path) {
        StringBuilder sb = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            char ch = (char) (b & 0xff);
            if (ch < 0x80 && (Character.isLetterOrDigit(ch) || "/-._~%?=&*".indexOf(ch) >= 0)) {
                sb.append(ch);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }

    private static String abbreviate(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }
}
