package io.ensync.keycloak.integration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Collections;
import java.util.List;

import static io.ensync.keycloak.common.ApiErrors.assertBadRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** An integration's {@code jwksUrlHosts}: lower-case DNS names only, at most 20, duplicates folded. */
class JwksUrlHostsTest {

    @Test
    void dnsNamesPassAndDuplicatesFold() {
        assertEquals(List.of("keys.partner.example", "a-b.c1.example"),
                IntegrationSettings.jwksUrlHosts(List.of("keys.partner.example", "a-b.c1.example", "keys.partner.example")));
        assertEquals(List.of(), IntegrationSettings.jwksUrlHosts(List.of()));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", "localhost", "10.0.0.1", "127.0.0.1", "[::1]", "https://keys.example", "keys.example:443",
            "keys.example/jwks", "*.example", "Keys.Example", "-a.example", "a-.example", "a..example", "keys.example.",
            "ke ys.example", "user@keys.example"})
    void anythingElseIsRefusedNamingTheEntry(String host) {
        assertBadRequest("invalid_value", "jwksUrlHosts[1]", () -> IntegrationSettings.jwksUrlHosts(List.of("ok.example", host)));
    }

    @Test
    void atMostTwenty() {
        assertBadRequest("invalid_value", "jwksUrlHosts", () -> IntegrationSettings.jwksUrlHosts(Collections.nCopies(21, "a.example")));
    }
}
