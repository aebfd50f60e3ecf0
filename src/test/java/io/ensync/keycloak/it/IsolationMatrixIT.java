package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.Join;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.Mailbox;
import io.ensync.keycloak.it.support.Portal;
import io.ensync.keycloak.it.support.SecretLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every principal against every endpoint (docs/isolation.md holds the same table): each call is allowed exactly
 * where SPEC §2–§12 allow it. "D" is a denial Keycloak's admin layer gives, 401 or 403. Requests that would change state carry a body the endpoint refuses after its
 * authorisation (400) or name an object the caller may not see, so "allowed" shows as 400/2xx and nothing changes.
 * <p>
 * A portal session is a cookie, sent by hand to every endpoint (its {@code Path} would keep a browser from sending it
 * outside its realm's portal, a hostile client sends it anywhere). Portal forms carry the principal's own CSRF token,
 * or — for principals without a session — P1's, as an attacker who saw P1's page but lacks its cookie would.
 */
@ExtendWith(KeycloakExtension.class)
class IsolationMatrixIT {

    /** Principals, in the order of the table's columns. */
    private static final List<String> PRINCIPALS = List.of("adminA", "viewerA", "userA", "keyA1", "keyA2", "keyB",
            "partnerP1", "partnerP2", "brokerP1", "sessionP1", "sessionP2", "none");

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
        String p1Token = Ensync.partnerApiToken(realmA, p1Dev);
        String p1Id = p1Dev.path("clientId").asText().replaceAll("^ensync-|-dev$", "");
        String p2Id = p2Dev.path("clientId").asText().replaceAll("^ensync-|-dev$", "");
        PortalSession p1Session = portalSession(realmA, a1.path("key").asText(), p1Id);
        PortalSession p2Session = portalSession(realmA, a2.path("key").asText(), p2Id);
        // An access request to A1, verified, so that it exists for deciders (an unverified one exists for nobody).
        Mailbox.configure(realmA);
        Http.keycloak().putJson(Ensync.adminBase(realmA) + "/integrations/" + a1.path("id").asText(), KeycloakApi.adminToken(),
                Map.of("accessRequests", "approval")).expect(200);
        String r1 = Join.pendingRequest(realmA, a1.path("id").asText()).path("id").asText();
        String p1Grant = Http.keycloak().postJson(Ensync.partnerApiBase(realmA) + "/me/grants", p1Token,
                Map.of("topic", "app/x", "scopes", List.of("send"))).expect(201).data().path("id").asText();

        Map<String, String> bearer = new HashMap<>();
        bearer.put("adminA", KeycloakApi.passwordToken(realmA, "admin-a", "pass-a"));
        bearer.put("viewerA", KeycloakApi.passwordToken(realmA, "viewer-a", "pass-v"));
        bearer.put("userA", KeycloakApi.passwordToken(realmA, "user-a", "pass-u"));
        bearer.put("keyA1", a1.path("key").asText());
        bearer.put("keyA2", a2.path("key").asText());
        bearer.put("keyB", b.path("key").asText());
        bearer.put("partnerP1", p1Token);
        bearer.put("partnerP2", Ensync.partnerApiToken(realmA, p2Dev));
        // P1's default token, the one its broker sees: it manages nothing.
        bearer.put("brokerP1", Ensync.brokerToken(realmA, p1Dev));
        Map<String, PortalSession> sessions = Map.of("sessionP1", p1Session, "sessionP2", p2Session);

        String adm = Ensync.adminBase(realmA);
        String ext = Ensync.externalBase(realmA);
        String par = Ensync.partnerApiBase(realmA);
        String portal = Portal.base(realmA);
        // endpoint → expected status per principal, in PRINCIPALS order
        List<Row> rows = List.of(
                json("GET admin integrations", "GET", adm + "/integrations", null, "200 200 403 401 401 401 403 403 403 401 401 401"),
                json("POST admin integrations (invalid)", "POST", adm + "/integrations", "{}", "400 403 403 401 401 401 403 403 403 401 401 401"),
                json("GET admin partners", "GET", adm + "/partners", null, "200 200 403 401 401 401 403 403 403 401 401 401"),
                // The strict reader on a body-less decision: an unknown field is the admin's 400, before anything changes.
                json("POST admin grant approve (unknown field)", "POST", adm + "/grants/" + p1Grant + "/approve", "{\"x\":1}", "400 403 403 401 401 401 403 403 403 401 401 401"),
                json("POST admin grant approve", "POST", adm + "/grants/" + p1Grant + "/approve", "{}", "200 403 403 401 401 401 403 403 403 401 401 401"),
                json("GET admin access requests", "GET", adm + "/access-requests", null, "200 200 403 401 401 401 403 403 403 401 401 401"),
                json("POST admin access request approve (unknown field)", "POST", adm + "/access-requests/" + r1 + "/approve", "{\"x\":1}", "400 403 403 401 401 401 403 403 403 401 401 401"),
                json("GET admin of realm B", "GET", Ensync.adminBase(realmB) + "/integrations", null, "D D D 401 401 401 D D D 401 401 401"),
                json("GET external partners", "GET", ext + "/partner", null, "401 401 401 200 200 401 401 401 401 401 401 401"),
                json("GET external partner P1", "GET", ext + "/partner/" + p1Id, null, "401 401 401 200 404 401 401 401 401 401 401 401"),
                json("POST external partner (invalid)", "POST", ext + "/partner", "{\"x\":1}", "401 401 401 400 400 401 401 401 401 401 401 401"),
                json("DELETE external partner P1 (by others)", "DELETE", ext + "/partner/" + p1Id, null, "401 401 401 - 404 401 401 401 401 401 401 401"),
                json("GET external access requests", "GET", ext + "/access-requests", null, "401 401 401 200 200 401 401 401 401 401 401 401"),
                json("GET external access request R1", "GET", ext + "/access-requests/" + r1, null, "401 401 401 200 404 401 401 401 401 401 401 401"),
                json("POST external deny R1 (by others)", "POST", ext + "/access-requests/" + r1 + "/deny", "{}", "401 401 401 - 404 401 401 401 401 401 401 401"),
                json("GET portal join page of A1", "GET", portal + "/join/" + a1.path("id").asText(), null, "200 200 200 200 200 200 200 200 200 200 200 200"),
                json("GET portal join page of A2 (off)", "GET", portal + "/join/" + a2.path("id").asText(), null, "404 404 404 404 404 404 404 404 404 404 404 404"),
                json("GET partner me", "GET", par + "/me", null, "403 403 403 401 401 401 200 200 403 401 401 401"),
                json("POST partner grant (outside catalog)", "POST", par + "/me/grants", "{\"topic\":\"zzz/x\",\"scopes\":[\"send\"]}", "403 403 403 401 401 401 400 400 403 401 401 401"),
                json("POST partner secret (unknown field)", "POST", par + "/me/secret", "{\"x\":1}", "403 403 403 401 401 401 400 400 403 401 401 401"),
                json("DELETE P1's grant", "DELETE", par + "/me/grants/" + p1Grant, null, "403 403 403 401 401 401 - 404 403 401 401 401"),
                json("GET partner me in realm B", "GET", Ensync.partnerApiBase(realmB) + "/me", null, "401 401 401 401 401 401 401 401 401 401 401 401"),
                json("GET portal environments", "GET", portal + "/environments", null, "401 401 401 401 401 401 401 401 401 200 200 401"),
                json("GET portal events", "GET", portal + "/events", null, "401 401 401 401 401 401 401 401 401 200 200 401"),
                form("POST portal grant (outside catalog)", portal + "/events/grants", "topic=zzz/x&environment=dev&scope=send", "401 401 401 401 401 401 401 401 401 400 400 401"),
                // P1's session withdraws the grant admin A approved above; P2's session, after it, does not know it.
                form("POST portal withdraw P1's grant", portal + "/events/grants/" + p1Grant + "/withdraw", "", "401 401 401 401 401 401 401 401 401 200 404 401"),
                json("GET portal environments in realm B", "GET", Portal.base(realmB) + "/environments", null, "401 401 401 401 401 401 401 401 401 401 401 401"));

        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            String[] expected = row.expected().split(" ");
            for (int i = 0; i < PRINCIPALS.size(); i++) {
                if ("-".equals(expected[i])) {
                    continue; // allowed and destructive: covered by the feature tests
                }
                String principal = PRINCIPALS.get(i);
                PortalSession session = sessions.get(principal);
                Http.Request request = Http.keycloak().request(row.method(), row.path()).bearer(bearer.get(principal));
                if (session != null) {
                    request.header("Cookie", Portal.SESSION_COOKIE + "=" + session.cookie());
                }
                if (row.contentType() != null) {
                    String csrf = (session == null ? p1Session : session).csrf();
                    request.body(row.contentType(), row.body().replace("{csrf}", URLEncoder.encode(csrf, StandardCharsets.UTF_8)));
                }
                int status = request.send().status();
                boolean denied = status == 401 || status == 403;
                if ("D".equals(expected[i]) ? !denied : status != Integer.parseInt(expected[i])) {
                    wrong.add(row.name() + " as " + principal + ": " + status + ", expected " + expected[i]);
                }
            }
        }
        assertEquals(List.of(), wrong);
        // The matrix's two changes (the 200s above): P1's grant, approved by its realm's admin, then withdrawn in P1's
        // portal session.
        assertEquals(List.of("withdrawn"), Ensync.names(Http.keycloak().get(adm + "/grants?partner=" + p1Id,
                KeycloakApi.adminToken()).expect(200).data(), "status"));
        assertEquals("pending", Http.keycloak().get(adm + "/access-requests/" + r1, KeycloakApi.adminToken()).expect(200)
                .data().path("status").asText(), "nobody decided R1");
    }

    /** A partner person's portal session: the cookie's value and the CSRF token of its pages. */
    private record PortalSession(String cookie, String csrf) {
    }

    /** Opens a session the way a person does: a re-entry link from the integration, its page, its button. */
    private static PortalSession portalSession(String realm, String key, String partnerId) {
        String url = Http.keycloak().request("POST", Ensync.externalBase(realm) + "/partner/" + partnerId + "/link")
                .bearer(key).send().expect(201).data().path("url").asText();
        SecretLedger.record(Ensync.linkIdOf(url));
        Portal browser = new Portal(realm);
        String cookie = Portal.sessionCookie(browser.start(url).expect(303));
        return new PortalSession(cookie, Portal.csrf(browser.get("/environments").expect(200)));
    }

    /** {@code contentType} null: no body. A form body's {@code {csrf}} is the principal's CSRF token. */
    private record Row(String name, String method, String path, String contentType, String body, String expected) {
    }

    private static Row json(String name, String method, String path, String body, String expected) {
        return new Row(name, method, path, body == null ? null : "application/json", body, expected);
    }

    private static Row form(String name, String path, String fields, String expected) {
        return new Row(name, "POST", path, "application/x-www-form-urlencoded", "csrf={csrf}" + (fields.isEmpty() ? "" : "&" + fields), expected);
    }
}
