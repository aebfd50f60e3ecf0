package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.SecretLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every change is a Keycloak admin event with the extension's resource types and the acting principal (SPEC §9). */
@ExtendWith(KeycloakExtension.class)
class AuditIT {

    @Test
    void everyChangeIsAnAdminEventNamingItsActor() {
        String realm = KeycloakApi.createRealm();
        JsonNode integration = Ensync.createIntegration(realm);
        String integrationId = integration.path("id").asText();
        String key = integration.path("key").asText();
        String token = KeycloakApi.adminToken();
        Http.keycloak().putJson(Ensync.adminBase(realm) + "/integrations/" + integrationId, token, Map.of("description", "d")).expect(200);
        JsonNode extraKey = Http.keycloak().postJson(Ensync.adminBase(realm) + "/integrations/" + integrationId + "/keys", token, Map.of()).expect(201).data();
        SecretLedger.record(extraKey.path("key").asText());
        Http.keycloak().delete(Ensync.adminBase(realm) + "/integrations/" + integrationId + "/keys/" + extraKey.path("id").asText(), token).expect(200);
        JsonNode partner = Ensync.createPartner(realm, key);
        String partnerId = partner.path("id").asText();
        Ensync.redeemOk(realm, partner.path("url").asText());
        Http.keycloak().postJson(Ensync.adminBase(realm) + "/partners/" + partnerId + "/suspend", token, Map.of()).expect(200);
        Http.keycloak().postJson(Ensync.adminBase(realm) + "/partners/" + partnerId + "/resume", token, Map.of()).expect(200);
        Http.keycloak().delete(Ensync.externalBase(realm) + "/partner/" + partnerId, key).expect(200);

        JsonNode events = KeycloakApi.adminEvents(realm);
        List<String> seen = new ArrayList<>();
        for (JsonNode event : events) {
            String type = event.path("resourceType").asText();
            if (type.startsWith("ENSYNC_")) {
                seen.add(type + " " + event.path("operationType").asText() + " " + event.path("resourcePath").asText());
                assertTrue(event.path("resourcePath").asText().startsWith("ensync/"), event.toString());
                assertFalse(event.path("details").path("principal").asText().isEmpty(), "actor named: " + event);
            }
        }
        String i = "ensync/integrations/" + integrationId;
        String p = "ensync/partners/" + partnerId;
        assertContains(seen, "ENSYNC_INTEGRATION CREATE " + i);
        assertContains(seen, "ENSYNC_INTEGRATION UPDATE " + i);
        assertContains(seen, "ENSYNC_INTEGRATION_KEY CREATE " + i + "/keys/" + extraKey.path("id").asText());
        assertContains(seen, "ENSYNC_INTEGRATION_KEY DELETE " + i + "/keys/" + extraKey.path("id").asText());
        assertContains(seen, "ENSYNC_PARTNER CREATE " + p);
        assertContains(seen, "ENSYNC_LINK CREATE " + p + "/links/");
        assertContains(seen, "ENSYNC_LINK ACTION " + p + "/links/");
        assertContains(seen, "ENSYNC_SECRET CREATE " + p + "/environments/dev/secret");
        assertContains(seen, "ENSYNC_PARTNER UPDATE " + p);
        assertContains(seen, "ENSYNC_PARTNER ACTION " + p);
        assertContains(seen, "ENSYNC_PARTNER DELETE " + p);

        for (JsonNode event : events) {
            String path = event.path("resourcePath").asText();
            String principal = event.path("details").path("principal").asText();
            String op = event.path("operationType").asText();
            if (path.equals(i) && op.equals("CREATE")) {
                assertEquals("admin", principal);
                assertFalse(event.path("authDetails").path("userId").asText().isEmpty(), "the admin user is named");
            }
            if (path.equals(p) && op.equals("CREATE")) {
                assertEquals("integration", principal);
                assertEquals(integrationId, event.path("details").path("integrationId").asText());
            }
            if (path.startsWith(p + "/links/") && op.equals("ACTION")) {
                assertEquals("partner", principal);
                assertEquals(partnerId, event.path("details").path("partnerId").asText());
            }
        }
    }

    private static void assertContains(List<String> seen, String prefix) {
        assertTrue(seen.stream().anyMatch(s -> s.startsWith(prefix)), "missing event " + prefix + " in " + seen);
    }
}
