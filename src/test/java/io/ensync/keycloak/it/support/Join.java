package io.ensync.keycloak.it.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Map;

/** The requester's side of an access request (SPEC §15), as a browser does it: the join form, then the mailed link. */
public final class Join {

    private Join() {
    }

    /** Fills and sends the join form at {@code path} (under the portal); answers the page after the POST. */
    public static Http.Response submit(Portal browser, String path, Map<String, String> fields) {
        Http.Response page = browser.get(path).expect(200);
        Map<String, String> form = new HashMap<>(fields);
        form.put("csrf", Portal.csrf(page));
        return browser.post(path, form);
    }

    /** The verification link of the contact's {@code nth} mail (recorded as a secret). */
    public static String verificationLink(String realm, String email, int nth) {
        String link = Mailbox.await(email, nth).link(Http.keycloak().baseUrl() + Portal.base(realm) + "/join/verify/");
        SecretLedger.record(link.substring(link.lastIndexOf('/') + 1));
        return link;
    }

    /** Opens the verification page and presses its button; answers the page after the POST. */
    public static Http.Response verify(Portal browser, String link) {
        Http.Response page = browser.get(link).expect(200);
        return browser.post(link, Map.of("csrf", Portal.csrf(page)));
    }

    /**
     * Moves the contact's access requests back in time, straight in the database (PostgreSQL only, as
     * {@link Portal#ageSessions}), so that the 24 h expiry of an unverified request can be tested without waiting.
     */
    public static void age(String email, long millisAgo) throws java.sql.SQLException {
        if (!KeycloakServer.get().db().equals("postgres")) {
            throw new IllegalStateException("age needs the PostgreSQL pass");
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/"
                + KeycloakServer.PG_DATABASE, KeycloakServer.PG_USER, KeycloakServer.PG_PASSWORD);
             java.sql.PreparedStatement update = c.prepareStatement(
                     "UPDATE ENSYNC_ACCESS_REQUEST SET CREATED_AT = CREATED_AT - ?, MAILED_AT = MAILED_AT - ? WHERE CONTACT_EMAIL = ?")) {
            update.setLong(1, millisAgo);
            update.setLong(2, millisAgo);
            update.setString(3, email);
            if (update.executeUpdate() == 0) {
                throw new AssertionError("no access request of " + email);
            }
        }
    }

    /**
     * A verified (pending) request to join the integration, from a fresh contact: the realm must have mail
     * ({@link Mailbox#configure}) and the integration take requests. Answers the request as the admin API shows it.
     */
    public static JsonNode pendingRequest(String realm, String integrationId) {
        String email = Names.unique("requester") + "@partner.example";
        Portal browser = new Portal(realm);
        submit(browser, "/join/" + integrationId, Map.of("appName", "Joining App", "contactEmail", email)).expect(200);
        verify(browser, verificationLink(realm, email, 1)).expect(200);
        for (JsonNode request : Http.keycloak().get(Ensync.adminBase(realm) + "/access-requests?status=pending&integration=" + integrationId,
                KeycloakApi.adminToken()).expect(200).data()) {
            if (request.path("contactEmail").asText().equals(email)) {
                return request;
            }
        }
        throw new AssertionError("no pending request of " + email);
    }
}
