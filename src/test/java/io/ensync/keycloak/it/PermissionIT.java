package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.BrokerCheck;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.Invariants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.authorization.client.AuthorizationDeniedException;
import org.keycloak.authorization.client.AuthzClient;
import org.keycloak.authorization.client.Configuration;
import org.keycloak.representations.idm.authorization.AuthorizationRequest;
import org.keycloak.representations.idm.authorization.Permission;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.ensync.keycloak.it.support.Ensync.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Topic permissions (SPEC §8): catalog, requests, decisions, token claim, UMA, promotion. */
@ExtendWith(KeycloakExtension.class)
class PermissionIT {

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
        key = Ensync.createIntegration(realm, Map.of("name", "events", "topics", List.of(
                Map.of("pattern", "app/order/*", "send", true, "receive", true, "autoApprove", List.of("dev", "stage")),
                Map.of("pattern", "app/payment/*", "send", true, "autoApprove", List.of()),
                Map.of("pattern", "bulk/*", "send", true, "receive", true, "autoApprove", List.of("dev"))))).path("key").asText();
    }

    /** A redeemed partner: its credentials per environment. */
    private static Map<String, JsonNode> partner() {
        return Ensync.redeemOk(realm, Ensync.createPartner(realm, key).path("url").asText());
    }

    private static String token(JsonNode env) {
        return token(realm, env);
    }

    /** The partner-API token of an environment: for /me…, never for the broker. */
    private static String api(JsonNode env) {
        return Ensync.partnerApiToken(realm, env);
    }

    /** The default token of an environment: what the broker gets (claim, audience, UMA). */
    private static String token(String realmName, JsonNode env) {
        return KeycloakApi.clientCredentialsToken(realmName, env.path("clientId").asText(), env.path("clientSecret").asText())
                .expect(200).json().path("access_token").asText();
    }

    private static Http.Response request(String token, String topic, String... scopes) {
        return Http.keycloak().postJson(Ensync.partnerApiBase(realm) + "/me/grants", token, Map.of("topic", topic, "scopes", List.of(scopes)));
    }

    /** Keycloak's UMA answer for the token, through the official authz client: resource name → scopes. */
    private static Map<String, List<String>> uma(String token, String env) {
        AuthzClient authz = AuthzClient.create(new Configuration(Http.keycloak().baseUrl(), realm, "ensync-broker-" + env,
                Map.of("secret", ""), null));
        AuthorizationRequest request = new AuthorizationRequest();
        Map<String, List<String>> result = new TreeMap<>();
        try {
            for (Permission permission : authz.authorization(token).getPermissions(request)) {
                List<String> scopes = new ArrayList<>(permission.getScopes());
                scopes.sort(null);
                result.put(permission.getResourceName(), scopes);
            }
        } catch (AuthorizationDeniedException denied) {
            return result;
        }
        return result;
    }

    /**
     * The first grants of a fresh realm race to make the broker client, the topic's resource and each partner client's
     * policy, and each partner's two requests race for its claim: every request gets its grant, each shared object
     * exists once, and every token carries both of its partner's grants.
     */
    @Test
    void concurrentFirstGrantsShareTheBrokerAndTheTopicResource() throws Exception {
        String fresh = KeycloakApi.createRealm();
        String freshKey = Ensync.createIntegration(fresh, Map.of("name", "race", "topics", List.of(
                Map.of("pattern", "app/order/*", "send", true, "receive", true, "autoApprove", List.of("dev"))))).path("key").asText();
        List<JsonNode> devs = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            devs.add(Ensync.redeemOk(fresh, Ensync.createPartner(fresh, freshKey).path("url").asText()).get("dev"));
            tokens.add(Ensync.partnerApiToken(fresh, devs.get(i)));
        }
        // Each partner asks for the same new topic and one of its own at once: 12 requests, all released together.
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<Http.Response>> answers = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            for (String topic : List.of("app/order/created", "app/order/p" + i)) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return Http.keycloak().postJson(Ensync.partnerApiBase(fresh) + "/me/grants", token,
                            Map.of("topic", topic, "scopes", List.of("send")));
                }));
            }
        }
        start.countDown();
        for (Future<Http.Response> answer : answers) {
            assertEquals("approved", answer.get().expect(201).data().path("status").asText());
        }
        pool.shutdown();

        String broker = KeycloakApi.clientUuid(fresh, "ensync-broker-dev");
        JsonNode resources = Http.keycloak().get("/admin/realms/" + fresh + "/clients/" + broker
                + "/authz/resource-server/resource?name=app/order/created&exactName=true", KeycloakApi.adminToken()).expect(200).json();
        assertEquals(1, resources.size(), "one resource for the shared topic");
        // Both of a partner's concurrent grants are in its next token: neither decision hid the other's.
        for (int i = 0; i < devs.size(); i++) {
            assertEquals(List.of("app/order/created", "app/order/p" + i),
                    Ensync.strings(Ensync.claims(token(fresh, devs.get(i))).path("ensync").path("send")));
        }
        Invariants.check(fresh);
    }

    @Test
    void anApprovedGrantIsInTheTokenAndInUma() {
        Map<String, JsonNode> p = partner();
        JsonNode granted = request(api(p.get("stage")), "app/order/*", "send").expect(201).data();
        assertEquals("approved", granted.path("status").asText(), "inside the catalog's auto-approval");

        String token = token(p.get("stage"));
        JsonNode claims = Ensync.claims(token);
        assertEquals(List.of("app/order/*"), Ensync.strings(claims.path("ensync").path("send")));
        assertEquals(List.of(), Ensync.strings(claims.path("ensync").path("receive")));
        assertEquals("stage", claims.path("ensync").path("env").asText());
        assertFalse(claims.path("ensync").path("partner").asText().isEmpty());
        assertEquals("ensync-broker-stage", claims.path("aud").asText(), "a broker token's audience is exactly the broker");
        assertEquals(Map.of("app/order/*", List.of("send")), uma(token, "stage"));

        // The dev token knows nothing of stage's grants.
        String devToken = token(p.get("dev"));
        assertEquals(List.of(), Ensync.strings(Ensync.claims(devToken).path("ensync").path("send")));
        assertEquals(Map.of(), uma(devToken, "dev"));
    }

    @Test
    void requestsOutsideTheCatalogAreRejected() {
        String token = api(partner().get("stage"));
        assertError(request(token, "app/shipping/created", "send"), 400, "not_in_catalog", "topic");
        assertError(request(token, "app/payment/created", "receive"), 400, "not_in_catalog", "topic");
        assertError(request(token, "*", "send"), 400, "not_in_catalog", "topic");
        assertError(request(token, "app//x", "send"), 400, "invalid_value", "topic");
        assertError(request(token, "app/order/created", "publish"), 400, "invalid_value", "scopes[0]");
        assertError(request(token, "app/order/created"), 400, "missing_field", "scopes");
        assertEquals(0, Http.keycloak().get(Ensync.partnerApiBase(realm) + "/me/grants", token).expect(200).data().size());
    }

    @Test
    void aPendingRequestIsNowhereUntilApprovedAndARevokedGrantIsGoneAtOnce() {
        Map<String, JsonNode> p = partner();
        JsonNode pending = request(api(p.get("stage")), "app/payment/created", "send").expect(201).data();
        assertEquals("pending", pending.path("status").asText());
        String before = token(p.get("stage"));
        assertEquals(List.of(), Ensync.strings(Ensync.claims(before).path("ensync").path("send")));
        assertEquals(Map.of(), uma(before, "stage"));

        String grantId = pending.path("id").asText();
        JsonNode listed = Http.keycloak().get(Ensync.adminBase(realm) + "/grants?status=pending&env=stage", KeycloakApi.adminToken()).expect(200).data();
        assertTrue(Ensync.names(listed, "id").contains(grantId));
        Http.keycloak().postJson(Ensync.adminBase(realm) + "/grants/" + grantId + "/approve", KeycloakApi.adminToken(), Map.of()).expect(200);
        String approved = token(p.get("stage"));
        assertEquals(List.of("app/payment/created"), Ensync.strings(Ensync.claims(approved).path("ensync").path("send")));
        assertEquals(Map.of("app/payment/created", List.of("send")), uma(approved, "stage"));

        Http.keycloak().delete(Ensync.adminBase(realm) + "/grants/" + grantId, KeycloakApi.adminToken()).expect(200);
        String revoked = token(p.get("stage"));
        assertEquals(List.of(), Ensync.strings(Ensync.claims(revoked).path("ensync").path("send")));
        assertEquals(Map.of(), uma(revoked, "stage"));
    }

    @Test
    void aDeniedRequestStaysOutAndThePartnerCanWithdraw() {
        Map<String, JsonNode> p = partner();
        String token = api(p.get("stage"));
        String pendingId = request(token, "app/payment/refunded", "send").expect(201).data().path("id").asText();
        JsonNode denied = Http.keycloak().postJson(Ensync.adminBase(realm) + "/grants/" + pendingId + "/deny", KeycloakApi.adminToken(),
                Map.of("reason", "not for this app")).expect(200).data();
        assertEquals("denied", denied.path("status").asText());
        assertEquals("not for this app", denied.path("reason").asText());
        String afterDenial = token(p.get("stage"));
        assertEquals(List.of(), Ensync.strings(Ensync.claims(afterDenial).path("ensync").path("send")), "a denied grant is not in the token");
        assertError(Http.keycloak().postJson(Ensync.adminBase(realm) + "/grants/" + pendingId + "/approve", KeycloakApi.adminToken(),
                Map.of()), 409, "grant_not_pending", null);

        String grantId = request(token, "app/order/created", "send", "receive").expect(201).data().path("id").asText();
        String withGrant = token(p.get("stage"));
        assertEquals(List.of("app/order/created"), Ensync.strings(Ensync.claims(withGrant).path("ensync").path("receive")));
        assertEquals(List.of("app/order/created"), Ensync.strings(Ensync.claims(withGrant).path("ensync").path("send")), "the denied grant is not in the token");
        assertEquals(Map.of("app/order/created", List.of("receive", "send")), uma(withGrant, "stage"), "nor in the UMA answer");
        Http.keycloak().delete(Ensync.partnerApiBase(realm) + "/me/grants/" + grantId, token).expect(200);
        assertEquals(List.of(), Ensync.strings(Ensync.claims(token(p.get("stage"))).path("ensync").path("receive")));
        // A dev token cannot withdraw a stage grant.
        String other = request(token, "app/order/updated", "send").expect(201).data().path("id").asText();
        assertError(Http.keycloak().delete(Ensync.partnerApiBase(realm) + "/me/grants/" + other, api(p.get("dev"))), 404, "not_found", null);
    }

    @Test
    void anotherPartnersTokenNeverShowsThem() {
        Map<String, JsonNode> first = partner();
        Map<String, JsonNode> second = partner();
        request(api(first.get("stage")), "app/order/*", "receive").expect(201);
        String secondToken = token(second.get("stage"));
        assertEquals(List.of(), Ensync.strings(Ensync.claims(secondToken).path("ensync").path("receive")));
        assertEquals(Map.of(), uma(secondToken, "stage"));
        assertEquals(0, Http.keycloak().get(Ensync.partnerApiBase(realm) + "/me/grants", api(second.get("stage"))).expect(200).data().size());
    }

    @Test
    void theExampleBrokerChecksTopicsFromTheTokenAlone() {
        Map<String, JsonNode> p = partner();
        request(api(p.get("stage")), "app/order/*", "send").expect(201);
        String token = token(p.get("stage"));
        BrokerCheck broker = BrokerCheck.forRealm(realm);
        assertTrue(broker.allows(token, "stage", "send", "app/order/created"));
        assertFalse(broker.allows(token, "stage", "send", "app/payment/created"));
        assertFalse(broker.allows(token, "stage", "receive", "app/order/created"));
        assertFalse(broker.allows(token, "prod", "send", "app/order/created"), "wrong audience");
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertFalse(broker.allows(tampered, "stage", "send", "app/order/created"), "bad signature");
    }

    @Test
    void promotionToProdOpensTheClientWithOnlyApprovedGrants() {
        Map<String, JsonNode> p = partner();
        JsonNode prod = p.get("prod");
        String stageToken = api(p.get("stage"));
        request(stageToken, "app/order/*", "send").expect(201);
        assertEquals("pending", request(stageToken, "app/payment/created", "send").expect(201).data().path("status").asText());
        assertTrue(KeycloakApi.clientCredentialsToken(realm, prod.path("clientId").asText(), prod.path("clientSecret").asText()).status() >= 400,
                "no prod token before promotion");

        JsonNode promotion = Http.keycloak().postJson(Ensync.partnerApiBase(realm) + "/me/promotion", stageToken, Map.of()).expect(201).data();
        assertEquals("pending", promotion.path("status").asText());
        assertEquals("prod", promotion.path("to").asText());
        assertError(Http.keycloak().postJson(Ensync.partnerApiBase(realm) + "/me/promotion", stageToken, Map.of()), 409, "promotion_pending", null);
        assertTrue(KeycloakApi.clientCredentialsToken(realm, prod.path("clientId").asText(), prod.path("clientSecret").asText()).status() >= 400,
                "still none while pending");

        JsonNode listed = Http.keycloak().get(Ensync.adminBase(realm) + "/promotions?status=pending", KeycloakApi.adminToken()).expect(200).data();
        assertTrue(Ensync.names(listed, "id").contains(promotion.path("id").asText()));
        Http.keycloak().postJson(Ensync.adminBase(realm) + "/promotions/" + promotion.path("id").asText() + "/approve",
                KeycloakApi.adminToken(), Map.of()).expect(200);

        String prodToken = token(prod);
        assertEquals(List.of("app/order/*"), Ensync.strings(Ensync.claims(prodToken).path("ensync").path("send")), "only the approved stage grant");
        assertEquals("prod", Ensync.claims(prodToken).path("ensync").path("env").asText());
        assertEquals(Map.of("app/order/*", List.of("send")), uma(prodToken, "prod"));
    }

    /**
     * The UMA answer is the approved set of the caller's own client in the broker's own environment, through
     * approvals, revocations and another partner's offboarding; a token of one environment gets nothing from the
     * broker of another, though the same patterns are approved there.
     */
    @Test
    void theUmaAnswerIsTheCallersApprovedSetOfThatEnvironment() {
        Map<String, JsonNode> p = partner();
        Map<String, JsonNode> other = partner();
        request(api(p.get("dev")), "app/order/created", "receive").expect(201);
        request(api(other.get("dev")), "app/order/*", "send", "receive").expect(201);
        request(api(other.get("stage")), "app/order/*", "send").expect(201);
        String stageApi = api(p.get("stage"));
        request(stageApi, "app/order/created", "send").expect(201);
        String pending = request(stageApi, "app/payment/created", "send").expect(201).data().path("id").asText();
        String revoked = request(stageApi, "app/order/shipped", "receive").expect(201).data().path("id").asText();
        Http.keycloak().delete(Ensync.adminBase(realm) + "/grants/" + revoked, KeycloakApi.adminToken()).expect(200);
        assertEquals(Map.of("app/order/created", List.of("send")), uma(token(p.get("stage")), "stage"));
        assertEquals(Map.of(), uma(token(p.get("stage")), "dev"), "a stage token at the dev broker");
        assertEquals(Map.of(), uma(token(p.get("dev")), "stage"), "a dev token at the stage broker");
        assertEquals(Map.of("app/order/created", List.of("receive")), uma(token(p.get("dev")), "dev"));

        Http.keycloak().postJson(Ensync.adminBase(realm) + "/grants/" + pending + "/approve", KeycloakApi.adminToken(), Map.of()).expect(200);
        String otherId = other.get("dev").path("clientId").asText().replaceAll("^ensync-|-dev$", "");
        Http.keycloak().delete(Ensync.adminBase(realm) + "/partners/" + otherId, KeycloakApi.adminToken()).expect(200);
        assertEquals(Map.of("app/order/created", List.of("send"), "app/payment/created", List.of("send")), uma(token(p.get("stage")), "stage"));
        assertEquals(401, KeycloakApi.clientCredentialsToken(realm, other.get("stage").path("clientId").asText(),
                other.get("stage").path("clientSecret").asText()).status(), "the offboarded partner gets no token to ask with");
    }

    @Test
    void fiftyGrantsTravelInTheToken() {
        Map<String, JsonNode> p = partner();
        String devToken = api(p.get("dev"));
        for (int i = 0; i < 50; i++) {
            request(devToken, "bulk/topic-" + i, "send").expect(201);
        }
        JsonNode claim = Ensync.claims(token(p.get("dev"))).path("ensync");
        assertEquals(50, claim.path("send").size());
        assertEquals(50, uma(token(p.get("dev")), "dev").size());
    }
}
