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
