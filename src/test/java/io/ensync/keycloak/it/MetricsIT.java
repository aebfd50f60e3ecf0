package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import io.ensync.keycloak.it.support.MetricsText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The extension's counters on Keycloak's own metrics endpoint, by realm (SPEC §11). */
@ExtendWith(KeycloakExtension.class)
class MetricsIT {

    @Test
    void countsPartnersLinksRejectedKeysAndGrantDecisions(KeycloakServer server) {
        String realm = KeycloakApi.createRealm();
        String key = Ensync.createIntegration(realm, Map.of("name", "metrics", "topics",
                List.of(Map.of("pattern", "app/*", "send", true, "autoApprove", List.of("dev"))))).path("key").asText();
        JsonNode first = Ensync.createPartner(realm, key);
        Ensync.createPartner(realm, key);
        Map<String, JsonNode> creds = Ensync.redeemOk(realm, first.path("url").asText());
        Http.keycloak().get(Ensync.externalBase(realm) + "/partner", "ensync_ik_" + "x".repeat(43)).expect(401);
        Http.keycloak().get(Ensync.externalBase(realm) + "/partner", null).expect(401);
        String token = Ensync.partnerApiToken(realm, creds.get("dev"));
        Http.keycloak().postJson(Ensync.partnerApiBase(realm) + "/me/grants", token, Map.of("topic", "app/x", "scopes", List.of("send"))).expect(201);

        String metrics = MetricsText.scrape(server);
        assertEquals(2.0, MetricsText.required(metrics, "ensync_partners_created_total", MetricsText.realm(realm)));
        assertEquals(1.0, MetricsText.required(metrics, "ensync_links_redeemed_total", MetricsText.realm(realm), "purpose=\"onboarding\""));
        assertEquals(1.0, MetricsText.required(metrics, "ensync_keys_rejected_total", MetricsText.realm(realm), "reason=\"invalid_key\""));
        assertEquals(1.0, MetricsText.required(metrics, "ensync_keys_rejected_total", MetricsText.realm(realm), "reason=\"missing_credentials\""));
        assertEquals(1.0, MetricsText.required(metrics, "ensync_grants_decided_total", MetricsText.realm(realm), "decision=\"approved\""));
    }
}
