package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.BrowserScript;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EnSync pages of the real Keycloak admin console (the admin theme "ensync") in headless Chromium:
 * src/test/browser/admin-console.test.mjs logs in as a realm admin and as a view-only admin of a realm whose admin
 * theme is "ensync". Afterwards this test checks through the admin API, independently of the pages, that the realm
 * admin's clicks did what they showed and that the viewer changed nothing.
 */
@ExtendWith(KeycloakExtension.class)
class AdminConsoleBrowserIT {

    private static final Map<String, String> ADMIN = Map.of("username", "console-admin", "password", "Admin-Console-1");
    private static final Map<String, String> VIEWER = Map.of("username", "console-viewer", "password", "Viewer-Console-1");

    @Test
    void realmAdminsRunEnsyncFromTheKeycloakAdminConsole(KeycloakServer server) throws Exception {
        String realm = KeycloakApi.createRealm();
        Http.keycloak().putJson("/admin/realms/" + realm, KeycloakApi.adminToken(), Map.of("adminTheme", "ensync")).expect(204);
        String adminId = KeycloakApi.createUserWithClientRoles(realm, ADMIN.get("username"), ADMIN.get("password"), "realm-admin");
        String viewerId = KeycloakApi.createUserWithClientRoles(realm, VIEWER.get("username"), VIEWER.get("password"), "view-clients");

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("base", server.baseUrl());
        config.put("realm", realm);
        config.put("admin", ADMIN);
        config.put("viewer", VIEWER);
        config.put("screenshotDir", BrowserScript.screenshotDir());
        JsonNode result = BrowserScript.run("admin-console.test.mjs", "ENSYNC_ADMIN_CONSOLE_TEST", config,
                "admin-console-browser-" + server.db());

        // The integration made in the form, with the topic and origin added there.
        JsonNode integration = admin(realm, "/integrations/" + result.path("integrationId").asText()).data();
        assertEquals("Orders", integration.path("name").asText());
        assertEquals(List.of("app/order/*"), Ensync.names(integration.path("topics"), "pattern"));
        assertEquals("https://shop.example.com", integration.path("allowedEmbedOrigins").path(0).asText());

        // The grant and the promotion approved on the approvals page, decided by the realm admin.
        String partnerId = result.path("partnerId").asText();
        assertEquals("prod", admin(realm, "/partners/" + partnerId).data().path("stage").asText());
        JsonNode stageGrant = admin(realm, "/grants?partner=" + partnerId + "&env=stage").data().path(0);
        assertEquals("approved", stageGrant.path("status").asText());
        assertEquals(adminId, stageGrant.path("decidedBy").asText());
        JsonNode promotion = admin(realm, "/promotions?partner=" + partnerId).data().path(0);
        assertEquals("approved", promotion.path("status").asText());
        assertEquals(adminId, promotion.path("decidedBy").asText());

        // The realm admin's changes are audited as theirs; the viewer's session left no change behind.
        JsonNode events = KeycloakApi.adminEvents(realm);
        assertTrue(actors(events).contains(adminId), "admin events of the realm admin");
        assertFalse(actors(events).contains(viewerId), "the view-only admin changed nothing");
    }

    private static Http.Response admin(String realm, String path) {
        return Http.keycloak().get(Ensync.adminBase(realm) + path, KeycloakApi.adminToken()).expect(200);
    }

    private static List<String> actors(JsonNode events) {
        return StreamSupport.stream(events.spliterator(), false)
                .map(event -> event.path("authDetails").path("userId").asText()).distinct().toList();
    }
}
