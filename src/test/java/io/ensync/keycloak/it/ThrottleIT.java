package io.ensync.keycloak.it;

import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static io.ensync.keycloak.it.support.Ensync.assertError;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guessing keys and link ids from one address ends in 429 with Retry-After; valid callers are never slowed. */
@ExtendWith(KeycloakExtension.class)
class ThrottleIT {

    private static final int MAX_FAILURES = 10;

    @Test
    void repeatedBadKeysAreRefusedWhileValidKeysGoOn() {
        String realm = KeycloakApi.createRealm();
        String key = Ensync.createIntegration(realm).path("key").asText();
        String guess = "ensync_ik_" + "G".repeat(43);
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertError(Http.keycloak().get(Ensync.externalBase(realm) + "/partner", guess), 401, "invalid_key", null);
        }
        Http.Response refused = Http.keycloak().get(Ensync.externalBase(realm) + "/partner", guess);
        assertError(refused, 429, "too_many_attempts", null);
        long retryAfter = Long.parseLong(refused.header("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 60, "Retry-After " + retryAfter);

        // The same address with the valid key: not slowed.
        Http.keycloak().get(Ensync.externalBase(realm) + "/partner", key).expect(200);
        Ensync.createPartner(realm, key, Map.of()).expect(201);
        // Another realm counts on its own.
        String other = KeycloakApi.createRealm();
        assertError(Http.keycloak().get(Ensync.externalBase(other) + "/partner", guess), 401, "invalid_key", null);
    }

    @Test
    void repeatedUnknownLinksAreRefusedWhileRealLinksRedeem() {
        String realm = KeycloakApi.createRealm();
        String key = Ensync.createIntegration(realm).path("key").asText();
        String real = Ensync.linkIdOf(Ensync.createPartner(realm, key).path("url").asText());
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertError(Ensync.redeem(realm, "L".repeat(42) + i % 10), 404, "not_found", null);
        }
        Http.Response refused = Ensync.redeem(realm, "M".repeat(43));
        assertError(refused, 429, "too_many_attempts", null);
        assertTrue(refused.header("Retry-After").isPresent());
        Ensync.redeem(realm, real).expect(200);
    }
}
