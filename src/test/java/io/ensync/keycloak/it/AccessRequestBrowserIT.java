package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.BrowserScript;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An access request end to end, as people do it (SPEC §15): in headless Chromium a developer fills the join page on
 * a phone, follows the mailed verification link and confirms; master's admin approves on the console's Approvals
 * page; the developer onboards from the mailed one-time link and its credentials work. The mails are read from the
 * SMTP server in this JVM between the steps of src/test/browser/access-requests.test.mjs.
 */
@ExtendWith(KeycloakExtension.class)
class AccessRequestBrowserIT {

    @Test
    void aDeveloperAsksToJoinIsApprovedInTheConsoleAndOnboardsFromTheMail(KeycloakServer server) throws Exception {
        String realm = KeycloakApi.createRealm();
        Mailbox.configure(realm);
        String slug = "shop-" + Names.unique("j").toLowerCase().replaceAll("[^a-z0-9]", "");
        JsonNode integration = Ensync.createIntegration(realm, Map.of("name", "Shop events", "accessRequests", "approval",
                "joinSlug", slug, "color", "#0b7a75",
                "joinFields", List.of(Map.of("key", "website", "label", "Website", "required", true))));
        String email = Names.unique("developer") + "@partner.example";
        String appName = "Acme Shop Connector";
        Map<String, String> admin = Map.of("username", KeycloakServer.ADMIN_USERNAME, "password", KeycloakServer.ADMIN_PASSWORD);
        JsonNode master = Http.keycloak().get("/admin/realms/master", KeycloakApi.adminToken()).expect(200).json();
        Http.keycloak().putJson("/admin/realms/master", KeycloakApi.adminToken(), Map.of("adminTheme", "ensync")).expect(204);
        JsonNode onboarded;
        try {
            step(server, realm, "join", Map.of("joinUrl", server.baseUrl() + Portal.base(realm) + "/join/" + slug,
                    "integrationName", "Shop events", "appName", appName, "email", email));
            String verifyUrl = Join.verificationLink(realm, email, 1);
            assertEquals(0, Http.keycloak().get(Ensync.adminBase(realm) + "/access-requests", KeycloakApi.adminToken())
                    .expect(200).data().size(), "nothing reaches the admins before the address is confirmed");

            step(server, realm, "approve", Map.of("verifyUrl", verifyUrl, "admin", admin, "appName", appName, "email", email));
            String onboardUrl = Mailbox.await(email, 2).link(server.baseUrl() + Portal.base(realm) + "/links/");
            SecretLedger.record(Ensync.linkIdOf(onboardUrl));

            onboarded = step(server, realm, "onboard", Map.of("onboardUrl", onboardUrl, "appName", appName));
        } finally {
            Http.keycloak().putJson("/admin/realms/master", KeycloakApi.adminToken(),
                    Map.of("adminTheme", master.path("adminTheme").asText("keycloak.v2"))).expect(204);
        }

        // Independently of the pages: the request was approved by master's admin, the partner came from it, and the
        // credentials the page showed work at the token endpoint.
        JsonNode request = Http.keycloak().get(Ensync.adminBase(realm) + "/access-requests?status=approved", KeycloakApi.adminToken())
                .expect(200).data().path(0);
        assertEquals(email, request.path("contactEmail").asText());
        JsonNode partner = Http.keycloak().get(Ensync.adminBase(realm) + "/partners/" + request.path("partnerId").asText(),
                KeycloakApi.adminToken()).expect(200).data();
        assertEquals(appName, partner.path("appName").asText());
        assertEquals(integration.path("id").asText(), partner.path("integrationId").asText());
        assertEquals("https://shop.partner.example", partner.path("metadata").path("website").asText());
        assertEquals(200, KeycloakApi.clientCredentialsToken(realm, onboarded.path("clientIds").path("dev").asText(),
                onboarded.path("devSecret").asText()).status());
        assertEquals(2, Mailbox.of(email).size(), "a verification mail and an onboarding mail, nothing else");
    }

    private static JsonNode step(KeycloakServer server, String realm, String step, Map<String, Object> values) throws Exception {
        Map<String, Object> config = new LinkedHashMap<>(values);
        config.put("base", server.baseUrl());
        config.put("realm", realm);
        config.put("step", step);
        config.put("screenshotDir", BrowserScript.screenshotDir());
        return BrowserScript.run("access-requests.test.mjs", "ENSYNC_ACCESS_REQUEST_TEST", config,
                "access-request-browser-" + server.db());
    }
}
