package io.ensync.keycloak.it.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The extension's APIs as the tests drive them, recording every secret they receive in the {@link SecretLedger}. */
public final class Ensync {

    public static final String PARTNER_API_SCOPE = "ensync-partner-api";

    private Ensync() {
    }

    public static String adminBase(String realm) {
        return "/admin/realms/" + realm + "/ensync";
    }

    public static String externalBase(String realm) {
        return "/realms/" + realm + "/ensync/api/v1/external";
    }

    public static String partnerApiBase(String realm) {
        return "/realms/" + realm + "/ensync/api/v1/partner";
    }

    /** An integration created by the master admin; answers {@code data} (with {@code key}). */
    public static JsonNode createIntegration(String realm, Map<String, Object> body) {
        JsonNode data = Http.keycloak().postJson(adminBase(realm) + "/integrations", KeycloakApi.adminToken(), body)
                .expect(201).data();
        SecretLedger.record(data.path("key").asText());
        return data;
    }

    public static JsonNode createIntegration(String realm) {
        return createIntegration(realm, Map.of("name", Names.unique("integration")));
    }

    /** POST /external/partner with the given key and body; the link id of a 201 goes into the ledger. */
    public static Http.Response createPartner(String realm, String key, Object body) {
        Http.Response response = Http.keycloak().postJson(externalBase(realm) + "/partner", key, body);
        if (response.status() == 201) {
            SecretLedger.record(linkIdOf(response.data().path("url").asText()));
        }
        return response;
    }

    /** A partner created with a minimal valid body; answers {@code data} ({@code id}, {@code url}). */
    public static JsonNode createPartner(String realm, String key) {
        return createPartner(realm, key, Map.of("appName", "Acme Orders")).expect(201).data();
    }

    public static String linkIdOf(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** POST /partner/links/{id}/redeem; the client secrets of a 200 go into the ledger. */
    public static Http.Response redeem(String realm, String linkId) {
        Http.Response response = Http.keycloak().request("POST", partnerApiBase(realm) + "/links/" + linkId + "/redeem").send();
        if (response.status() == 200) {
            for (JsonNode env : response.data().path("environments")) {
                SecretLedger.record(env.path("clientSecret").asText());
            }
        }
        return response;
    }

    /** The credentials of each environment after a successful redemption, by environment name. */
    public static Map<String, JsonNode> redeemOk(String realm, String url) {
        Http.Response response = redeem(realm, linkIdOf(url)).expect(200);
        Map<String, JsonNode> byEnv = new LinkedHashMap<>();
        for (JsonNode env : response.data().path("environments")) {
            byEnv.put(env.path("name").asText(), env);
        }
        return byEnv;
    }

    /**
     * The token a partner client uses for its own API ({@code scope=ensync-partner-api}), for an environment's
     * credentials as redemption answers them ({@code clientId}, {@code clientSecret}).
     */
    public static String partnerApiToken(String realm, JsonNode env) {
        return KeycloakApi.clientCredentialsToken(realm, env.path("clientId").asText(), env.path("clientSecret").asText(),
                PARTNER_API_SCOPE).expect(200).json().path("access_token").asText();
    }

    /** The partner-API token of a client that authenticates with {@code key} (a client assertion, RFC 7523). */
    public static String partnerApiToken(String realm, String clientId, ClientKey key) {
        return Http.keycloak().postForm(KeycloakApi.tokenPath(realm), Map.of("grant_type", "client_credentials",
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", key.assertion(clientId, KeycloakServer.get().baseUrl() + KeycloakApi.tokenPath(realm)),
                "scope", PARTNER_API_SCOPE)).expect(200).json().path("access_token").asText();
    }

    /** The partner client's default token, the one it sends to the broker. */
    public static String brokerToken(String realm, JsonNode env) {
        return KeycloakApi.clientCredentialsToken(realm, env.path("clientId").asText(), env.path("clientSecret").asText())
                .expect(200).json().path("access_token").asText();
    }

    /** How many partners the realm has, as the admin API counts them. */
    public static int partnerCount(String realm) {
        return Http.keycloak().get(adminBase(realm) + "/partners?max=500", KeycloakApi.adminToken()).expect(200).data().size();
    }

    public static void assertError(Http.Response response, int status, String code, String field) {
        assertEquals(status, response.status(), () -> "status of " + response);
        assertEquals("error", response.requireJson().path("status").asText(), () -> "envelope of " + response);
        assertEquals(code, response.error().path("code").asText(), () -> "error.code of " + response);
        if (field != null) {
            assertEquals(field, response.error().path("field").asText(), () -> "error.field of " + response);
        }
    }

    /** The payload of a JWT as the server issued it (no signature check: the tests read their own tokens). */
    public static JsonNode claims(String jwt) {
        try {
            return Http.JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A JSON array of strings as a list. */
    public static List<String> strings(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    public static List<String> names(JsonNode array, String field) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(n -> n.path(field).asText()).toList();
    }
}
