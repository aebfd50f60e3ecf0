package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.BrowserScript;
import io.ensync.keycloak.it.support.ClientKey;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import io.ensync.keycloak.it.support.SecretLedger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.ensync.keycloak.it.support.Ensync.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Credentials without shared secrets (SPEC §14): a partner registers its public keys and authenticates its client
 * with a signed JWT (RFC 7523, {@code private_key_jwt}) at Keycloak's standard token endpoint; its secret stops
 * working; keys roll without a failed request; removing them gives a fresh secret; keys can be given at redemption;
 * bad keys are refused with the member at fault and change nothing. The assertions are made with the JDK alone, and
 * once more by openid-client, a client library nobody here wrote.
 */
@ExtendWith(KeycloakExtension.class)
class PartnerKeysIT {

    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static String realm;
    private static String key;

    @BeforeAll
    static void setUp() {
        realm = KeycloakApi.createRealm();
        Http.keycloak().putJson("/admin/realms/" + realm, KeycloakApi.adminToken(),
                Map.of("adminEventsEnabled", true, "adminEventsDetailsEnabled", true)).expect(204);
        key = Ensync.createIntegration(realm, Map.of("name", "keys", "environments", List.of("dev", "stage"),
                "secretPolicy", Map.of("maxAgeDays", Map.of("dev", 30)))).path("key").asText();
    }

    // ---- the flow with keys made and signed here --------------------------------------------------------------------

    @Test
    void aPartnerRegistersAnEcAndAnRsaKeyAndItsSecretStopsWorking() {
        Partner p = partner();
        ClientKey ec = ClientKey.ec();
        ClientKey rsa = ClientKey.rsa(2048);
        JsonNode registered = putKeys(p.apiToken(), ec, rsa).expect(200).data();
        assertEquals("private_key_jwt", registered.path("authMethod").asText());
        assertEquals(List.of(ec.kid(), rsa.kid()), Ensync.names(registered.path("keys"), "kid"));
        assertEquals(List.of("ES256", "RS256"), Ensync.names(registered.path("keys"), "alg"));
        assertEquals(List.of("EC", "RSA"), Ensync.names(registered.path("keys"), "kty"));
        assertEquals(2048, registered.path("keys").get(1).path("bits").asInt());
        assertNoKeyMaterial(registered);

        // Both keys get tokens at the standard token endpoint, the default one and the partner API's.
        String fromEc = tokenWith(p.clientId(), ec, null).expect(200).path("access_token").asText();
        assertFalse(fromEc.isEmpty());
        String api = tokenWith(p.clientId(), rsa, Ensync.PARTNER_API_SCOPE).expect(200).path("access_token").asText();

        // The secret is refused, and so is an assertion signed with a key the partner never registered.
        assertInvalidClient(KeycloakApi.clientCredentialsToken(realm, p.clientId(), p.secret()), NO_ASSERTION);
        assertInvalidClient(tokenWith(p.clientId(), ClientKey.ec(), null), UNKNOWN_KEY);
        assertInvalidClient(tokenWith(p.clientId(), ClientKey.rsa(2048), null), UNKNOWN_KEY);
        // Signed with another key under a registered kid: the signature does not verify.
        assertInvalidClient(tokenWithAssertion(p.clientId(), ClientKey.ec(ec.kid()).assertion(p.clientId(), tokenUrl())),
                "Client authentication with signed JWT failed: Signature on JWT token failed validation");

        // What the partner and the admin see: the method and the keys' ids and algorithms; no secret age.
        JsonNode me = Http.keycloak().get(Ensync.partnerApiBase(realm) + "/me", api).expect(200).data();
        JsonNode dev = me.path("environments").get(0);
        assertEquals("private_key_jwt", dev.path("authMethod").asText());
        assertEquals(List.of(ec.kid(), rsa.kid()), Ensync.names(dev.path("keys"), "kid"));
        assertTrue(dev.path("secretCreatedAt").isMissingNode() && dev.path("secretExpiresAt").isMissingNode(), dev::toString);
        assertNoKeyMaterial(me);
        JsonNode admin = Http.keycloak().get(Ensync.adminBase(realm) + "/partners/" + p.id(), KeycloakApi.adminToken())
                .expect(200).data().path("environments");
        assertEquals("private_key_jwt", admin.get(0).path("authMethod").asText());
        assertEquals("client_secret", admin.get(1).path("authMethod").asText());
        assertEquals(List.of(ec.kid(), rsa.kid()), Ensync.names(admin.get(0).path("keys"), "kid"));
        JsonNode external = Http.keycloak().get(Ensync.externalBase(realm) + "/partner/" + p.id(), key)
                .expect(200).data().path("environments");
        assertEquals("private_key_jwt", external.get(0).path("authMethod").asText());
        assertNoKeyMaterial(admin);
        assertNoKeyMaterial(external);

        // No secret to rotate.
        assertError(Http.keycloak().postJson(Ensync.partnerApiBase(realm) + "/me/secret", api, Map.of("revokePrevious", true)),
                409, "credentials_are_keys", null);
        // Audited as ENSYNC_SECRET, naming the keys by kid/kty/alg only.
        JsonNode event = secretEvents(p.id()).get(0);
        assertEquals("CREATE", event.path("operationType").asText());
        assertTrue(event.path("resourcePath").asText().endsWith("/environments/dev/keys"), event::toString);
        JsonNode representation = read(event.path("representation").asText());
        assertEquals(List.of(ec.kid(), rsa.kid()), Ensync.names(representation.path("keys"), "kid"));
        assertNoKeyMaterial(representation);
    }

    @Test
    void aReplayedAssertionIsRefused() {
        Partner p = partner();
        ClientKey ec = ClientKey.ec();
        putKeys(p.apiToken(), ec).expect(200);
        String assertion = ec.assertion(p.clientId(), tokenUrl());
        tokenWithAssertion(p.clientId(), assertion).expect(200);
        assertInvalidClient(tokenWithAssertion(p.clientId(), assertion), REPLAYED);
        // A fresh jti works again.
        tokenWith(p.clientId(), ec, null).expect(200);
    }

    @Test
    void keysRollWithoutAFailedRequest() {
        Partner p = partner();
        ClientKey first = ClientKey.rsa(2048);
        ClientKey second = ClientKey.ec();
        putKeys(p.apiToken(), first).expect(200);
        String api = tokenWith(p.clientId(), first, Ensync.PARTNER_API_SCOPE).expect(200).path("access_token").asText();

        // Register both: the first keeps working while the second is deployed.
        putKeys(api, first, second).expect(200);
        for (int i = 0; i < 3; i++) {
            tokenWith(p.clientId(), first, null).expect(200);
        }
        // Switch signing to the second key, then remove the first: no request fails on the way.
        for (int i = 0; i < 3; i++) {
            tokenWith(p.clientId(), second, null).expect(200);
        }
        String api2 = tokenWith(p.clientId(), second, Ensync.PARTNER_API_SCOPE).expect(200).path("access_token").asText();
        JsonNode after = putKeys(api2, second).expect(200).data();
        assertEquals(List.of(second.kid()), Ensync.names(after.path("keys"), "kid"));
        tokenWith(p.clientId(), second, null).expect(200);
        assertInvalidClient(tokenWith(p.clientId(), first, null), UNKNOWN_KEY);
        JsonNode event = secretEvents(p.id()).get(0);
        assertEquals("UPDATE", event.path("operationType").asText());
    }

    @Test
    void removingTheKeysGivesAWorkingSecretShownOnce() {
        Partner p = partner();
        ClientKey ec = ClientKey.ec();
        putKeys(p.apiToken(), ec).expect(200);
        String api = tokenWith(p.clientId(), ec, Ensync.PARTNER_API_SCOPE).expect(200).path("access_token").asText();

        JsonNode issued = Http.keycloak().delete(Ensync.partnerApiBase(realm) + "/me/keys", api).expect(200).data();
        String secret = issued.path("clientSecret").asText();
        SecretLedger.record(secret);
        assertEquals("client_secret", issued.path("authMethod").asText());
        assertEquals(p.clientId(), issued.path("clientId").asText());
        assertFalse(issued.path("secretExpiresAt").isMissingNode(), "dev's maxAgeDays applies to the new secret: " + issued);
        assertFalse(secret.isEmpty() || secret.equals(p.secret()));

        KeycloakApi.clientCredentialsToken(realm, p.clientId(), secret).expect(200);
        assertSecretClientRefused(KeycloakApi.clientCredentialsToken(realm, p.clientId(), p.secret()), "unauthorized_client");
        assertSecretClientRefused(tokenWith(p.clientId(), ec, null), "invalid_client");
        String fresh = Ensync.partnerApiToken(realm, Http.JSON.createObjectNode().put("clientId", p.clientId()).put("clientSecret", secret));
        JsonNode status = Http.keycloak().get(Ensync.partnerApiBase(realm) + "/me/keys", fresh).expect(200).data();
        assertEquals("client_secret", status.path("authMethod").asText());
        assertEquals(0, status.path("keys").size());
        assertFalse(status.toString().contains(secret), "the secret is shown once");
        assertError(Http.keycloak().delete(Ensync.partnerApiBase(realm) + "/me/keys", fresh), 409, "no_keys", null);
        assertEquals("DELETE", secretEvents(p.id()).get(0).path("operationType").asText());
        assertFalse(KeycloakApi.adminEvents(realm).toString().contains(secret));
    }

    // ---- keys at redemption ---------------------------------------------------------------------------------------

    @Test
    void redemptionWithAJwksIssuesNoSecretAndTheKeyWorksAtOnce() {
        ClientKey ec = ClientKey.ec();
        String url = Ensync.createPartner(realm, key).path("url").asText();
        Http.Response answer = redeemWith(url, Map.of("jwks", Map.of("keys", List.of(ec.publicJwk())))).expect(200);
        for (JsonNode env : answer.data().path("environments")) {
            assertTrue(env.path("clientSecret").isMissingNode(), env::toString);
            assertEquals("private_key_jwt", env.path("authMethod").asText());
            tokenWith(env.path("clientId").asText(), ec, null).expect(200);
        }
    }

    @Test
    void redemptionWithKeysForOneEnvironmentGivesTheOthersASecret() {
        ClientKey rsa = ClientKey.rsa(2048);
        String url = Ensync.createPartner(realm, key).path("url").asText();
        Http.Response answer = redeemWith(url, Map.of("environments", Map.of("stage", Map.of("jwks",
                Map.of("keys", List.of(rsa.publicJwk())))))).expect(200);
        JsonNode dev = answer.data().path("environments").get(0);
        JsonNode stage = answer.data().path("environments").get(1);
        assertEquals("client_secret", dev.path("authMethod").asText());
        assertFalse(dev.path("clientSecret").asText().isEmpty());
        KeycloakApi.clientCredentialsToken(realm, dev.path("clientId").asText(), dev.path("clientSecret").asText()).expect(200);
        assertEquals("private_key_jwt", stage.path("authMethod").asText());
        assertTrue(stage.path("clientSecret").isMissingNode(), stage::toString);
        tokenWith(stage.path("clientId").asText(), rsa, null).expect(200);
    }

    @Test
    void aBadJwksAtRedemptionIsRefusedAndLeavesTheLinkUnused() {
        ClientKey ec = ClientKey.ec();
        String url = Ensync.createPartner(realm, key).path("url").asText();
        assertError(redeemWith(url, Map.of("jwks", Map.of("keys", List.of(ec.privateJwk())))), 400, "private_key", "jwks.keys[0].d");
        assertError(redeemWith(url, Map.of("environments", Map.of("prod", Map.of("jwks", Map.of("keys", List.of(ec.publicJwk())))))),
                400, "invalid_value", "environments.prod");
        assertError(redeemWith(url, Map.of("environments", Map.of("stage", Map.of("jwks", Map.of("keys",
                List.of(ClientKey.rsa(1024).publicJwk())))))), 400, "weak_key", "environments.stage.jwks.keys[0].n");
        assertError(redeemWith(url, Map.of("jwks", Map.of("keys", List.of(ec.publicJwk()), "extra", 1))), 400, "unknown_field", "jwks.extra");
        redeemWith(url, Map.of("jwks", Map.of("keys", List.of(ec.publicJwk())))).expect(200);
    }

    // ---- bad keys -------------------------------------------------------------------------------------------------

    @Test
    void badKeysAreRefusedNamingTheMemberAndChangeNothing() {
        Partner p = partner();
        ClientKey good = ClientKey.ec();
        Map<String, Object> rsaJwk = ClientKey.rsa(2048).publicJwk();
        Map<String, Object> oct = new LinkedHashMap<>(Map.of("kty", "oct", "k", "c2VjcmV0LXNlY3JldC1zZWNyZXQ"));
        Map<String, Object> octNoK = new LinkedHashMap<>(Map.of("kty", "oct", "kid", "shared"));
        Map<String, Object> malformedN = with(rsaJwk, "n", "not+base64/url==");
        Map<String, Object> offCurve = with(good.publicJwk(), "y", good.publicJwk().get("x"));
        Map<String, Object> shortX = with(good.publicJwk(), "x", "AQAB");
        record Case(Object body, String code, String field) {
        }
        List<Case> cases = List.of(
                new Case(Map.of("keys", List.of(good.publicJwk(), ClientKey.rsa(2048).privateJwk())), "private_key", "keys[1].d"),
                new Case(Map.of("keys", List.of(good.privateJwk())), "private_key", "keys[0].d"),
                new Case(Map.of("keys", List.of(oct)), "private_key", "keys[0].k"),
                new Case(Map.of("keys", List.of(octNoK)), "symmetric_key", "keys[0].kty"),
                new Case(Map.of("keys", List.of(ClientKey.rsa(1024).publicJwk())), "weak_key", "keys[0].n"),
                new Case(Map.of("keys", List.of(ClientKey.onCurve("secp384r1").publicJwk())), "unsupported_curve", "keys[0].crv"),
                new Case(Map.of("keys", List.of(with(good.publicJwk(), "crv", "P-192"))), "unsupported_curve", "keys[0].crv"),
                new Case(Map.of("keys", List.of(malformedN)), "invalid_key", "keys[0].n"),
                new Case(Map.of("keys", List.of(offCurve)), "invalid_key", "keys[0].y"),
                new Case(Map.of("keys", List.of(shortX)), "invalid_key", "keys[0].x"),
                new Case(Map.of("keys", List.of(with(rsaJwk, "alg", "HS256"))), "invalid_value", "keys[0].alg"),
                new Case(Map.of("keys", List.of(with(rsaJwk, "use", "enc"))), "invalid_value", "keys[0].use"),
                new Case(Map.of("keys", List.of(without(rsaJwk, "e"))), "missing_field", "keys[0].e"),
                new Case(Map.of("keys", List.of(with(rsaJwk, "kty", "OKP"))), "unsupported_key_type", "keys[0].kty"),
                new Case(Map.of("keys", List.of(with(rsaJwk, "foo", "bar"))), "unknown_field", "keys[0].foo"),
                new Case(Map.of("keys", List.of(good.publicJwk(), good.publicJwk())), "duplicate_key", "keys[1]"),
                new Case(Map.of("keys", List.of(good.publicJwk(), with(rsaJwk, "kid", good.kid()))), "duplicate_key_id", "keys[1].kid"),
                new Case(Map.of("keys", List.of(good.publicJwk(), rsaJwk, ClientKey.ec().publicJwk())), "too_many_keys", "keys"),
                new Case(Map.of("keys", List.of()), "invalid_value", "keys"),
                new Case(Map.of("keys", "not a list"), "invalid_type", "keys"),
                new Case(Map.of("keys", List.of("a string")), "invalid_type", "keys[0]"),
                new Case(Map.of(), "missing_field", "keys"),
                new Case(Map.of("jwksUrl", "https://keys.example.com/jwks.json"), "jwks_url_not_allowed", "jwksUrl"),
                new Case(Map.of("keys", List.of(good.publicJwk()), "jwksUrl", "https://keys.example.com/jwks.json"), "invalid_value", "jwksUrl"),
                new Case(Map.of("kty", "EC"), "unknown_field", "kty"));
        String path = Ensync.partnerApiBase(realm) + "/me/keys";
        for (Case c : cases) {
            Http.Response response = Http.keycloak().putJson(path, p.apiToken(), c.body());
            assertError(response, 400, c.code(), c.field());
            assertFalse(response.body().contains("\"d\""), response::toString);
        }
        // Nothing changed: still a secret, and the secret works.
        JsonNode status = Http.keycloak().get(path, p.apiToken()).expect(200).data();
        assertEquals("client_secret", status.path("authMethod").asText());
        KeycloakApi.clientCredentialsToken(realm, p.clientId(), p.secret()).expect(200);
        assertTrue(secretEvents(p.id()).isEmpty(), "a refused change records nothing");

        // With keys registered, a refused change keeps them.
        putKeys(p.apiToken(), good).expect(200);
        String api = tokenWith(p.clientId(), good, Ensync.PARTNER_API_SCOPE).expect(200).path("access_token").asText();
        assertError(Http.keycloak().putJson(path, api, Map.of("keys", List.of(ClientKey.rsa(1024).publicJwk()))), 400, "weak_key", "keys[0].n");
        assertEquals(List.of(good.kid()), Ensync.names(Http.keycloak().get(path, api).expect(200).data().path("keys"), "kid"));
        tokenWith(p.clientId(), good, null).expect(200);
    }

    @Test
    void aKeyWithoutKidGetsItsThumbprint() {
        Partner p = partner();
        ClientKey ec = ClientKey.ec();
        JsonNode registered = Http.keycloak().putJson(Ensync.partnerApiBase(realm) + "/me/keys", p.apiToken(),
                Map.of("keys", List.of(without(ec.publicJwk(), "kid")))).expect(200).data();
        String kid = registered.path("keys").get(0).path("kid").asText();
        assertEquals(43, kid.length(), "an RFC 7638 SHA-256 thumbprint: " + kid);
    }

    // ---- a JWKS URL, where the integration allows it ----------------------------------------------------------------

    @Test
    void aJwksUrlIsTakenOnlyOnAnAllowedHttpsHost() {
        String admin = KeycloakApi.adminToken();
        for (Object bad : List.of("http://keys.example", "10.0.0.1", "localhost", "keys.example:443", "Keys.Example", "*.example")) {
            assertError(Http.keycloak().postJson(Ensync.adminBase(realm) + "/integrations", admin,
                    Map.of("name", "urls-" + bad.hashCode(), "jwksUrlHosts", List.of("keys.partner.example", bad))),
                    400, "invalid_value", "jwksUrlHosts[1]");
        }
        JsonNode integration = Ensync.createIntegration(realm, Map.of("name", "urls", "jwksUrlHosts", List.of("keys.partner.example")));
        assertEquals("[\"keys.partner.example\"]", integration.path("jwksUrlHosts").toString());
        JsonNode created = Ensync.createPartner(realm, integration.path("key").asText());
        JsonNode dev = Ensync.redeemOk(realm, created.path("url").asText()).get("dev");
        String api = Ensync.partnerApiToken(realm, dev);
        String path = Ensync.partnerApiBase(realm) + "/me/keys";

        assertError(Http.keycloak().putJson(path, api, Map.of("jwksUrl", "https://elsewhere.example/jwks.json")),
                400, "jwks_url_not_allowed", "jwksUrl");
        assertError(Http.keycloak().putJson(path, api, Map.of("jwksUrl", "http://keys.partner.example/jwks.json")),
                400, "invalid_value", "jwksUrl");
        assertError(Http.keycloak().putJson(path, api, Map.of("jwksUrl", "https://user@keys.partner.example/jwks.json")),
                400, "invalid_value", "jwksUrl");
        KeycloakApi.clientCredentialsToken(realm, dev.path("clientId").asText(), dev.path("clientSecret").asText()).expect(200);

        JsonNode registered = Http.keycloak().putJson(path, api, Map.of("jwksUrl", "https://keys.partner.example/ensync/jwks.json"))
                .expect(200).data();
        assertEquals("private_key_jwt", registered.path("authMethod").asText());
        assertEquals("https://keys.partner.example/ensync/jwks.json", registered.path("jwksUrl").asText());
        assertEquals(0, registered.path("keys").size());
        assertInvalidClient(KeycloakApi.clientCredentialsToken(realm, dev.path("clientId").asText(), dev.path("clientSecret").asText()),
                NO_ASSERTION);
        JsonNode me = Http.keycloak().get(Ensync.partnerApiBase(realm) + "/me", api).expect(200).data().path("environments").get(0);
        assertEquals("https://keys.partner.example/ensync/jwks.json", me.path("jwksUrl").asText());
    }

    // ---- a client library nobody here wrote -----------------------------------------------------------------------

    @Test
    void openidClientGetsTokensWithPrivateKeyJwt() throws Exception {
        Partner p = partner();
        ClientKey ec = ClientKey.ec();
        ClientKey rsa = ClientKey.rsa(2048);
        putKeys(p.apiToken(), ec, rsa).expect(200);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("issuer", KeycloakServer.get().baseUrl() + "/realms/" + realm);
        config.put("clientId", p.clientId());
        config.put("scope", Ensync.PARTNER_API_SCOPE);
        config.put("keys", List.of(ec.privateJwk(), rsa.privateJwk()));
        config.put("unregistered", ClientKey.ec().privateJwk());
        config.put("clientSecret", p.secret());
        JsonNode result = BrowserScript.node("private-key-jwt.test.mjs", "ENSYNC_KEYS_TEST", config, "private-key-jwt-test");

        List<String> tokens = new ArrayList<>();
        result.path("tokens").forEach(t -> tokens.add(t.asText()));
        assertEquals(2, tokens.size(), result::toString);
        for (String token : tokens) {
            JsonNode me = Http.keycloak().get(Ensync.partnerApiBase(realm) + "/me/keys", token).expect(200).data();
            assertEquals("private_key_jwt", me.path("authMethod").asText());
        }
        assertEquals("invalid_client", result.path("unregisteredError").asText(), result::toString);
        assertEquals("invalid_client", result.path("secretError").asText(), result::toString);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private record Partner(String id, String clientId, String secret, String apiToken) {
    }

    /** A partner onboarded with secrets; its dev credentials and a partner-API token of dev. */
    private static Partner partner() {
        JsonNode created = Ensync.createPartner(realm, key);
        JsonNode dev = Ensync.redeemOk(realm, created.path("url").asText()).get("dev");
        return new Partner(created.path("id").asText(), dev.path("clientId").asText(), dev.path("clientSecret").asText(),
                Ensync.partnerApiToken(realm, dev));
    }

    private static Http.Response putKeys(String token, ClientKey... keys) {
        List<Object> jwks = new ArrayList<>();
        for (ClientKey k : keys) {
            jwks.add(k.publicJwk());
        }
        return Http.keycloak().putJson(Ensync.partnerApiBase(realm) + "/me/keys", token, Map.of("keys", jwks));
    }

    private static Http.Response redeemWith(String url, Object body) {
        Http.Response response = Http.keycloak().postJson(Ensync.partnerApiBase(realm) + "/links/" + Ensync.linkIdOf(url) + "/redeem",
                null, body);
        if (response.status() == 200) {
            response.data().path("environments").forEach(env -> {
                if (env.has("clientSecret")) {
                    SecretLedger.record(env.path("clientSecret").asText());
                }
            });
        }
        return response;
    }

    private static String tokenUrl() {
        return KeycloakServer.get().baseUrl() + KeycloakApi.tokenPath(realm);
    }

    private static Http.Response tokenWith(String clientId, ClientKey signer, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_assertion_type", JWT_BEARER);
        form.put("client_assertion", signer.assertion(clientId, tokenUrl()));
        if (scope != null) {
            form.put("scope", scope);
        }
        return Http.keycloak().postForm(KeycloakApi.tokenPath(realm), form);
    }

    private static Http.Response tokenWithAssertion(String clientId, String assertion) {
        return Http.keycloak().postForm(KeycloakApi.tokenPath(realm), Map.of(
                "grant_type", "client_credentials",
                "client_assertion_type", JWT_BEARER,
                "client_assertion", assertion));
    }

    /**
     * Keycloak's answer to a client on the signed-JWT authenticator that fails to authenticate: {@code 400
     * invalid_client} (RFC 6749 §5.2 allows 400 where no Authorization header was sent) with Keycloak's reason.
     */
    private static void assertInvalidClient(Http.Response response, String reason) {
        assertEquals(400, response.status(), response::toString);
        assertEquals("invalid_client", response.path("error").asText(), response::toString);
        assertEquals(reason, response.path("error_description").asText(), response::toString);
        assertTrue(response.path("access_token").isMissingNode(), response::toString);
    }

    /**
     * Keycloak's answer to a client on a secret that fails to authenticate: 401, {@code unauthorized_client} for a
     * wrong secret, {@code invalid_client} for an assertion (no authenticator of the client takes it).
     */
    private static void assertSecretClientRefused(Http.Response response, String error) {
        assertEquals(401, response.status(), response::toString);
        assertEquals(error, response.path("error").asText(), response::toString);
        assertEquals("Invalid client or Invalid client credentials", response.path("error_description").asText(), response::toString);
        assertTrue(response.path("access_token").isMissingNode(), response::toString);
    }

    private static final String NO_ASSERTION = "Parameter client_assertion_type is missing";
    private static final String UNKNOWN_KEY = "Unable to load public key";
    private static final String REPLAYED = "Token reuse detected";

    /** The partner's ENSYNC_SECRET events about keys, newest first. */
    private static List<JsonNode> secretEvents(String partnerId) {
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode event : KeycloakApi.adminEvents(realm)) {
            if ("ENSYNC_SECRET".equals(event.path("resourceType").asText())
                    && event.path("resourcePath").asText().startsWith("ensync/partners/" + partnerId + "/environments/")
                    && event.path("resourcePath").asText().endsWith("/keys")) {
                events.add(event);
            }
        }
        return events;
    }

    /** No public or private key member anywhere: only kid, kty, alg, crv and bits are shown of a key. */
    private static void assertNoKeyMaterial(JsonNode node) {
        for (String member : List.of("\"n\"", "\"e\"", "\"x\"", "\"y\"", "\"d\"", "\"k\"", "clientSecret")) {
            assertFalse(node.toString().contains(member + ":"), () -> member + " in " + node);
        }
    }

    private static JsonNode read(String json) {
        try {
            return Http.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Object> with(Map<String, Object> jwk, String member, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(jwk);
        copy.put(member, value);
        return copy;
    }

    private static Map<String, Object> without(Map<String, Object> jwk, String member) {
        Map<String, Object> copy = new LinkedHashMap<>(jwk);
        copy.remove(member);
        return copy;
    }
}
