package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.Invariants;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import io.ensync.keycloak.it.support.Portal;
import io.ensync.keycloak.it.support.SecretLedger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.ensync.keycloak.it.support.Ensync.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lifecycle correctness (issue #12): whatever the order of requests, decisions, suspensions, offboardings and
 * deletions, every answer is a precise 4xx or a success, and the records, token claims and UMA answers agree.
 * Each test names the probing sequence it reproduces; each failed before the fix.
 */
@ExtendWith(KeycloakExtension.class)
class LifecycleIT {

    private static String realm;
    private static String key;
    private static String integrationId;

    @AfterAll
    static void nothingHalfMade() {
        Invariants.check(realm);
    }

    @BeforeAll
    static void setUp() {
        realm = KeycloakApi.createRealm();
        JsonNode integration = Ensync.createIntegration(realm, catalog("lifecycle"));
        key = integration.path("key").asText();
        integrationId = integration.path("id").asText();
    }

    /** {@code app/*} granted at once in dev only; {@code manual/*} always waits for an admin. */
    private static Map<String, Object> catalog(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("topics", List.of(
                Map.of("pattern", "app/*", "send", true, "receive", true, "autoApprove", List.of("dev")),
                Map.of("pattern", "manual/*", "send", true, "receive", true, "autoApprove", List.of())));
        return body;
    }

    private static String admin() {
        return KeycloakApi.adminToken();
    }

    private static String adm(String path) {
        return Ensync.adminBase(realm) + path;
    }

    private static String me(String path) {
        return Ensync.partnerApiBase(realm) + "/me" + path;
    }

    private static Map<String, JsonNode> partner(String withKey) {
        return Ensync.redeemOk(realm, Ensync.createPartner(realm, withKey).path("url").asText());
    }

    private static String partnerId(JsonNode env) {
        return env.path("clientId").asText().replaceAll("^ensync-|-(dev|stage|prod)$", "");
    }

    /** The default token of an environment's client: what goes to the broker (claims, UMA). */
    private static String brokerToken(JsonNode env) {
        return Ensync.brokerToken(realm, env);
    }

    /** A token the partner API (/me…) accepts: asked for with scope=ensync-partner-api. */
    private static String apiToken(JsonNode env) {
        return Ensync.partnerApiToken(realm, env);
    }

    private static Http.Response request(String token, String topic, String... scopes) {
        return Http.keycloak().postJson(me("/grants"), token, Map.of("topic", topic, "scopes", List.of(scopes)));
    }

    private static JsonNode promotion(String id) {
        return Http.keycloak().get(adm("/promotions/" + id), admin()).expect(200).data();
    }

    private static List<String> claim(String token, String scope) {
        JsonNode claims;
        try {
            claims = Http.JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        List<String> values = new ArrayList<>();
        claims.path("ensync").path(scope).forEach(v -> values.add(v.asText()));
        return values;
    }

    private static List<String> recorded(JsonNode promotion) {
        List<String> grants = new ArrayList<>();
        for (JsonNode g : promotion.path("grants")) {
            List<String> scopes = new ArrayList<>();
            g.path("scopes").forEach(s -> scopes.add(s.asText()));
            grants.add(g.path("topic").asText() + " " + String.join(",", scopes));
        }
        return grants;
    }

    /** Finding 1: promotion asked for, integration deleted, promotion approved — a 500 (NPE) before; now 409. */
    @Test
    void aPromotionOfADeletedIntegrationsPartnerAnswers409() {
        JsonNode integration = Ensync.createIntegration(realm, catalog("to-delete"));
        Map<String, JsonNode> p = partner(integration.path("key").asText());
        String dev = apiToken(p.get("dev"));
        request(dev, "app/order", "send").expect(201);
        String pendingGrant = request(dev, "manual/x", "send").expect(201).data().path("id").asText();
        String promotionId = Http.keycloak().postJson(me("/promotion"), dev, Map.of()).expect(201).data().path("id").asText();

        Http.keycloak().delete(adm("/integrations/" + integration.path("id").asText()), admin()).expect(200);

        assertError(Http.keycloak().postJson(adm("/promotions/" + promotionId + "/approve"), admin(), Map.of()),
                409, "promotion_not_pending", null);
        assertError(Http.keycloak().postJson(adm("/promotions/" + promotionId + "/deny"), admin(), Map.of()),
                409, "promotion_not_pending", null);
        assertError(Http.keycloak().postJson(adm("/grants/" + pendingGrant + "/approve"), admin(), Map.of()),
                409, "grant_not_pending", null);
        assertError(Http.keycloak().delete(adm("/grants/" + pendingGrant), admin()), 409, "grant_not_active", null);
        JsonNode ended = promotion(promotionId);
        assertEquals("revoked", ended.path("status").asText());
        assertEquals("offboarded", ended.path("reason").asText());
        assertError(Http.keycloak().get(adm("/partners/" + partnerId(p.get("dev"))), admin()), 404, "not_found", null);
    }

    /** Finding 2: an offboarded partner's pending promotion could be approved (200, "offboarded" at "stage"). */
    @Test
    void anOffboardedPartnersPromotionCannotBeApproved() {
        Map<String, JsonNode> p = partner(key);
        String id = partnerId(p.get("dev"));
        String promotionId = Http.keycloak().postJson(me("/promotion"), apiToken(p.get("dev")), Map.of()).expect(201).data().path("id").asText();
        Http.keycloak().delete(adm("/partners/" + id), admin()).expect(200);

        assertError(Http.keycloak().postJson(adm("/promotions/" + promotionId + "/approve"), admin(), Map.of()),
                409, "promotion_not_pending", null);
        JsonNode partner = Http.keycloak().get(adm("/partners/" + id), admin()).expect(200).data();
        assertEquals("offboarded", partner.path("status").asText());
        assertEquals("dev", partner.path("stage").asText());
        assertEquals(List.of(), Ensync.names(Http.keycloak().get(adm("/promotions?status=pending&partner=" + id), admin())
                .expect(200).data(), "id"));
        assertError(Http.keycloak().postJson(adm("/promotions/00000000-0000-0000-0000-000000000000/approve"), admin(), Map.of()),
                404, "not_found", null);
    }

    /** Suspension ends pending requests and promotions too; deciding them afterwards is a 409. */
    @Test
    void suspensionEndsWhatIsPending() {
        Map<String, JsonNode> p = partner(key);
        String id = partnerId(p.get("dev"));
        String dev = apiToken(p.get("dev"));
        String approved = request(dev, "app/kept", "send").expect(201).data().path("id").asText();
        String pending = request(dev, "manual/waiting", "send").expect(201).data().path("id").asText();
        String promotionId = Http.keycloak().postJson(me("/promotion"), dev, Map.of()).expect(201).data().path("id").asText();

        Http.keycloak().postJson(adm("/partners/" + id + "/suspend"), admin(), Map.of()).expect(200);
        assertError(Http.keycloak().postJson(adm("/grants/" + pending + "/approve"), admin(), Map.of()), 409, "grant_not_pending", null);
        assertError(Http.keycloak().postJson(adm("/promotions/" + promotionId + "/approve"), admin(), Map.of()),
                409, "promotion_not_pending", null);
        Http.keycloak().postJson(adm("/partners/" + id + "/resume"), admin(), Map.of()).expect(200);

        Map<String, String> statuses = new LinkedHashMap<>();
        for (JsonNode g : Http.keycloak().get(adm("/grants?partner=" + id), admin()).expect(200).data()) {
            statuses.put(g.path("id").asText(), g.path("status").asText() + "/" + g.path("reason").asText(""));
        }
        assertEquals(Map.of(approved, "approved/", pending, "revoked/suspended"), statuses);
        assertEquals("revoked", promotion(promotionId).path("status").asText());
        assertEquals(List.of("app/kept"), claim(brokerToken(p.get("dev")), "send"), "the approved grant is back with the resume");
        assertEquals("stage", Http.keycloak().postJson(me("/promotion"), apiToken(p.get("dev")), Map.of()).expect(201).data().path("to").asText(),
                "a new promotion can be asked for");
    }

    /**
     * Finding 3: a grant made after the promotion request was copied. The request records {@code data.grants};
     * approval copies that list, minus a recorded grant withdrawn since, plus nothing granted after it.
     */
    @Test
    void approvalCopiesExactlyWhatTheRequestRecorded() {
        Map<String, JsonNode> p = partner(key);
        String dev = apiToken(p.get("dev"));
        request(dev, "app/*", "send").expect(201);
        String withdrawnLater = request(dev, "app/orders/*", "receive").expect(201).data().path("id").asText();
        JsonNode asked = Http.keycloak().postJson(me("/promotion"), dev, Map.of()).expect(201).data();
        assertEquals(List.of("app/* send", "app/orders/* receive"), recorded(asked));
        request(dev, "app/payments/*", "send").expect(201);
        Http.keycloak().delete(me("/grants/" + withdrawnLater), dev).expect(200);

        String promotionId = asked.path("id").asText();
        assertEquals(List.of("app/* send", "app/orders/* receive"), recorded(promotion(promotionId)), "GET /promotions/{id}");
        JsonNode listed = Http.keycloak().get(adm("/promotions?status=pending&partner=" + partnerId(p.get("dev"))), admin()).expect(200).data();
        assertEquals(List.of("app/* send", "app/orders/* receive"), recorded(listed.get(0)), "GET /promotions");

        JsonNode approved = Http.keycloak().postJson(adm("/promotions/" + promotionId + "/approve"), admin(), Map.of()).expect(200).data();
        assertEquals("approved", approved.path("status").asText());
        String stage = brokerToken(p.get("stage"));
        assertEquals(List.of("app/*"), claim(stage, "send"), "nothing granted after the request");
        assertEquals(List.of(), claim(stage, "receive"), "nothing withdrawn since the request");
        List<String> stageGrants = new ArrayList<>();
        for (JsonNode g : Http.keycloak().get(me("/grants"), apiToken(p.get("stage"))).expect(200).data()) {
            stageGrants.add(g.path("topic").asText() + " " + g.path("status").asText() + " " + g.path("decidedBy").asText());
        }
        assertEquals(List.of("app/* approved promotion"), stageGrants);
        assertError(Http.keycloak().postJson(adm("/promotions/" + promotionId + "/approve"), admin(), Map.of()), 409, "promotion_not_pending", null);
        assertError(Http.keycloak().postJson(adm("/promotions/" + promotionId + "/deny"), admin(), Map.of()), 409, "promotion_not_pending", null);
    }

    /**
     * Finding 3, second half: a direct stage request for what the promotion copies. The same topic and scopes: the
     * request is approved as the copy (one grant, not two). Overlapping scopes: the copy is made, and approving the
     * request afterwards is a 409 grant_exists (a denial still works).
     */
    @Test
    void aPendingRequestOfTheTargetEnvironmentIsNotGrantedTwice() {
        Map<String, JsonNode> p = partner(key);
        String dev = apiToken(p.get("dev"));
        String stage = apiToken(p.get("stage"));
        request(dev, "app/*", "send").expect(201);
        request(dev, "app/orders/*", "receive").expect(201);
        String same = request(stage, "app/*", "send").expect(201).data().path("id").asText();
        String wider = request(stage, "app/orders/*", "send", "receive").expect(201).data().path("id").asText();
        String promotionId = Http.keycloak().postJson(me("/promotion"), dev, Map.of()).expect(201).data().path("id").asText();
        Http.keycloak().postJson(adm("/promotions/" + promotionId + "/approve"), admin(), Map.of()).expect(200);

        Map<String, String> stageGrants = new LinkedHashMap<>();
        for (JsonNode g : Http.keycloak().get(me("/grants"), apiToken(p.get("stage"))).expect(200).data()) {
            stageGrants.merge(g.path("topic").asText(), g.path("scopes").toString() + " " + g.path("status").asText(), (a, b) -> a + "; " + b);
        }
        assertEquals(Map.of("app/*", "[\"send\"] approved", "app/orders/*", "[\"receive\"] approved; [\"send\",\"receive\"] pending"),
                stageGrants);
        assertEquals("promotion", Http.keycloak().get(adm("/grants?partner=" + partnerId(p.get("dev")) + "&env=stage&status=approved"), admin())
                .expect(200).data().findValuesAsText("decidedBy").stream().distinct().reduce((a, b) -> a + "," + b).orElse(""));
        assertTrue(Http.keycloak().get(adm("/grants?partner=" + partnerId(p.get("dev")) + "&env=stage&status=approved"), admin())
                .expect(200).data().findValuesAsText("id").contains(same), "the identical request became the copy");
        assertError(Http.keycloak().postJson(adm("/grants/" + wider + "/approve"), admin(), Map.of()), 409, "grant_exists", null);
        Http.keycloak().postJson(adm("/grants/" + wider + "/deny"), admin(), Map.of()).expect(200);
        String token = brokerToken(p.get("stage"));
        assertEquals(List.of("app/*"), claim(token, "send"));
        assertEquals(List.of("app/orders/*"), claim(token, "receive"));
    }

    /** Finding 4: no quota. At most maxGrantsPerEnvironment approved or pending, at most 20 pending, per environment. */
    @Test
    void grantQuotasPerEnvironment() {
        Map<String, Object> body = catalog("quota");
        body.put("maxGrantsPerEnvironment", 3);
        JsonNode integration = Ensync.createIntegration(realm, body);
        assertEquals(3, integration.path("maxGrantsPerEnvironment").asInt());
        Map<String, JsonNode> p = partner(integration.path("key").asText());
        String dev = apiToken(p.get("dev"));
        request(dev, "app/a", "send").expect(201);
        request(dev, "app/b", "send").expect(201);
        request(dev, "manual/c", "send").expect(201);
        assertError(request(dev, "app/d", "send"), 409, "grant_limit", null);
        assertError(request(dev, "manual/d", "send"), 409, "grant_limit", null);
        String withdrawn = Http.keycloak().get(me("/grants"), dev).expect(200).data().get(0).path("id").asText();
        Http.keycloak().delete(me("/grants/" + withdrawn), dev).expect(200);
        request(dev, "app/d", "send").expect(201);

        String path = adm("/integrations/" + integration.path("id").asText());
        assertError(Http.keycloak().putJson(path, admin(), Map.of("maxGrantsPerEnvironment", 0)), 400, "invalid_value", "maxGrantsPerEnvironment");
        assertError(Http.keycloak().putJson(path, admin(), Map.of("maxGrantsPerEnvironment", 10001)), 400, "invalid_value", "maxGrantsPerEnvironment");
        assertError(Http.keycloak().putJson(path, admin(), Map.of("maxGrantsPerEnvironment", "5")), 400, "invalid_type", "maxGrantsPerEnvironment");
        assertEquals(200, Http.keycloak().putJson(path, admin(), Map.of("maxGrantsPerEnvironment", 200)).expect(200).data()
                .path("maxGrantsPerEnvironment").asInt());
        for (int i = 0; i < 20; i++) {
            assertEquals("pending", request(dev, "manual/p" + i, "send").expect(201).data().path("status").asText());
        }
        assertError(request(dev, "manual/p20", "send"), 409, "grant_limit", null);
        assertEquals("approved", request(dev, "app/still-auto", "send").expect(201).data().path("status").asText(),
                "the pending limit does not stop a request granted at once");
        assertEquals(200, Http.keycloak().get(adm("/integrations/" + integrationId), admin()).expect(200).data()
                .path("maxGrantsPerEnvironment").asInt(), "the default");
    }

    /** Finding 5: a suspended partner's portal session came back with the resume. */
    @Test
    void suspensionEndsPortalSessions() {
        JsonNode created = Ensync.createPartner(realm, key);
        Portal browser = new Portal(realm);
        browser.onboard(created.path("url").asText());
        browser.get("/environments").expect(200);
        String id = created.path("id").asText();
        Http.keycloak().postJson(adm("/partners/" + id + "/suspend"), admin(), Map.of()).expect(200);
        Http.keycloak().postJson(adm("/partners/" + id + "/resume"), admin(), Map.of()).expect(200);
        Http.Response after = browser.get("/environments");
        assertEquals(401, after.status());
        assertEquals("Your session has ended", Portal.messageTitle(after));
    }

    /**
     * Finding 6: concurrent rotations were last-write-wins, so one caller got a secret that never worked. Now each
     * answered secret works (the later one as current, the earlier one as the rotated secret of the grace period),
     * or the caller hears 409 rotation_in_progress.
     */
    @Test
    void concurrentRotationsEachAnswerAWorkingSecretOrA409() throws Exception {
        Map<String, JsonNode> p = partner(key);
        String clientId = p.get("dev").path("clientId").asText();
        String token = apiToken(p.get("dev"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int answered = 0;
        try {
            for (int round = 0; round < 6; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Http.Response>> answers = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return Http.keycloak().postJson(me("/secret"), token, Map.of());
                    }));
                }
                start.countDown();
                List<String> secrets = new ArrayList<>();
                for (Future<Http.Response> answer : answers) {
                    Http.Response response = answer.get();
                    if (response.status() == 409) {
                        assertError(response, 409, "rotation_in_progress", null);
                    } else {
                        String secret = response.expect(200).data().path("clientSecret").asText();
                        SecretLedger.record(secret);
                        secrets.add(secret);
                    }
                }
                assertFalse(secrets.isEmpty(), "round " + round + ": at least one rotation succeeds");
                answered += secrets.size();
                for (String secret : secrets) {
                    assertEquals(200, KeycloakApi.clientCredentialsToken(realm, clientId, secret).status(),
                            "round " + round + ": every answered secret works");
                }
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(answered >= 6);
    }

    /** Finding 7: endpoints without a body took any body; every one goes through the strict reader. */
    @Test
    void everyBodyLessEndpointRejectsUnknownFields() {
        // An integration of its own: before the fix, these calls deleted and offboarded what they reached.
        JsonNode integration = Ensync.createIntegration(realm, catalog("strict"));
        String integrationId = integration.path("id").asText();
        String key = integration.path("key").asText();
        Map<String, JsonNode> p = partner(key);
        String id = partnerId(p.get("dev"));
        String dev = apiToken(p.get("dev"));
        String grant = request(dev, "manual/strict", "send").expect(201).data().path("id").asText();
        String promotionId = Http.keycloak().postJson(me("/promotion"), dev, Map.of()).expect(201).data().path("id").asText();
        String keyId = Http.keycloak().get(adm("/integrations/" + integrationId + "/keys"), admin()).expect(200).data().get(0).path("id").asText();
        String body = "{\"x\":1}";
        record Call(String method, String path, String bearer) {
        }
        List<Call> calls = List.of(
                new Call("POST", adm("/grants/" + grant + "/approve"), admin()),
                new Call("POST", adm("/grants/" + grant + "/deny"), admin()),
                new Call("DELETE", adm("/grants/" + grant), admin()),
                new Call("POST", adm("/promotions/" + promotionId + "/approve"), admin()),
                new Call("POST", adm("/promotions/" + promotionId + "/deny"), admin()),
                new Call("POST", adm("/partners/" + id + "/suspend"), admin()),
                new Call("POST", adm("/partners/" + id + "/resume"), admin()),
                new Call("DELETE", adm("/partners/" + id), admin()),
                new Call("DELETE", adm("/integrations/" + integrationId), admin()),
                new Call("DELETE", adm("/integrations/" + integrationId + "/keys/" + keyId), admin()),
                new Call("POST", Ensync.externalBase(realm) + "/partner/" + id + "/link", key),
                new Call("DELETE", Ensync.externalBase(realm) + "/partner/" + id, key),
                new Call("POST", me("/promotion"), dev),
                new Call("POST", me("/secret"), dev),
                new Call("DELETE", me("/grants/" + grant), dev));
        List<String> wrong = new ArrayList<>();
        for (Call call : calls) {
            Http.Response response = Http.keycloak().request(call.method(), call.path()).bearer(call.bearer())
                    .body("application/json", body).send();
            if (response.status() != 400 || !"unknown_field".equals(response.error().path("code").asText())
                    || !"x".equals(response.error().path("field").asText())) {
                wrong.add(call.method() + " " + call.path() + ": " + response);
            }
        }
        assertEquals(List.of(), wrong);
        // Nothing changed: the grant and the promotion still wait, the partner is active, the key works.
        assertEquals("pending", Http.keycloak().get(adm("/grants?partner=" + id), admin()).expect(200).data().get(0).path("status").asText());
        assertEquals("pending", promotion(promotionId).path("status").asText());
        assertEquals("active", Http.keycloak().get(adm("/partners/" + id), admin()).expect(200).data().path("status").asText());
        Http.keycloak().get(Ensync.externalBase(realm) + "/partner/" + id, key).expect(200);
    }

    /** Grant and promotion decisions are admin events of their own types, naming who acted (SPEC §9). */
    @Test
    void grantAndPromotionEventsNameTheirActor() {
        Map<String, JsonNode> p = partner(key);
        String id = partnerId(p.get("dev"));
        String dev = apiToken(p.get("dev"));
        String grant = request(dev, "manual/audited", "send").expect(201).data().path("id").asText();
        Http.keycloak().postJson(adm("/grants/" + grant + "/approve"), admin(), Map.of()).expect(200);
        String promotionId = Http.keycloak().postJson(me("/promotion"), dev, Map.of()).expect(201).data().path("id").asText();
        Http.keycloak().postJson(adm("/promotions/" + promotionId + "/deny"), admin(), Map.of("reason", "not yet")).expect(200);

        Map<String, String> actors = new LinkedHashMap<>();
        for (JsonNode event : KeycloakApi.adminEvents(realm)) {
            String path = event.path("resourcePath").asText();
            if (path.startsWith("ensync/partners/" + id + "/") && (path.contains("/grants/") || path.contains("/promotions/"))) {
                actors.put(event.path("resourceType").asText() + " " + event.path("operationType").asText() + " "
                        + path.substring(path.lastIndexOf('/') + 1), event.path("details").path("principal").asText());
            }
        }
        assertEquals("partner", actors.get("ENSYNC_GRANT CREATE " + grant), actors.toString());
        assertEquals("admin", actors.get("ENSYNC_GRANT ACTION " + grant), actors.toString());
        assertEquals("partner", actors.get("ENSYNC_PROMOTION CREATE " + promotionId), actors.toString());
        assertEquals("admin", actors.get("ENSYNC_PROMOTION ACTION " + promotionId), actors.toString());
    }

    /** The same Idempotency-Key sent concurrently creates one partner; every answer names it (or says to retry). */
    @Test
    void concurrentRequestsWithOneIdempotencyKeyCreateOnePartner() throws Exception {
        JsonNode integration = Ensync.createIntegration(realm, catalog("idempotent"));
        String integrationKey = integration.path("key").asText();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<Http.Response>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(pool.submit(() -> {
                start.await();
                return Http.keycloak().request("POST", Ensync.externalBase(realm) + "/partner").bearer(integrationKey)
                        .header("Idempotency-Key", "same-order").json(Map.of("appName", "Twin")).send();
            }));
        }
        start.countDown();
        Set<String> ids = new HashSet<>();
        for (Future<Http.Response> answer : answers) {
            Http.Response response = answer.get();
            if (response.status() == 409) {
                assertError(response, 409, "idempotency_conflict", null);
            } else {
                JsonNode data = response.expect(201).data();
                SecretLedger.record(Ensync.linkIdOf(data.path("url").asText()));
                ids.add(data.path("id").asText());
            }
        }
        pool.shutdown();
        assertEquals(1, ids.size(), "one partner in every answer: " + ids);
        assertEquals(List.copyOf(ids), Ensync.names(Http.keycloak().get(adm("/partners?integration=" + integration.path("id").asText()),
                admin()).expect(200).data(), "id"));
    }

    /** After 24 hours the same Idempotency-Key creates a new partner. */
    @Test
    void anIdempotencyKeyOlderThan24HoursCreatesANewPartner() throws Exception {
        Assumptions.assumeTrue(KeycloakServer.get().db().equals("postgres"),
                "ages the idempotency row in PostgreSQL directly (the embedded H2 file is locked by the server)");
        JsonNode integration = Ensync.createIntegration(realm, catalog("idempotent-old"));
        String integrationKey = integration.path("key").asText();
        Http.Response first = Http.keycloak().request("POST", Ensync.externalBase(realm) + "/partner").bearer(integrationKey)
                .header("Idempotency-Key", "old-order").json(Map.of("appName", "Old")).send().expect(201);
        SecretLedger.record(Ensync.linkIdOf(first.data().path("url").asText()));
        try (java.sql.Connection c = Database.connect();
             java.sql.PreparedStatement update = c.prepareStatement(
                     "UPDATE ENSYNC_IDEMPOTENCY SET CREATED_AT = CREATED_AT - ? WHERE INTEGRATION_ID = ?")) {
            update.setLong(1, 24 * 3600 * 1000L + 60_000L);
            update.setString(2, integration.path("id").asText());
            assertEquals(1, update.executeUpdate());
        }
        Http.Response second = Http.keycloak().request("POST", Ensync.externalBase(realm) + "/partner").bearer(integrationKey)
                .header("Idempotency-Key", "old-order").json(Map.of("appName", "Old")).send().expect(201);
        SecretLedger.record(Ensync.linkIdOf(second.data().path("url").asText()));
        assertFalse(first.data().path("id").asText().equals(second.data().path("id").asText()), "a new partner");
    }

    /** Integration keys and link ids are stored only as hashes: no row of their tables holds the value itself. */
    @Test
    void keysAndLinkIdsAreStoredOnlyAsHashes() throws Exception {
        Assumptions.assumeTrue(KeycloakServer.get().db().equals("postgres"), "reads the PostgreSQL rows directly");
        JsonNode integration = Ensync.createIntegration(realm, catalog("hashed"));
        String integrationKey = integration.path("key").asText();
        String linkId = Ensync.linkIdOf(Ensync.createPartner(realm, integrationKey).path("url").asText());
        List<String> found = new ArrayList<>();
        try (java.sql.Connection c = Database.connect()) {
            for (String table : List.of("ENSYNC_INTEGRATION_KEY", "ENSYNC_LINK", "ENSYNC_IDEMPOTENCY", "ENSYNC_PARTNER", "ENSYNC_INTEGRATION")) {
                try (java.sql.ResultSet rows = c.createStatement().executeQuery("SELECT * FROM " + table)) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int i = 1; i <= columns; i++) {
                            String value = rows.getString(i);
                            if (value != null && (value.contains(integrationKey) || value.contains(linkId)
                                    || value.contains(integrationKey.substring(integrationKey.length() - 20)))) {
                                found.add(table + "." + rows.getMetaData().getColumnName(i));
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

    /** The PostgreSQL database of this test run. */
    private static final class Database {
        static java.sql.Connection connect() throws java.sql.SQLException {
            return java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/"
                    + System.getProperty("ensync.it.pgDatabase", "ensync_it"), "postgres", "postgres");
        }
    }
}
