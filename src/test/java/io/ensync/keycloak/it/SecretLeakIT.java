package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import io.ensync.keycloak.it.support.SecretLedger;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs last (see junit-platform.properties): no secret handed out during the whole run — integration keys, client
 * secrets, link ids — appears in the server log or in any realm's admin events.
 */
@Order(Integer.MAX_VALUE)
@ExtendWith(KeycloakExtension.class)
class SecretLeakIT {

    @Test
    void noSecretReachedTheLogOrTheAuditTrail(KeycloakServer server) throws IOException {
        List<String> secrets = SecretLedger.all();
        assertTrue(secrets.size() > 20, "the run handed out secrets to look for: " + secrets.size());

        String log = Files.readString(server.logFile(), StandardCharsets.UTF_8);
        assertFalse(log.isEmpty(), "the server log was captured");
        StringBuilder events = new StringBuilder();
        for (JsonNode realm : Http.keycloak().get("/admin/realms", KeycloakApi.adminToken()).expect(200).json()) {
            events.append(KeycloakApi.adminEvents(realm.path("realm").asText()).toString());
        }
        assertTrue(events.indexOf("ENSYNC_") >= 0, "the audit trail was read");
        for (String secret : secrets) {
            assertFalse(log.contains(secret), "a secret is in the server log " + server.logFile());
            assertFalse(events.indexOf(secret) >= 0, "a secret is in the admin events");
        }
    }
}
