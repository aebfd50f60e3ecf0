package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.Join;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import io.ensync.keycloak.it.support.Mailbox;
import io.ensync.keycloak.it.support.Names;
import io.ensync.keycloak.it.support.Portal;
import io.ensync.keycloak.it.support.SecretLedger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static io.ensync.keycloak.it.support.Ensync.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Access requests (SPEC §15) over HTTP as a requester, an admin and an integrator do: the join page, the mailed
 * verification, decisions in the admin and the integration API, the mailed onboarding link; bounds and throttling.
 * Mail goes through Keycloak's own sender to an SMTP server in this JVM.
 */
@ExtendWith(KeycloakExtension.class)
class AccessRequestIT {

    private static final String ICON = "https://cdn.example.com/acme.png";

    /** A realm with mail and an integration taking requests; answers the integration's data (with its key). */
    private static JsonNode joinable(String realm, Map<String, Object> settings) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", Names.unique("Orders"));
        body.put("accessRequests", "approval");
        body.putAll(settings);
        return Ensync.createIntegration(realm, body);
    }

    private static String mailRealm() {
        String realm = KeycloakApi.createRealm();
        Mailbox.configure(realm);
        return realm;
    }

    private static String joinPath(JsonNode integration) {
        return "/join/" + integration.path("id").asText();
    }

    private static Map<String, String> request(String email) {
        return Map.of("appName", "Acme Orders", "appDescription", "Sends orders", "contactEmail", email);
    }

    private static JsonNode adminList(String realm, String query) {
        return Http.keycloak().get(Ensync.adminBase(realm) + "/access-requests" + query, KeycloakApi.adminToken()).expect(200).data();
    }

    private static JsonNode only(JsonNode list) {
        assertEquals(1, list.size(), list::toString);
        return list.get(0);
    }

    @Test
    void offByDefault_theJoinPageIsUnknownAndTheApisHaveNothing() {
        String realm = mailRealm();
        JsonNode integration = Ensync.createIntegration(realm);
        assertEquals("off", integration.path("accessRequests").asText());
        Portal browser = new Portal(realm);
        Http.Response page = browser.get(joinPath(integration));
        assertEquals(404, page.status());
        assertEquals("This page does not exist", Portal.messageTitle(page));
        assertEquals(404, browser.post(joinPath(integration), request("off@partner.example")).status());
        assertEquals(0, adminList(realm, "").size());
        assertEquals(0, Http.keycloak().get(Ensync.externalBase(realm) + "/access-requests", integration.path("key").asText())
                .expect(200).data().size());
        assertEquals(List.of(), Mailbox.of("off@partner.example"));
    }

    @Test
    void turningThemOnNeedsTheRealmsMailSettings() {
        String realm = KeycloakApi.createRealm();
        JsonNode integration = Ensync.createIntegration(realm);
        Http.Response refused = Http.keycloak().putJson(Ensync.adminBase(realm) + "/integrations/" + integration.path("id").asText(),
                KeycloakApi.adminToken(), Map.of("accessRequests", "approval"));
        assertError(refused, 409, "email_not_configured", null);
        assertError(Http.keycloak().putJson(Ensync.adminBase(realm) + "/integrations/" + integration.path("id").asText(),
                KeycloakApi.adminToken(), Map.of("accessRequests", "open")), 400, "invalid_value", "accessRequests");
    }

    @Test
    void aVerifiedRequestIsApprovedAndItsContactOnboardsFromTheMailedLink() {
        String realm = mailRealm();
        String slug = Names.unique("acme").toLowerCase().replaceAll("[^a-z0-9-]", "-");
        JsonNode integration = joinable(realm, Map.of("description", "Order events <b>for partners</b>", "joinSlug", slug,
                "color", "#0055ff", "icon", ICON, "allowedEmbedOrigins", List.of("https://app.example.com"),
                "joinFields", List.of(Map.of("key", "website", "label", "Website", "required", true))));
        String email = Names.unique("dev") + "@partner.example";
        Portal browser = new Portal(realm);

        Http.Response page = browser.get("/join/" + slug).expect(200);
        assertEquals(integration.path("name").asText(), Portal.text(page, "join-integration"));
        assertEquals("Order events &lt;b&gt;for partners&lt;/b&gt;", Portal.text(page, "join-description"));
        assertTrue(page.body().contains("--accent: #0055ff") && page.body().contains("src=\"" + ICON + "\""), "colour and icon");
        assertTrue(page.header("Content-Security-Policy").orElse("").contains("frame-ancestors https://app.example.com"));
        assertEquals(200, browser.get(joinPath(integration)).status(), "the id names the page too");

        // A required question left out: the form again, nothing stored, nothing mailed.
        Http.Response missing = Join.submit(browser, "/join/" + slug, request(email));
        assertEquals(400, missing.status());
        assertTrue(missing.body().contains("data-field=\"fields.website\""), missing.body());
        assertEquals(List.of(), Mailbox.of(email));

        Map<String, String> fields = new HashMap<>(request(email.toUpperCase()));
        fields.put("field.website", "https://partner.example");
        Http.Response sent = Join.submit(browser, "/join/" + slug, fields);
        assertEquals(200, sent.status(), sent::toString);
        assertEquals("Check your inbox", Portal.messageTitle(sent));
        assertEquals(0, adminList(realm, "").size(), "an unverified request reaches nobody");

        String link = Join.verificationLink(realm, email, 1);
        assertTrue(Mailbox.of(email).get(0).subject().contains(integration.path("name").asText()));
        // Opening the link (a mail scanner does) changes nothing; the button does.
        browser.get(link).expect(200);
        assertEquals(0, adminList(realm, "").size());
        Http.Response confirmed = Join.verify(new Portal(realm), link);
        assertEquals(200, confirmed.status(), confirmed::toString);
        assertEquals("Request confirmed", Portal.messageTitle(confirmed));
        assertEquals("Already confirmed", Portal.messageTitle(browser.get(link).expect(200)));

        JsonNode pending = only(adminList(realm, "?status=pending"));
        assertEquals("pending", pending.path("status").asText());
        assertEquals(email, pending.path("contactEmail").asText(), "stored in lower case");
        assertEquals("https://partner.example", pending.path("fields").path("website").asText());
        assertFalse(pending.toString().contains(link.substring(link.lastIndexOf('/') + 1)), "no token in a read");
        String id = pending.path("id").asText();

        JsonNode approved = Http.keycloak().postJson(Ensync.adminBase(realm) + "/access-requests/" + id + "/approve",
                KeycloakApi.adminToken(), Map.of()).expect(200).data();
        assertEquals("approved", approved.path("status").asText());
        String partnerId = approved.path("partnerId").asText();
        assertFalse(approved.toString().contains("/portal/links/"), "the decider never sees the onboarding link");
        assertError(Http.keycloak().postJson(Ensync.adminBase(realm) + "/access-requests/" + id + "/approve",
                KeycloakApi.adminToken(), Map.of()), 409, "access_request_decided", null);
        assertError(Http.keycloak().postJson(Ensync.adminBase(realm) + "/access-requests/" + id + "/deny",
                KeycloakApi.adminToken(), Map.of("reason", "late")), 409, "access_request_decided", null);

        JsonNode partner = Http.keycloak().get(Ensync.adminBase(realm) + "/partners/" + partnerId, KeycloakApi.adminToken()).expect(200).data();
        assertEquals("Acme Orders", partner.path("appName").asText());
        assertEquals(id, partner.path("metadata").path("accessRequest").asText());
        assertEquals(email, partner.path("metadata").path("contactEmail").asText());
        assertEquals("https://partner.example", partner.path("metadata").path("website").asText());

        Mailbox.Mail onboarding = Mailbox.await(email, 2);
        String onboardingUrl = onboarding.link(Http.keycloak().baseUrl() + Portal.base(realm) + "/links/");
        SecretLedger.record(Ensync.linkIdOf(onboardingUrl));
        Map<String, JsonNode> credentials = Ensync.redeemOk(realm, onboardingUrl);
        assertEquals(List.of("dev", "stage", "prod"), List.copyOf(credentials.keySet()));

        JsonNode events = KeycloakApi.adminEvents(realm);
        List<String> steps = StreamSupport.stream(events.spliterator(), false)
                .filter(e -> "ENSYNC_ACCESS_REQUEST".equals(e.path("resourceType").asText()))
                .map(e -> e.path("operationType").asText() + " by " + e.path("details").path("principal").asText()).toList();
        assertEquals(List.of("ACTION by admin", "CREATE by requester"), steps, "newest first");
        assertTrue(StreamSupport.stream(events.spliterator(), false).anyMatch(e -> "ENSYNC_PARTNER".equals(e.path("resourceType").asText())
                && "CREATE".equals(e.path("operationType").asText()) && e.path("resourcePath").asText().endsWith(partnerId)));
    }

    @Test
    void theIntegratorDecidesItsOwnRequestsOnlyAndADenialMailsTheReason() {
        String realm = mailRealm();
        JsonNode integration = joinable(realm, Map.of());
        JsonNode other = joinable(realm, Map.of());
        String email = Names.unique("deny") + "@partner.example";
        Portal browser = new Portal(realm);
        assertEquals(200, Join.submit(browser, joinPath(integration), request(email)).status());
        assertEquals(200, Join.verify(browser, Join.verificationLink(realm, email, 1)).status());
        String key = integration.path("key").asText();
        String otherKey = other.path("key").asText();
        String base = Ensync.externalBase(realm) + "/access-requests";

        String id = only(Http.keycloak().get(base + "?status=pending", key).expect(200).data()).path("id").asText();
        assertEquals(0, Http.keycloak().get(base, otherKey).expect(200).data().size());
        assertError(Http.keycloak().get(base + "/" + id, otherKey), 404, "not_found", null);
        assertError(Http.keycloak().postJson(base + "/" + id + "/approve", otherKey, Map.of()), 404, "not_found", null);
        assertError(Http.keycloak().postJson(base + "/" + id + "/deny", otherKey, Map.of()), 404, "not_found", null);
        assertError(Http.keycloak().get(base, "ensync_ik_" + "x".repeat(43)), 401, "invalid_key", null);
        assertError(Http.keycloak().postJson(base + "/" + id + "/deny", key, Map.of("reason", "x", "extra", 1)), 400, "unknown_field", "extra");

        JsonNode denied = Http.keycloak().postJson(base + "/" + id + "/deny", key, Map.of("reason", "We only onboard <b>EU</b> partners."))
                .expect(200).data();
        assertEquals("denied", denied.path("status").asText());
        assertEquals("integration:" + integration.path("id").asText(), denied.path("decidedBy").asText());
        Mailbox.Mail mail = Mailbox.await(email, 2);
        assertTrue(mail.text().contains("We only onboard <b>EU</b> partners."), mail.text());
        assertTrue(mail.html().contains("We only onboard &lt;b&gt;EU&lt;/b&gt; partners."), mail.html());
        assertEquals(1, adminList(realm, "?status=denied").size());
        assertEquals(0, adminList(realm, "?status=pending").size());
        assertError(Http.keycloak().get(Ensync.adminBase(realm) + "/access-requests?status=unverified", KeycloakApi.adminToken()),
                400, "invalid_query", "status");
        assertEquals(0, Ensync.partnerCount(realm));
    }

    @Test
    void aForgedOrMissingCsrfTokenChangesNothing() {
        String realm = mailRealm();
        JsonNode integration = joinable(realm, Map.of());
        String email = Names.unique("csrf") + "@partner.example";
        Portal browser = new Portal(realm);
        browser.get(joinPath(integration)).expect(200);
        assertEquals(403, browser.post(joinPath(integration), request(email)).status());
        Map<String, String> forged = new HashMap<>(request(email));
        forged.put("csrf", "forged");
        Http.Response refused = browser.post(joinPath(integration), forged);
        assertEquals(403, refused.status());
        assertEquals("This form has expired", Portal.messageTitle(refused));
        // A token from another browser's page does not fit this browser's cookie.
        Map<String, String> foreign = new HashMap<>(request(email));
        foreign.put("csrf", Portal.csrf(new Portal(realm).get(joinPath(integration)).expect(200)));
        assertEquals(403, browser.post(joinPath(integration), foreign).status());
        assertEquals(List.of(), Mailbox.of(email));

        // The verification button needs the token too.
        assertEquals(200, Join.submit(browser, joinPath(integration), request(email)).status());
        String link = Join.verificationLink(realm, email, 1);
        Portal other = new Portal(realm);
        other.get(link).expect(200);
        assertEquals(403, other.post(link, Map.of("csrf", "forged")).status());
        assertEquals(0, adminList(realm, "").size());
    }

    @Test
    void fiftySubmissionsFromOneAddressAreThrottled() {
        String realm = mailRealm();
        JsonNode integration = joinable(realm, Map.of());
        Portal browser = new Portal(realm);
        String csrf = Portal.csrf(browser.get(joinPath(integration)).expect(200));
        Map<Integer, Integer> statuses = new LinkedHashMap<>();
        String prefix = Names.unique("flood");
        for (int i = 0; i < 50; i++) {
            Map<String, String> form = new HashMap<>(request(prefix + i + "@partner.example"));
            form.put("csrf", csrf);
            statuses.merge(browser.post(joinPath(integration), form).status(), 1, Integer::sum);
        }
        assertEquals(Map.of(200, 10, 429, 40), statuses);
        int mails = 0;
        for (int i = 0; i < 50; i++) {
            mails += Mailbox.of(prefix + i + "@partner.example").size();
        }
        assertEquals(10, mails, "a blocked submission mails nobody");
        Http.Response blocked = browser.get(joinPath(integration));
        assertEquals(200, blocked.status(), "viewing the page is not submitting");
        Map<String, String> form = new HashMap<>(request(prefix + "late@partner.example"));
        form.put("csrf", csrf);
        Http.Response refused = browser.post(joinPath(integration), form);
        assertEquals(429, refused.status());
        assertTrue(Long.parseLong(refused.header("Retry-After").orElseThrow()) > 0);
    }

    @Test
    void aRepeatedSubmissionAnswersTheOpenRequestAndAnAddressHoldsThreeAtMost() {
        String realm = mailRealm();
        List<JsonNode> integrations = List.of(joinable(realm, Map.of()), joinable(realm, Map.of()), joinable(realm, Map.of()), joinable(realm, Map.of()));
        String email = Names.unique("repeat") + "@partner.example";
        Portal browser = new Portal(realm);
        assertEquals(200, Join.submit(browser, joinPath(integrations.get(0)), request(email)).status());
        assertEquals(200, Join.submit(browser, joinPath(integrations.get(0)), request(email)).status());
        Join.verificationLink(realm, email, 1);
        assertEquals(1, Mailbox.of(email).size(), "the same open request, its link not mailed again within ten minutes");
        assertEquals(200, Join.verify(browser, Mailbox.of(email).get(0).link(Http.keycloak().baseUrl())).status());
        assertEquals(200, Join.submit(browser, joinPath(integrations.get(0)), request(email)).status());
        assertEquals(1, adminList(realm, "?status=pending").size(), "a pending request is answered, not repeated");
        assertEquals(1, Mailbox.of(email).size());

        assertEquals(200, Join.submit(browser, joinPath(integrations.get(1)), request(email)).status());
        assertEquals(200, Join.submit(browser, joinPath(integrations.get(2)), request(email)).status());
        Http.Response fourth = Join.submit(browser, joinPath(integrations.get(3)), request(email));
        assertEquals(409, fourth.status());
        assertEquals("Too many open requests", Portal.messageTitle(fourth));
        assertEquals(3, Mailbox.of(email).size());
    }

    @Test
    void anUnverifiedRequestExpiresAfter24HoursAndNoLongerHoldsItsContact() throws Exception {
        Assumptions.assumeTrue(KeycloakServer.get().db().equals("postgres"), "ages rows in the database: the PostgreSQL pass");
        String realm = mailRealm();
        JsonNode integration = joinable(realm, Map.of());
        String email = Names.unique("late") + "@partner.example";
        Portal browser = new Portal(realm);
        assertEquals(200, Join.submit(browser, joinPath(integration), request(email)).status());
        String link = Join.verificationLink(realm, email, 1);
        Join.age(email, 24 * 3600 * 1000L + 60_000);
        Http.Response expired = browser.get(link);
        assertEquals(410, expired.status());
        assertEquals("This confirmation link has expired", Portal.messageTitle(expired));
        assertEquals(410, browser.post(link, Map.of("csrf", "any")).status(), "the button too");
        assertEquals(0, adminList(realm, "").size());
        // Expired, it is no longer open: the same contact asks again and gets a new link, which works.
        assertEquals(200, Join.submit(browser, joinPath(integration), request(email)).status());
        assertEquals(200, Join.verify(browser, Join.verificationLink(realm, email, 2)).status());
        assertEquals(1, adminList(realm, "?status=pending").size());
    }

    @Test
    void aDisabledIntegrationHasNoJoinPageAndUnknownTokensAreGuesses() {
        String realm = mailRealm();
        JsonNode integration = joinable(realm, Map.of());
        Portal browser = new Portal(realm);
        Http.Response unknown = browser.get("/join/verify/ensync_ar_" + "A".repeat(43));
        assertEquals(404, unknown.status());
        assertEquals("Confirmation link not found", Portal.messageTitle(unknown));
        assertEquals(404, browser.get("/join/verify/nonsense").status());
        assertEquals(404, browser.get("/join/no-such-slug").status());
        Http.keycloak().putJson(Ensync.adminBase(realm) + "/integrations/" + integration.path("id").asText(),
                KeycloakApi.adminToken(), Map.of("enabled", false)).expect(200);
        assertEquals(404, browser.get(joinPath(integration)).status());
    }

    @Test
    void theJoinPageEscapesWhatItShowsAgain() {
        String realm = mailRealm();
        JsonNode integration = joinable(realm, Map.of("name", "Orders <script>alert(1)</script>"));
        Portal browser = new Portal(realm);
        Http.Response page = browser.get(joinPath(integration)).expect(200);
        assertFalse(page.body().contains("<script>alert(1)</script>"));
        Map<String, String> bad = new HashMap<>(request("not-an-address"));
        bad.put("appName", "\"><img src=x onerror=alert(1)>");
        Http.Response again = Join.submit(browser, joinPath(integration), bad);
        assertEquals(400, again.status());
        assertTrue(again.body().contains("data-field=\"contactEmail\""), again.body());
        assertFalse(again.body().contains("<img src=x"), "the submitted value is escaped when shown again");
        assertTrue(again.body().contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), again.body());
    }
}
