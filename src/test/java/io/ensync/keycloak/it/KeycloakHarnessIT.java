package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import io.ensync.keycloak.it.support.Names;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves the test harness itself: the real server with our jar, admin access, realms, users, tokens, events.
 * {@link KeycloakServer#restart()} is proven by RestartIT.
 */
@ExtendWith(KeycloakExtension.class)
class KeycloakHarnessIT {

    private final Http http = Http.keycloak();

    @Test
    void serverIsReadyWithOurProviderJar(KeycloakServer server) {
        Http.Response ready = http.get(server.managementUrl() + "/health/ready", null).expect(200);
        assertEquals("UP", ready.json().path("status").asText(), ready.toString());

        Path jar = Path.of(System.getProperty("ensync.it.providerJar"));
        assertTrue(Files.isRegularFile(server.home().resolve("providers").resolve(jar.getFileName())));
        assertTrue(Files.isRegularFile(server.logFile()), "Keycloak log at " + server.logFile());
        assertEquals(System.getProperty("ensync.it.db"), server.db());
    }

    @Test
    void adminTokenOpensTheAdminApi() {
        http.get("/admin/realms", null).expect(401);

        JsonNode realms = http.get("/admin/realms", KeycloakApi.adminToken()).expect(200).json();
        assertTrue(stream(realms).anyMatch(realm -> realm.path("realm").asText().equals("master")), realms.toString());
    }

    @Test
    void createdRealmStoresAdminEventsWithDetails() {
        String realm = KeycloakApi.createRealm();

        JsonNode representation = http.get("/admin/realms/" + realm, KeycloakApi.adminToken()).expect(200).json();
        assertTrue(representation.path("adminEventsEnabled").asBoolean(), representation.toString());
        assertTrue(representation.path("adminEventsDetailsEnabled").asBoolean(), representation.toString());
    }

    @Test
    void usersActWithExactlyTheirRealmManagementRoles() {
        String realm = KeycloakApi.createRealm();
        KeycloakApi.createUserWithClientRoles(realm, "viewer", "viewer-pw", "view-clients");
        KeycloakApi.createUserWithClientRoles(realm, "manager", "manager-pw", "view-clients", "manage-clients");
        KeycloakApi.createUserWithClientRoles(realm, "nobody", "nobody-pw");
        String clients = "/admin/realms/" + realm + "/clients";
        Map<String, Object> client = Map.of("clientId", Names.unique("client"));

        String viewer = KeycloakApi.passwordToken(realm, "viewer", "viewer-pw");
        http.get(clients, viewer).expect(200);
        http.postJson(clients, viewer, client).expect(403);

        http.postJson(clients, KeycloakApi.passwordToken(realm, "manager", "manager-pw"), client).expect(201);

        http.get(clients, KeycloakApi.passwordToken(realm, "nobody", "nobody-pw")).expect(403);
    }

    @Test
    void clientCredentialsGrantAndAdminEvents() {
        String realm = KeycloakApi.createRealm();
        String clientId = Names.unique("service");
        http.postJson("/admin/realms/" + realm + "/clients", KeycloakApi.adminToken(), Map.of(
                "clientId", clientId,
                "publicClient", false,
                "serviceAccountsEnabled", true,
                "standardFlowEnabled", false)).expect(201);
        String uuid = KeycloakApi.clientUuid(realm, clientId);
        String secret = http.get("/admin/realms/" + realm + "/clients/" + uuid + "/client-secret", KeycloakApi.adminToken())
                .expect(200).json().path("value").asText();

        Http.Response token = KeycloakApi.clientCredentialsToken(realm, clientId, secret).expect(200);
        assertFalse(token.json().path("access_token").asText().isEmpty(), "access_token present");
        Http.Response wrong = KeycloakApi.clientCredentialsToken(realm, clientId, "not-" + secret).expect(401);
        assertEquals("unauthorized_client", wrong.json().path("error").asText(), wrong.toString());

        JsonNode events = KeycloakApi.adminEvents(realm);
        boolean clientCreated = stream(events).anyMatch(event ->
                event.path("operationType").asText().equals("CREATE")
                        && event.path("resourceType").asText().equals("CLIENT")
                        && event.path("representation").asText().contains(clientId));
        assertTrue(clientCreated, "CREATE CLIENT event with representation in " + events);
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
