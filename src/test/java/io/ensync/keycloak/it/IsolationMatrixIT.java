package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every principal against every endpoint (docs/isolation.md holds the same table): each call is allowed exactly
 * where SPEC §2–§12 allow it. "D" is a denial Keycloak's admin layer gives, 401 or 403. Requests that would change state carry a body the endpoint refuses after its
 * authorisation (400) or name an object the caller may not see, so "allowed" shows as 400/2xx and nothing changes.
 */
@ExtendWith(KeycloakExtension.class)
class IsolationMatrixIT {

    /** Principals, in the order of the table's columns. */
    private static final List<String> PRINCIPALS = List.of("adminA", "viewerA", "userA", "keyA1", "keyA2", "keyB", "partnerP1", "partnerP2", "none");

    @Test
    void eachPrincipalReachesExactlyWhatTheSpecAllows() {
        String realmA = KeycloakApi.createRealm();
        String realmB = KeycloakApi.createRealm();
        KeycloakApi.createUserWithClientRoles(realmA, "admin-a", "pass-a", "realm-admin");
        KeycloakApi.createUserWithClientRoles(realmA, "viewer-a", "pass-v", "view-clients");
        KeycloakApi.createUserWithClientRoles(realmA, "user-a", "pass-u");
        Map<String, Object> catalog = Map.of("name", "i", "topics", List.of(Map.of("pattern", "app/*", "send", true)));
        JsonNode a1 = Ensync.createIntegration(realmA, catalog);
        JsonNode a2 = Ensync.createIntegration(realmA, Map.of("name", "i2", "topics", List.of(Map.of("pattern", "app/*", "send", true))));
        JsonNode b = Ensync.createIntegration(realmB);
        String p1 = Ensync.createPartner(realmA, a1.path("key").asText()).path("url").asText();
        String p2 = Ensync.createPartner(realmA, a2.path("key").asText()).path("url").asText();
        JsonNode p1Dev = Ensync.redeemOk(realmA, p1).get("dev");
        JsonNode p2Dev = Ensync.redeemOk(realmA, p2).get("dev");
        String p1Token = token(realmA, p1Dev);
        String p1Id = p1Dev.path("clientId").asText().replaceAll("^ensync-|-dev$", "");
        String p1Grant = Http.keycloak().postJson(Ensync.partnerApiBase(realmA) + "/me/grants", p1Token,
                Map.of("topic", "app/x", "scopes", List.of("send"))).expect(201).data().path("id").asText();

        Map<String, String> bearer = new LinkedHashMap<>();
        bearer.put("adminA", KeycloakApi.passwordToken(realmA, "admin-a", "pass-a"));
        bearer.put("viewerA", KeycloakApi.passwordToken(realmA, "viewer-a", "pass-v"));
        bearer.put("userA", KeycloakApi.passwordToken(realmA, "user-a", "pass-u"));
        bearer.put("keyA1", a1.path("key").asText());
        bearer.put("keyA2", a2.path("key").asText());
        bearer.put("keyB", b.path("key").asText());
        bearer.put("partnerP1", p1Token);
        bearer.put("partnerP2", token(realmA, p2Dev));
        bearer.put("none", null);

        String adm = Ensync.adminBase(realmA);
        String ext = Ensync.externalBase(realmA);
        String par = Ensync.partnerApiBase(realmA);
        // endpoint → expected status per principal, in PRINCIPALS order
        List<Row> rows = List.of(
                row("GET admin integrations", "GET", adm + "/integrations", null, "200 200 403 401 401 401 403 403 401"),
                row("POST admin integrations (invalid)", "POST", adm + "/integrations", "{}", "400 403 403 401 401 401 403 403 401"),
                row("GET admin partners", "GET", adm + "/partners", null, "200 200 403 401 401 401 403 403 401"),
                row("POST admin grant approve", "POST", adm + "/grants/" + p1Grant + "/approve", "{\"x\":1}", "200 403 403 401 401 401 403 403 401"),
                row("GET admin of realm B", "GET", Ensync.adminBase(realmB) + "/integrations", null, "D D D 401 401 401 D D 401"),
                row("GET external partners", "GET", ext + "/partner", null, "401 401 401 200 200 401 401 401 401"),
                row("GET external partner P1", "GET", ext + "/partner/" + p1Id, null, "401 401 401 200 404 401 401 401 401"),
                row("POST external partner (invalid)", "POST", ext + "/partner", "{\"x\":1}", "401 401 401 400 400 401 401 401 401"),
                row("DELETE external partner P1 (by others)", "DELETE", ext + "/partner/" + p1Id, null, "401 401 401 - 404 401 401 401 401"),
                row("GET partner me", "GET", par + "/me", null, "403 403 403 401 401 401 200 200 401"),
                row("POST partner grant (outside catalog)", "POST", par + "/me/grants", "{\"topic\":\"zzz/x\",\"scopes\":[\"send\"]}", "403 403 403 401 401 401 400 400 401"),
                row("DELETE P1's grant", "DELETE", par + "/me/grants/" + p1Grant, null, "403 403 403 401 401 401 - 404 401"),
                row("GET partner me in realm B", "GET", Ensync.partnerApiBase(realmB) + "/me", null, "401 401 401 401 401 401 401 401 401"));

        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            String[] expected = row.expected().split(" ");
            for (int i = 0; i < PRINCIPALS.size(); i++) {
                if ("-".equals(expected[i])) {
                    continue; // allowed and destructive: covered by the feature tests
                }
                String principal = PRINCIPALS.get(i);
                Http.Request request = Http.keycloak().request(row.method(), row.path()).bearer(bearer.get(principal));
                if (row.body() != null) {
                    request.body("application/json", row.body());
                }
                int status = request.send().status();
                boolean denied = status == 401 || status == 403;
                if ("D".equals(expected[i]) ? !denied : status != Integer.parseInt(expected[i])) {
                    wrong.add(row.name() + " as " + principal + ": " + status + ", expected " + expected[i]);
                }
            }
        }
        assertEquals(List.of(), wrong);
        // The approve row's "200" for adminA is the one change the matrix makes: P1's grant, approved by its realm's admin.
        assertEquals("approved", Http.keycloak().get(par + "/me/grants", p1Token).expect(200).data().get(0).path("status").asText());
    }

    private record Row(String name, String method, String path, String body, String expected) {
    }

    private static Row row(String name, String method, String path, String body, String expected) {
        return new Row(name, method, path, body, expected);
    }

    private static String token(String realm, JsonNode env) {
        return KeycloakApi.clientCredentialsToken(realm, env.path("clientId").asText(), env.path("clientSecret").asText())
                .expect(200).json().path("access_token").asText();
    }
}
