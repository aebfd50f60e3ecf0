package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.ensync.keycloak.it.support.Ensync.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Partner clients made before the partner-API scope and the sealed claim existed are brought to today's shape at
 * start-up, with no manual step: the test puts a client back into the old shape (realm default scopes, no
 * ensync-partner-api, an unsealed claim, the realm marked with an older revision), restarts Keycloak, and finds it upgraded.
 */
@ExtendWith(KeycloakExtension.class)
class PartnerClientsUpgradeIT {

    @Test
    void anOldPartnerClientIsUpgradedAtStartUp() {
        String realm = KeycloakApi.createRealm();
        String key = Ensync.createIntegration(realm, Map.of("name", "old", "topics", List.of(
                Map.of("pattern", "app/*", "send", true, "autoApprove", List.of("dev"))))).path("key").asText();
        JsonNode dev = Ensync.redeemOk(realm, Ensync.createPartner(realm, key).path("url").asText()).get("dev");
        Http.keycloak().postJson(Ensync.partnerApiBase(realm) + "/me/grants", Ensync.partnerApiToken(realm, dev),
                Map.of("topic", "app/x", "scopes", List.of("send"))).expect(201);

        String admin = KeycloakApi.adminToken();
        String client = "/admin/realms/" + realm + "/clients/" + KeycloakApi.clientUuid(realm, dev.path("clientId").asText());
        // The shape of a client of the first release.
        Http.keycloak().delete(client + "/optional-client-scopes/" + KeycloakApi.clientScopeId(realm, Ensync.PARTNER_API_SCOPE), admin).expect(204);
        Http.keycloak().putJson(client + "/default-client-scopes/" + KeycloakApi.clientScopeId(realm, "profile"), admin, Map.of()).expect(204);
        ObjectNode rep = (ObjectNode) Http.keycloak().get(client, admin).expect(200).json();
        ((ObjectNode) rep.path("attributes")).put("ensync.claim", "{\"send\":[],\"receive\":[]}");
        Http.keycloak().putJson(client, admin, rep).expect(204);
        ObjectNode realmRep = (ObjectNode) Http.keycloak().get("/admin/realms/" + realm, admin).expect(200).json();
        ((ObjectNode) realmRep.path("attributes")).put("ensync.partnerClients.revision", "1");
        Http.keycloak().putJson("/admin/realms/" + realm, admin, realmRep).expect(204);
        assertEquals(400, KeycloakApi.clientCredentialsToken(realm, dev.path("clientId").asText(), dev.path("clientSecret").asText(),
                Ensync.PARTNER_API_SCOPE).status(), "before the upgrade the client has no partner-API scope");

        KeycloakServer.get().restart();

        String upgraded = KeycloakApi.adminToken();
        assertEquals(Set.of("basic", "service_account"), Set.copyOf(Ensync.names(Http.keycloak().get(client + "/default-client-scopes",
                upgraded).expect(200).json(), "name")));
        assertEquals(List.of(Ensync.PARTNER_API_SCOPE), Ensync.names(Http.keycloak().get(client + "/optional-client-scopes",
                upgraded).expect(200).json(), "name"));
        assertTrue(Http.keycloak().get(client, upgraded).expect(200).json().path("attributes").path("ensync.claim").asText().startsWith("v1."),
                "the claim is sealed");
        assertEquals("2", Http.keycloak().get("/admin/realms/" + realm, upgraded).expect(200).json()
                .path("attributes").path("ensync.partnerClients.revision").asText());
        String api = Ensync.partnerApiToken(realm, dev);
        assertEquals(List.of("app/x"), Ensync.names(Http.keycloak().get(Ensync.partnerApiBase(realm) + "/me/grants", api)
                .expect(200).data(), "topic"));
        assertEquals(List.of("app/x"), Ensync.strings(Ensync.claims(Ensync.brokerToken(realm, dev)).path("ensync").path("send")));
        assertError(Http.keycloak().get(Ensync.partnerApiBase(realm) + "/me", Ensync.brokerToken(realm, dev)), 403, "insufficient_scope", null);
    }
}
