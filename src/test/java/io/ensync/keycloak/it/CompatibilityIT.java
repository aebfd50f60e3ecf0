package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the extension says and offers on the Keycloak it runs on (every run of the compatibility matrix, pom.xml):
 * the start-up line, and the admin theme {@code ensync} only on the minor its console is built from; on another
 * minor a realm set to it gets the stock console. (The portal theme, abstract and version-neutral, is PortalIT's.)
 */
@ExtendWith(KeycloakExtension.class)
class CompatibilityIT {

    private final Http http = Http.keycloak();

    /** it-upgrade-h2 starts on the first release's jar, which has neither; -Dit.test=… puts this class there too. */
    @BeforeEach
    void notOnTheOldJar() {
        assumeTrue(System.getProperty("ensync.it.upgradeJar") == null, "the jar under test is installed");
    }

    /** The distribution under test, from its directory name (keycloak-26.4.7). */
    private static String expectedVersion(KeycloakServer server) {
        return server.home().getFileName().toString().substring("keycloak-".length());
    }

    private static String minor(String version) {
        String[] parts = version.split("\\.");
        return parts[0] + "." + parts[1];
    }

    private boolean consoleFits(KeycloakServer server) {
        return minor(expectedVersion(server)).equals(minor(System.getProperty("ensync.it.adminConsoleVersion")));
    }

    @Test
    void startUpLineNamesTheVersionsTheRangeAndTheFeatures(KeycloakServer server) throws IOException {
        String version = expectedVersion(server);
        JsonNode info = http.get("/admin/serverinfo", KeycloakApi.adminToken()).expect(200).json();
        assertEquals(version, info.path("systemInfo").path("version").asText(), "the distribution under test");

        String log = Files.readString(server.logFile(), StandardCharsets.UTF_8);
        assertTrue(log.matches("(?s).*INFO .*EnSync Partner Onboarding \\S+ on Keycloak " + version.replace(".", "\\.")
                        + " \\(within the supported range 26\\.4 to 26\\.7\\); features: client-secret-rotation on, "
                        + "admin-fine-grained-authz (on|off), admin-fine-grained-authz:v2 (on|off).*"),
                "start-up line in " + server.logFile());
        assertEquals(!consoleFits(server), log.contains("the admin theme 'ensync' is built for Keycloak "
                + System.getProperty("ensync.it.adminConsoleVersion") + " and is not offered on Keycloak " + version),
                "the WARN about the admin console, exactly when its minor differs");
    }

    @Test
    void adminThemeOfferedOnlyOnTheConsolesMinor(KeycloakServer server) {
        JsonNode info = http.get("/admin/serverinfo", KeycloakApi.adminToken()).expect(200).json();
        boolean listed = false;
        for (JsonNode theme : info.path("themes").path("admin")) {
            listed |= theme.path("name").asText().equals("ensync");
        }
        assertEquals(consoleFits(server), listed, "admin theme 'ensync' in " + info.path("themes").path("admin"));

        // A realm whose admin theme is 'ensync' (say, set before Keycloak was changed to another minor).
        String realm = KeycloakApi.createRealm();
        JsonNode representation = http.get("/admin/realms/" + realm, KeycloakApi.adminToken()).expect(200).json();
        Map<String, Object> update = new HashMap<>();
        update.put("realm", representation.path("realm").asText());
        update.put("adminTheme", "ensync");
        http.putJson("/admin/realms/" + realm, KeycloakApi.adminToken(), update).expect(204);

        Http.Response page = http.get("/admin/" + realm + "/console/", null).expect(200);
        if (consoleFits(server)) {
            assertTrue(page.body().contains("/admin/ensync/"), "EnSync's console: " + page.body());
        } else {
            assertFalse(page.body().contains("/admin/ensync/"), "no EnSync console on another minor: " + page.body());
            assertTrue(page.body().contains("/admin/keycloak.v2/"), "the stock console: " + page.body());
        }
    }

    /**
     * The extension's request filter (EarlyRefusals) is found and runs before Keycloak's own handling on every minor:
     * what Keycloak answered with a 500 before the extension ran gets the extension's envelope.
     */
    @Test
    void requestsKeycloakFailedOnAreRefusedWithTheEnvelope() {
        String realm = KeycloakApi.createRealm();
        String admin = "/admin/realms/" + realm + "/ensync";
        assertEnvelope(http.request("POST", admin + "/partners/00000000-0000-4000-8000-000000000000/suspend")
                .bearer(KeycloakApi.adminToken()).body("multipart/form-data; boundary=x", "--x--").send(), 415, "unsupported_media_type");
        assertEnvelope(http.request("POST", "/realms/" + realm + "/ensync/portal/logout")
                .body("application/x-www-form-urlencoded", "csrf=%").send(), 400, "invalid_form");
        assertEnvelope(http.request("GET", admin + "/integrations").header("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
                .send(), 401, "invalid_token");
    }

    private static void assertEnvelope(Http.Response response, int status, String code) {
        assertEquals(status, response.status(), response.toString());
        assertEquals(code, response.requireJson().path("error").path("code").asText(), response.toString());
    }
}
