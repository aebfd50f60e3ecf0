package io.ensync.keycloak.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keycloak's own APIs the tests need for setting up: admin token, realms, users, tokens, admin events. */
public final class KeycloakApi {

    /** Refresh the cached admin token this long before it expires, so a test never uses one that just ran out. */
    private static final long EARLY_REFRESH_SECONDS = 15;

    private static String adminToken;
    private static Instant adminTokenUntil = Instant.MIN;
    private static int adminTokenServerStart;
    /** Whether the cached token came from a routed server (LifecycleModelIT's cluster nodes: their own database). */
    private static boolean adminTokenRouted;

    private KeycloakApi() {
    }

    private static Http http() {
        return Http.keycloak();
    }

    /** An access token of the master realm's admin (admin-cli, password grant), cached until shortly before expiry. */
    public static synchronized String adminToken() {
        int serverStart = KeycloakServer.get().starts();
        if (adminToken == null || serverStart != adminTokenServerStart || adminTokenRouted != Http.routed()
                || Instant.now().isAfter(adminTokenUntil)) {
            Http.Response response = passwordGrant("master", KeycloakServer.ADMIN_USERNAME, KeycloakServer.ADMIN_PASSWORD);
            adminToken = response.json().path("access_token").asText();
            adminTokenUntil = Instant.now().plusSeconds(response.json().path("expires_in").asLong() - EARLY_REFRESH_SECONDS);
            adminTokenServerStart = serverStart;
            adminTokenRouted = Http.routed();
        }
        return adminToken;
    }

    /** A realm with admin events stored, with details (the extension's audit trail lives there). */
    public static String createRealm(String name) {
        Map<String, Object> realm = new LinkedHashMap<>();
        realm.put("realm", name);
        realm.put("enabled", true);
        realm.put("adminEventsEnabled", true);
        realm.put("adminEventsDetailsEnabled", true);
        http().postJson("/admin/realms", adminToken(), realm).expect(201);
        return name;
    }

    /** A realm with a unique name; see {@link #createRealm(String)}. */
    public static String createRealm() {
        return createRealm(Names.unique("realm"));
    }

    /**
     * A user who can log in at once (password set, email verified, no required actions) holding the given roles
     * of the realm's {@code realm-management} client, e.g. {@code view-clients}, {@code manage-clients}.
     *
     * @return the user's id
     */
    public static String createUserWithClientRoles(String realm, String username, String password,
                                                   String... realmManagementRoles) {
        return createUserWithRolesOf(realm, "realm-management", username, password, realmManagementRoles);
    }

    /**
     * A user as above holding roles of the given client of its realm — in master, {@code {realm}-realm} holds the
     * roles that let a master user administer that realm ({@code view-clients}, …).
     *
     * @return the user's id
     */
    public static String createUserWithRolesOf(String realm, String clientId, String username, String password,
                                               String... realmManagementRoles) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("enabled", true);
        // Keycloak 26's default user profile requires these; without them the login asks to complete the profile.
        user.put("email", username + "@example.test");
        user.put("emailVerified", true);
        user.put("firstName", "Test");
        user.put("lastName", username);
        user.put("requiredActions", List.of());
        user.put("credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
        Http.Response created = http().postJson("/admin/realms/" + realm + "/users", adminToken(), user).expect(201);
        String location = created.header("Location").orElseThrow(() -> new AssertionError("No Location: " + created));
        String userId = location.substring(location.lastIndexOf('/') + 1);

        if (realmManagementRoles.length > 0) {
            String clientUuid = clientUuid(realm, clientId);
            ArrayNode roles = Http.JSON.createArrayNode();
            for (String role : realmManagementRoles) {
                roles.add(http().get("/admin/realms/" + realm + "/clients/" + clientUuid + "/roles/" + role, adminToken())
                        .expect(200).json());
            }
            http().postJson("/admin/realms/" + realm + "/users/" + userId + "/role-mappings/clients/" + clientUuid,
                    adminToken(), roles).expect(204);
        }
        return userId;
    }

    /** The internal id of a client, looked up by its clientId. */
    public static String clientUuid(String realm, String clientId) {
        JsonNode found = http().get("/admin/realms/" + realm + "/clients?clientId=" + clientId, adminToken())
                .expect(200).json();
        if (found.size() != 1) {
            throw new AssertionError("Expected one client " + clientId + " in realm " + realm + " but found " + found);
        }
        return found.get(0).path("id").asText();
    }

    /** The internal id of a client scope of the realm, by name. */
    public static String clientScopeId(String realm, String name) {
        for (JsonNode scope : http().get("/admin/realms/" + realm + "/client-scopes", adminToken()).expect(200).json()) {
            if (name.equals(scope.path("name").asText())) {
                return scope.path("id").asText();
            }
        }
        throw new AssertionError("No client scope " + name + " in realm " + realm);
    }

    /** An access token of a user of the realm, through that realm's public {@code admin-cli} client. */
    public static String passwordToken(String realm, String username, String password) {
        return passwordGrant(realm, username, password).json().path("access_token").asText();
    }

    /** The whole token endpoint answer (status and body) of a client-credentials grant, to test failures too. */
    public static Http.Response clientCredentialsToken(String realm, String clientId, String secret) {
        return http().postForm(tokenPath(realm), Map.of(
                "grant_type", "client_credentials",
                "client_id", clientId,
                "client_secret", secret));
    }

    /** A client-credentials grant asking for {@code scope} (e.g. {@code ensync-partner-api}). */
    public static Http.Response clientCredentialsToken(String realm, String clientId, String secret, String scope) {
        return http().postForm(tokenPath(realm), Map.of(
                "grant_type", "client_credentials",
                "client_id", clientId,
                "client_secret", secret,
                "scope", scope));
    }

    /** The realm's stored admin events, newest first. */
    public static JsonNode adminEvents(String realm) {
        return http().get("/admin/realms/" + realm + "/admin-events?max=1000", adminToken()).expect(200).json();
    }

    public static String tokenPath(String realm) {
        return "/realms/" + realm + "/protocol/openid-connect/token";
    }

    private static Http.Response passwordGrant(String realm, String username, String password) {
        return http().postForm(tokenPath(realm), Map.of(
                "grant_type", "password",
                "client_id", "admin-cli",
                "username", username,
                "password", password)).expect(200);
    }
}
