package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import io.ensync.keycloak.it.support.Portal;
import io.ensync.keycloak.it.support.SecretLedger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The partner portal over plain HTTP (SPEC §6, §7, §10): links, sessions, CSRF, headers, escaping. */
@ExtendWith(KeycloakExtension.class)
class PortalIT {

    private static final String XSS = "<img src=x onerror=alert(1)>";
    private static final String XSS_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;";

    private static String realm;
    private static String key;
    private static String integrationName;

    @BeforeAll
    static void setUp() {
        realm = KeycloakApi.createRealm();
        integrationName = "Orders <b>portal</b>";
        key = Ensync.createIntegration(realm, Map.of("name", integrationName,
                "allowedEmbedOrigins", List.of("https://app.example.com", "https://*.partners.example.com"),
                "topics", List.of(
                        Map.of("pattern", "app/order/*", "send", true, "receive", true, "autoApprove", List.of("dev")),
                        Map.of("pattern", "app/payment/*", "send", true, "autoApprove", List.of())))).path("key").asText();
    }

    private static String newPartnerUrl() {
        return Ensync.createPartner(realm, key).path("url").asText();
    }

    private static JsonNode newPartner(Map<String, Object> body) {
        return Ensync.createPartner(realm, key, body).expect(201).data();
    }

    @Test
    void openingTheLinkShowsTheInvitationAndConsumesNothing() {
        String url = Ensync.createPartner(realm, key, Map.of("appName", "Acme Orders",
                "metadata", Map.of("color", "#0055ff", "icon", "https://cdn.example.com/acme.png"))).expect(201).data().path("url").asText();
        Portal browser = new Portal(realm);
        Http.Response page = browser.get(url).expect(200);
        browser.get(url).expect(200); // a mail scanner's prefetch, then the person
        assertEquals("Acme Orders", Portal.text(page, "invited-app"));
        assertEquals("Orders &lt;b&gt;portal&lt;/b&gt;", Portal.text(page, "inviter"));
        assertTrue(page.body().contains("--accent: #0055ff"), "the partner's colour");
        assertTrue(page.body().contains("src=\"https://cdn.example.com/acme.png\""), "the partner's icon");

        assertTrue(page.header("Content-Type").orElse("").startsWith("text/html"));
        assertEquals("no-referrer", page.header("Referrer-Policy").orElse(null));
        assertTrue(page.header("Cache-Control").orElse("").contains("no-store"));
        String csp = page.header("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'self'"), csp);
        assertTrue(csp.contains("script-src 'self';"), "no inline scripts: " + csp);
        assertTrue(csp.contains("frame-ancestors https://app.example.com https://*.partners.example.com"), csp);
        assertFalse(page.headers().firstValue("X-Frame-Options").isPresent(), "CSP frame-ancestors decides, not Keycloak's SAMEORIGIN");
        String startCookie = cookie(page, "ENSYNC_PORTAL_START");
        assertTrue(startCookie.contains("HttpOnly") && startCookie.contains("SameSite=Lax") && !startCookie.contains("Secure"), startCookie);

        // The link is still unused: the machine API can redeem it.
        Ensync.redeem(realm, Ensync.linkIdOf(url)).expect(200);
    }

    @Test
    void startingOnboardsOnceAndOpensASession() {
        String url = newPartnerUrl();
        Portal browser = new Portal(realm);
        Http.Response link = browser.get(url).expect(200);
        Http.Response started = browser.post(url, Map.of("csrf", Portal.csrf(link))).expect(200);
        List<String> secrets = Portal.secrets(started.body());
        assertEquals(3, secrets.size(), started.body());
        assertTrue(started.body().contains("only time it is shown"), "the plain warning");
        String session = cookie(started, "ENSYNC_PORTAL");
        assertTrue(session.contains("HttpOnly") && session.contains("SameSite=Lax")
                && session.contains("Path=/realms/" + realm + "/ensync/portal"), session);
        assertEquals("no-referrer", started.header("Referrer-Policy").orElse(null));

        String devClient = Portal.text(started, "client-id-dev");
        KeycloakApi.clientCredentialsToken(realm, devClient, Portal.text(started, "secret-dev")).expect(200);
        KeycloakApi.clientCredentialsToken(realm, Portal.text(started, "client-id-stage"), Portal.text(started, "secret-stage")).expect(200);
        assertNotEquals(200, KeycloakApi.clientCredentialsToken(realm, Portal.text(started, "client-id-prod"),
                Portal.text(started, "secret-prod")).status(), "prod stays disabled until promotion");

        Http.Response environments = browser.get("/environments").expect(200);
        assertEquals(devClient, Portal.text(environments, "client-id-dev"));
        assertTrue(Portal.text(environments, "status-prod").contains("Disabled"));
        for (String secret : secrets) {
            assertFalse(environments.body().contains(secret), "a secret is shown once only");
        }
        // The link is spent: the machine API and a second tab both see it used.
        Ensync.assertError(Ensync.redeem(realm, Ensync.linkIdOf(url)), 410, "link_used", null);
    }

    @Test
    void aSecondTabWithTheSameLinkGetsTheLinkUsedPage() {
        String url = newPartnerUrl();
        Portal browser = new Portal(realm);
        Http.Response secondTab = browser.get(url).expect(200); // loaded before the first tab starts
        browser.onboard(url);
        Http.Response reopened = browser.get(url);
        assertEquals(410, reopened.status(), reopened::toString);
        assertTrue(Portal.messageTitle(reopened).contains("already been used"));
        assertTrue(reopened.body().contains("Ask the integrator for a new link"));
        Http.Response lateStart = browser.post(url, Map.of("csrf", Portal.csrf(secondTab)));
        assertEquals(410, lateStart.status(), lateStart::toString);
        assertTrue(Portal.messageTitle(lateStart).contains("already been used"));
        assertTrue(lateStart.header("Content-Security-Policy").orElse("").contains("frame-ancestors https://app.example.com"),
                "the used-link page is framed for the link's integration");
    }

    @Test
    void unknownAndExpiredLinksGetTheirPages() {
        Portal browser = new Portal(realm);
        Http.Response unknown = browser.get("/links/" + "A".repeat(43));
        assertEquals(404, unknown.status());
        assertEquals("Link not found", Portal.messageTitle(unknown));
        assertTrue(unknown.header("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
        assertEquals(404, browser.get("/links/not-a-link").status());

        JsonNode partner = Ensync.createPartner(realm, key);
        // A new link replaces the first one: the first is expired from then on.
        SecretLedger.record(Ensync.linkIdOf(Http.keycloak().postJson(Ensync.externalBase(realm) + "/partner/"
                + partner.path("id").asText() + "/link", key, Map.of()).expect(201).data().path("url").asText()));
        Http.Response expired = browser.get(partner.path("url").asText());
        assertEquals(410, expired.status());
        assertEquals("This link has expired", Portal.messageTitle(expired));
    }

    @Test
    void aStartWithoutTheTokenOrWithAnotherBrowsersTokenChangesNothing() {
        String url = newPartnerUrl();
        Portal victim = new Portal(realm);
        Portal attacker = new Portal(realm);
        Http.Response attackerPage = attacker.get(url).expect(200);
        victim.get(url).expect(200);

        Http.Response noToken = victim.post(url, Map.of());
        assertEquals(403, noToken.status(), noToken::toString);
        assertEquals("This form has expired", Portal.messageTitle(noToken));
        Http.Response foreignToken = victim.post(url, Map.of("csrf", Portal.csrf(attackerPage)));
        assertEquals(403, foreignToken.status());
        // Nothing changed: the link is still unused.
        victim.onboard(url);
    }

    @Test
    void formsRefuseAMissingOrForeignCsrfTokenAndChangeNothing() {
        Portal alice = new Portal(realm);
        Map<String, String> aliceSecrets = alice.onboard(newPartnerUrl());
        Portal bob = new Portal(realm);
        bob.onboard(newPartnerUrl());
        Http.Response aliceEnvs = alice.get("/environments").expect(200);
        String aliceClient = Portal.text(aliceEnvs, "client-id-dev");
        String bobCsrf = Portal.csrf(bob.get("/environments").expect(200));

        Http.Response missing = alice.post("/environments/dev/secret", Map.of("revokePrevious", "true"));
        assertEquals(403, missing.status(), missing::toString);
        Http.Response foreign = alice.post("/environments/dev/secret", Map.of("csrf", bobCsrf, "revokePrevious", "true"));
        assertEquals(403, foreign.status());
        Http.Response wrongType = alice.http().request("POST", Portal.base(realm) + "/environments/dev/secret")
                .json(Map.of("csrf", Portal.csrf(aliceEnvs), "revokePrevious", "true")).send();
        assertEquals(403, wrongType.status(), "a JSON body is no form: " + wrongType);
        assertTrue(Portal.secrets(missing.body() + foreign.body()).isEmpty());
        // The secret was not rotated, let alone revoked.
        KeycloakApi.clientCredentialsToken(realm, aliceClient, aliceSecrets.get("dev")).expect(200);
        assertFalse(alice.get("/environments").body().contains("data-testid=\"previous-dev\""));
        Http.Response logout = alice.post("/logout", Map.of("csrf", bobCsrf));
        assertEquals(403, logout.status());
        alice.get("/environments").expect(200);

        // With its own token the rotation happens; the old secret lives on for the grace period.
        Http.Response rotated = alice.post("/environments/dev/secret", Map.of("csrf", Portal.csrf(aliceEnvs))).expect(200);
        String newSecret = Portal.text(rotated, "rotated-secret");
        KeycloakApi.clientCredentialsToken(realm, aliceClient, newSecret).expect(200);
        KeycloakApi.clientCredentialsToken(realm, aliceClient, aliceSecrets.get("dev")).expect(200);
        assertTrue(Portal.text(rotated, "rotated-previous").contains("keeps working until"));
        assertEquals(400, alice.post("/environments/qa/secret", Map.of("csrf", Portal.csrf(aliceEnvs))).status());
    }

    @Test
    void markupInNamesAndMetadataIsShownAsText() {
        JsonNode partner = newPartner(Map.of("appName", XSS, "appDescription", XSS,
                "metadata", Map.of("owner", XSS, "tags", List.of(XSS))));
        String url = partner.path("url").asText();
        Portal browser = new Portal(realm);
        Http.Response link = browser.get(url).expect(200);
        Http.Response onboarded = browser.post(url, Map.of("csrf", Portal.csrf(link))).expect(200);
        Http.Response environments = browser.get("/environments").expect(200);
        Http.Response history = browser.get("/history").expect(200);
        Http.Response used = browser.get(url);
        for (Http.Response page : List.of(link, onboarded, environments, history, used)) {
            assertFalse(page.body().contains("<img src=x"), () -> "raw markup in " + page);
        }
        for (Http.Response page : List.of(link, onboarded, environments, history)) {
            assertTrue(page.body().contains(XSS_ESCAPED), () -> "the name shown as text in " + page);
        }
    }

    @Test
    void aReentryLinkOpensTheEnvironmentsPage() {
        JsonNode partner = Ensync.createPartner(realm, key);
        Ensync.redeemOk(realm, partner.path("url").asText());
        String reentry = Http.keycloak().postJson(Ensync.externalBase(realm) + "/partner/" + partner.path("id").asText() + "/link",
                key, Map.of()).expect(201).data().path("url").asText();
        SecretLedger.record(Ensync.linkIdOf(reentry));
        Portal browser = new Portal(realm);
        Http.Response page = browser.get(reentry).expect(200);
        assertTrue(page.body().contains("Open the partner portal"));
        Http.Response started = browser.post(reentry, Map.of("csrf", Portal.csrf(page)));
        assertEquals(303, started.status(), started::toString);
        assertTrue(started.header("Location").orElse("").endsWith("/realms/" + realm + "/ensync/portal/environments"));
        Http.Response environments = browser.get("/environments").expect(200);
        assertTrue(Portal.secrets(environments.body()).isEmpty(), "a re-entry shows no secret");
        assertEquals(410, browser.get(reentry).status());
    }

    @Test
    void sessionsEndOnSignOutAndOffboarding() {
        Portal browser = new Portal(realm);
        browser.onboard(newPartnerUrl());
        Http.Response envs = browser.get("/environments").expect(200);
        browser.post("/logout", Map.of("csrf", Portal.csrf(envs))).expect(200);
        Http.Response after = browser.get("/environments");
        assertEquals(401, after.status());
        assertEquals("Your session has ended", Portal.messageTitle(after));

        JsonNode partner = Ensync.createPartner(realm, key);
        Portal other = new Portal(realm);
        other.onboard(partner.path("url").asText());
        other.get("/environments").expect(200);
        Http.Response suspended = Http.keycloak().postJson(Ensync.adminBase(realm) + "/partners/" + partner.path("id").asText()
                + "/suspend", KeycloakApi.adminToken(), Map.of()).expect(200);
        // Suspension ends the session at once (not merely refused while suspended).
        Http.Response whileSuspended = other.get("/environments");
        assertEquals(401, whileSuspended.status(), "suspended: " + suspended.status());
        assertEquals("Your session has ended", Portal.messageTitle(whileSuspended));
        Http.keycloak().postJson(Ensync.adminBase(realm) + "/partners/" + partner.path("id").asText() + "/resume",
                KeycloakApi.adminToken(), Map.of()).expect(200);
        // Suspension ended the session: the resume does not bring it back.
        Http.Response resumed = other.get("/environments");
        assertEquals(401, resumed.status());
        assertEquals("Your session has ended", Portal.messageTitle(resumed));
        String reentry = Http.keycloak().request("POST", Ensync.externalBase(realm) + "/partner/" + partner.path("id").asText() + "/link")
                .bearer(key).send().expect(201).data().path("url").asText();
        SecretLedger.record(Ensync.linkIdOf(reentry));
        assertEquals(303, other.start(reentry).status());
        other.get("/environments").expect(200);
        Http.keycloak().delete(Ensync.externalBase(realm) + "/partner/" + partner.path("id").asText(), key).expect(200);
        assertEquals(401, other.get("/environments").status(), "offboarding ends the session");
        assertEquals(401, new Portal(realm).get("/history").status());
    }

    @Test
    void sessionsExpireWhenIdleAndAtTheirAbsoluteEnd() throws Exception {
        Assumptions.assumeTrue(KeycloakServer.get().db().equals("postgres"), "ages sessions in PostgreSQL directly");
        long minute = 60_000L;
        JsonNode idle = Ensync.createPartner(realm, key);
        Portal idleBrowser = new Portal(realm);
        idleBrowser.onboard(idle.path("url").asText());
        Portal.ageSessions(idle.path("id").asText(), 29 * minute, -7 * 60 * minute);
        idleBrowser.get("/environments").expect(200); // 29 minutes idle: still alive, and touched again
        Portal.ageSessions(idle.path("id").asText(), 31 * minute, -7 * 60 * minute);
        assertEquals(401, idleBrowser.get("/environments").status(), "31 minutes idle ends it");

        JsonNode old = Ensync.createPartner(realm, key);
        Portal oldBrowser = new Portal(realm);
        oldBrowser.onboard(old.path("url").asText());
        Portal.ageSessions(old.path("id").asText(), minute, minute);
        assertEquals(401, oldBrowser.get("/environments").status(), "past its absolute end, however active");
    }

    @Test
    void historyListsPortalActionsAndAuthenticationFailures() {
        Http.keycloak().putJson("/admin/realms/" + realm, KeycloakApi.adminToken(), Map.of("eventsEnabled", true)).expect(204);
        Portal browser = new Portal(realm);
        browser.onboard(newPartnerUrl());
        Http.Response envs = browser.get("/environments").expect(200);
        String devClient = Portal.text(envs, "client-id-dev");
        browser.post("/environments/stage/secret", Map.of("csrf", Portal.csrf(envs), "revokePrevious", "true")).expect(200);
        assertEquals(401, KeycloakApi.clientCredentialsToken(realm, devClient, "wrong-secret-0123456789").status());

        Http.Response history = browser.get("/history").expect(200);
        String table = history.body();
        assertTrue(table.indexOf("ENSYNC_SECRET UPDATE") < table.indexOf("ENSYNC_PARTNER UPDATE"), "newest first");
        assertTrue(table.contains("environment: stage") && table.contains("revokePrevious: true"), table);
        assertTrue(table.contains("action: portal_session_start"));
        assertTrue(table.contains(devClient) && table.contains("invalid_client_credentials"), "the failed token request");
        Http.Response paged = browser.get("/history?max=2").expect(200);
        assertTrue(paged.body().contains("data-testid=\"older\""));
        assertEquals(400, browser.get("/history?max=0").status());

        Http.keycloak().putJson("/admin/realms/" + realm, KeycloakApi.adminToken(),
                Map.of("eventsEnabled", false, "adminEventsEnabled", false)).expect(204);
        Http.Response unstored = browser.get("/history").expect(200);
        assertTrue(unstored.body().contains("data-testid=\"audit-not-stored\""));
        assertTrue(unstored.body().contains("data-testid=\"login-events-not-stored\""));
        Http.keycloak().putJson("/admin/realms/" + realm, KeycloakApi.adminToken(), Map.of("adminEventsEnabled", true)).expect(204);
    }

    @Test
    void overHttpsTheCookiesAreSecureAndCrossSiteForEmbedding() {
        String url = newPartnerUrl();
        Portal browser = new Portal(realm);
        Http.Response page = browser.http().request("GET", url).header("X-Forwarded-Proto", "https").send().expect(200);
        String start = cookie(page, "ENSYNC_PORTAL_START");
        assertTrue(start.contains("HttpOnly") && start.contains("Secure") && start.contains("SameSite=None"), start);
    }

    // ---------------------------------------------------------------- events page

    /** The partner's grants as the admin API sees them: id → status. */
    private static Map<String, String> grantsOf(String partnerId) {
        Map<String, String> grants = new java.util.TreeMap<>();
        Http.keycloak().get(Ensync.adminBase(realm) + "/grants?partner=" + partnerId, KeycloakApi.adminToken()).expect(200).data()
                .forEach(g -> grants.put(g.path("topic").asText() + "@" + g.path("environment").asText(), g.path("status").asText()));
        return grants;
    }

    private static List<String> promotionsOf(String partnerId) {
        return Ensync.names(Http.keycloak().get(Ensync.adminBase(realm) + "/promotions?partner=" + partnerId,
                KeycloakApi.adminToken()).expect(200).data(), "status");
    }

    private static List<String> sendClaim(Portal browser, String env, String secret) {
        String clientId = Portal.text(browser.get("/environments").expect(200), "client-id-" + env);
        String token = KeycloakApi.clientCredentialsToken(realm, clientId, secret).expect(200).json().path("access_token").asText();
        try {
            JsonNode claims = Http.JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
            List<String> send = new java.util.ArrayList<>();
            claims.path("ensync").path("send").forEach(v -> send.add(v.asText()));
            return send;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Http.Response requestTopic(Portal browser, String csrf, String topic, String env, String... scopes) {
        StringBuilder form = new StringBuilder("csrf=").append(encode(csrf)).append("&topic=").append(encode(topic))
                .append("&environment=").append(encode(env));
        for (String scope : scopes) {
            form.append("&scope=").append(scope);
        }
        // Two values of one field (scope=send&scope=receive) need a raw body; the Map helper has one value per name.
        return browser.http().request("POST", Portal.base(realm) + "/events/grants")
                .body("application/x-www-form-urlencoded", form.toString()).send();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String errorCode(Http.Response page) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("data-testid=\"event-error\" data-code=\"([^\"]*)\"").matcher(page.body());
        assertTrue(m.find(), () -> "no error shown in " + page);
        return m.group(1);
    }

    private static String outcomeStatus(Http.Response page) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("data-testid=\"outcome\" data-kind=\"[a-z]+\" data-status=\"([a-z]+)\"").matcher(page.body());
        assertTrue(m.find(), () -> "no outcome in " + page);
        return m.group(1);
    }

    private static String grantId(Http.Response page, String topic, String env) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("data-testid=\"grants-" + env + "\"[\\s\\S]*?data-testid=\"grant-([^\"]+)\" data-topic=\""
                + java.util.regex.Pattern.quote(topic) + "\"").matcher(page.body());
        assertTrue(m.find(), () -> "no grant " + topic + " in " + env + ": " + page);
        return m.group(1);
    }

    @Test
    void theEventsPageRequestsTopicsApprovedAtOnceOrPending() {
        JsonNode partner = Ensync.createPartner(realm, key);
        String partnerId = partner.path("id").asText();
        Portal browser = new Portal(realm);
        Map<String, String> secrets = browser.onboard(partner.path("url").asText());
        Http.Response events = browser.get("/events").expect(200);
        assertTrue(events.body().contains("<code>app/order/*</code>") && events.body().contains("<code>app/payment/*</code>"), "the catalog");
        assertTrue(events.body().contains(Portal.base(realm) + "/events\">Events</a>"), "the nav entry");
        String csrf = Portal.csrf(events);

        Http.Response approved = requestTopic(browser, csrf, "app/order/created", "dev", "send", "receive").expect(200);
        assertEquals("approved", outcomeStatus(approved), "inside the catalog's auto-approval for dev");
        assertTrue(Portal.text(approved, "grant-status").contains("Approved"));
        assertEquals(List.of("app/order/created"), sendClaim(browser, "dev", secrets.get("dev")), "in the next token");

        Http.Response pending = requestTopic(browser, csrf, "app/payment/refunded", "stage", "send").expect(200);
        assertEquals("pending", outcomeStatus(pending), "no auto-approval for payments");
        assertTrue(pending.body().contains("waiting for approval"));
        assertEquals(List.of(), sendClaim(browser, "stage", secrets.get("stage")), "a pending grant is in no token");
        assertEquals(Map.of("app/order/created@dev", "approved", "app/payment/refunded@stage", "pending"), grantsOf(partnerId));

        // Refusals: a clear message, the form as typed, and nothing changed.
        Http.Response outside = requestTopic(browser, csrf, "app/user/created", "dev", "send");
        assertEquals(400, outside.status(), outside::toString);
        assertEquals("not_in_catalog", errorCode(outside));
        assertTrue(outside.body().contains("value=\"app/user/created\""), "the typed topic is kept");
        Http.Response receivePayment = requestTopic(browser, csrf, "app/payment/refunded", "dev", "receive");
        assertEquals("not_in_catalog", errorCode(receivePayment), "payments offer send only");
        Http.Response twice = requestTopic(browser, csrf, "app/order/created", "dev", "send");
        assertEquals(409, twice.status());
        assertEquals("grant_exists", errorCode(twice));
        Http.Response prod = requestTopic(browser, csrf, "app/order/created", "prod", "send");
        assertEquals(409, prod.status());
        assertEquals("environment_not_open", errorCode(prod));
        Http.Response badTopic = requestTopic(browser, csrf, "app//<b>x</b>", "dev", "send");
        assertEquals(400, badTopic.status());
        assertEquals("invalid_value", errorCode(badTopic));
        assertFalse(badTopic.body().contains("<b>x</b>"), "the typed topic is text");
        assertTrue(badTopic.body().contains("app//&lt;b&gt;x&lt;/b&gt;"));
        assertEquals(400, requestTopic(browser, csrf, "app/order/created", "dev").status(), "no scope");
        assertEquals(400, requestTopic(browser, csrf, "app/order/created", "qa", "send").status(), "no such environment");
        assertEquals(Map.of("app/order/created@dev", "approved", "app/payment/refunded@stage", "pending"), grantsOf(partnerId));
    }

    @Test
    void eventFormsWithoutTheSessionsCsrfTokenChangeNothing() {
        JsonNode partner = Ensync.createPartner(realm, key);
        String partnerId = partner.path("id").asText();
        Portal browser = new Portal(realm);
        browser.onboard(partner.path("url").asText());
        Portal other = new Portal(realm);
        other.onboard(newPartnerUrl());
        String foreignCsrf = Portal.csrf(other.get("/events").expect(200));
        String csrf = Portal.csrf(browser.get("/events").expect(200));
        Http.Response granted = requestTopic(browser, csrf, "app/order/*", "dev", "send").expect(200);
        String grantId = grantId(granted, "app/order/*", "dev");

        assertEquals(403, browser.post("/events/grants", Map.of("topic", "app/order/paid", "environment", "dev", "scope", "send")).status());
        assertEquals(403, requestTopic(browser, foreignCsrf, "app/order/paid", "dev", "send").status());
        Http.Response withdraw = browser.post("/events/grants/" + grantId + "/withdraw", Map.of());
        assertEquals(403, withdraw.status(), withdraw::toString);
        assertEquals("This form has expired", Portal.messageTitle(withdraw));
        assertEquals(403, browser.post("/events/grants/" + grantId + "/withdraw", Map.of("csrf", foreignCsrf)).status());
        assertEquals(403, browser.post("/events/promotion/stage", Map.of()).status());
        assertEquals(403, browser.post("/events/promotion/stage", Map.of("csrf", foreignCsrf)).status());

        assertEquals(Map.of("app/order/*@dev", "approved"), grantsOf(partnerId));
        assertEquals(List.of(), promotionsOf(partnerId));
        assertEquals(401, new Portal(realm).post("/events/grants/" + grantId + "/withdraw", Map.of("csrf", csrf)).status(), "no session");
    }

    @Test
    void aGrantIsWithdrawnFromThePortal() {
        JsonNode partner = Ensync.createPartner(realm, key);
        String partnerId = partner.path("id").asText();
        Portal browser = new Portal(realm);
        Map<String, String> secrets = browser.onboard(partner.path("url").asText());
        String csrf = Portal.csrf(browser.get("/events").expect(200));
        requestTopic(browser, csrf, "app/order/created", "dev", "send").expect(200);
        Http.Response page = requestTopic(browser, csrf, "app/payment/*", "dev", "send").expect(200);
        String approvedId = grantId(page, "app/order/created", "dev");
        String pendingId = grantId(page, "app/payment/*", "dev");

        // Another partner's session cannot withdraw it: unknown to that partner, nothing changed.
        Portal other = new Portal(realm);
        other.onboard(newPartnerUrl());
        Http.Response foreign = other.post("/events/grants/" + approvedId + "/withdraw", Map.of("csrf", Portal.csrf(other.get("/events").expect(200))));
        assertEquals(404, foreign.status(), foreign::toString);
        assertEquals("not_found", errorCode(foreign));

        Http.Response withdrawn = browser.post("/events/grants/" + approvedId + "/withdraw", Map.of("csrf", csrf)).expect(200);
        assertEquals("withdrawn", outcomeStatus(withdrawn));
        assertEquals(List.of(), sendClaim(browser, "dev", secrets.get("dev")), "gone from the next token");
        browser.post("/events/grants/" + pendingId + "/withdraw", Map.of("csrf", csrf)).expect(200);
        Http.Response again = browser.post("/events/grants/" + approvedId + "/withdraw", Map.of("csrf", csrf));
        assertEquals(409, again.status());
        assertEquals("grant_not_active", errorCode(again));
        assertEquals(Map.of("app/order/created@dev", "withdrawn", "app/payment/*@dev", "withdrawn"), grantsOf(partnerId));
        // A withdrawn grant has no withdraw button any more; it can be requested again.
        assertFalse(browser.get("/events").expect(200).body().contains("/events/grants/" + approvedId + "/withdraw"));
        assertEquals("approved", outcomeStatus(requestTopic(browser, csrf, "app/order/created", "dev", "send").expect(200)));
    }

    @Test
    void aPromotionIsRequestedFromThePortalAndItsOutcomeShown() {
        JsonNode partner = Ensync.createPartner(realm, key);
        String partnerId = partner.path("id").asText();
        Portal browser = new Portal(realm);
        browser.onboard(partner.path("url").asText());
        Http.Response events = browser.get("/events").expect(200);
        String csrf = Portal.csrf(events);
        assertTrue(events.body().contains("data-testid=\"promote-stage\""), "stage → prod is offered");
        assertFalse(events.body().contains("data-testid=\"promotion-prod\""), "prod has no next environment");

        // An approved stage grant: the promotion records it, and the events page shows what it will copy.
        assertEquals("pending", outcomeStatus(requestTopic(browser, csrf, "app/order/created", "stage", "receive").expect(200)));
        String stageGrant = Http.keycloak().get(Ensync.adminBase(realm) + "/grants?status=pending&partner=" + partnerId, KeycloakApi.adminToken())
                .expect(200).data().get(0).path("id").asText();
        Http.keycloak().postJson(Ensync.adminBase(realm) + "/grants/" + stageGrant + "/approve", KeycloakApi.adminToken(), Map.of()).expect(200);
        Http.Response requested = browser.post("/events/promotion/stage", Map.of("csrf", csrf)).expect(200);
        assertEquals("pending", outcomeStatus(requested));
        assertTrue(browser.get("/events").expect(200).body().contains("<code>app/order/created (receive)</code>"),
                "the promotion's recorded grants are shown");
        assertTrue(requested.body().contains("data-testid=\"promotion-stage\" data-state=\"pending\""));
        Http.Response twice = browser.post("/events/promotion/stage", Map.of("csrf", csrf));
        assertEquals(409, twice.status());
        assertEquals("promotion_pending", errorCode(twice));
        Http.Response last = browser.post("/events/promotion/prod", Map.of("csrf", csrf));
        assertEquals(409, last.status());
        assertEquals("no_next_environment", errorCode(last));
        assertEquals(400, browser.post("/events/promotion/qa", Map.of("csrf", csrf)).status());
        assertEquals(List.of("pending"), promotionsOf(partnerId));

        String promotionId = Http.keycloak().get(Ensync.adminBase(realm) + "/promotions?partner=" + partnerId, KeycloakApi.adminToken())
                .expect(200).data().get(0).path("id").asText();
        Http.keycloak().postJson(Ensync.adminBase(realm) + "/promotions/" + promotionId + "/approve", KeycloakApi.adminToken(), Map.of()).expect(200);
        Http.Response after = browser.get("/events").expect(200);
        assertTrue(after.body().contains("data-testid=\"promotion-row\" data-status=\"approved\""), "the outcome");
        assertTrue(after.body().contains("data-testid=\"promotion-stage\" data-state=\"reached\""));
        assertTrue(after.body().contains("<option value=\"prod\">"), "prod can now be requested in");
        assertEquals("pending", outcomeStatus(requestTopic(browser, csrf, "app/order/updated", "prod", "receive").expect(200)),
                "prod is open now; the catalog auto-approves dev only, so it waits");
        assertEquals(409, requestTopic(browser, csrf, "app/order/created", "prod", "receive").status(),
                "the promotion copied the recorded stage grant");
    }

    private static String cookie(Http.Response response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .findFirst().orElseThrow(() -> new AssertionError("no cookie " + name + " in " + response.headers()));
    }
}
