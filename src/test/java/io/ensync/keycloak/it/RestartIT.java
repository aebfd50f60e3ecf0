package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static io.ensync.keycloak.it.support.Ensync.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Everything the extension keeps is in the database: it survives a restart of Keycloak. */
@Order(Integer.MAX_VALUE - 1)
@ExtendWith(KeycloakExtension.class)
class RestartIT {

    @Test
    void dataSurvivesARestart(KeycloakServer server) {
        String realm = KeycloakApi.createRealm();
        JsonNode integration = Ensync.createIntegration(realm, Map.of("name", "Durable", "linkTtlSeconds", 7200));
        String key = integration.path("key").asText();
        JsonNode redeemed = Ensync.createPartner(realm, key);
        Map<String, JsonNode> credentials = Ensync.redeemOk(realm, redeemed.path("url").asText());
        JsonNode pending = Ensync.createPartner(realm, key);

        server.restart();

        JsonNode partner = Http.keycloak().get(Ensync.externalBase(realm) + "/partner/" + redeemed.path("id").asText(), key)
                .expect(200).data();
        assertEquals("active", partner.path("status").asText());
        assertEquals(7200, Http.keycloak().get(Ensync.adminBase(realm) + "/integrations/" + integration.path("id").asText(),
                KeycloakApi.adminToken()).expect(200).data().path("linkTtlSeconds").asInt());
        KeycloakApi.clientCredentialsToken(realm, credentials.get("dev").path("clientId").asText(),
                credentials.get("dev").path("clientSecret").asText()).expect(200);
        assertError(Ensync.redeem(realm, Ensync.linkIdOf(redeemed.path("url").asText())), 410, "link_used", null);
        Ensync.redeemOk(realm, pending.path("url").asText());
    }
}
