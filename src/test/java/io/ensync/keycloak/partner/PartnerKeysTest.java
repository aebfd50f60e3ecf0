package io.ensync.keycloak.partner;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.ensync.keycloak.common.ApiErrors.assertBadRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which JWKS URLs an integration's {@code jwksUrlHosts} let through (SPEC §14): https on a listed host only. */
class PartnerKeysTest {

    private static final List<String> HOSTS = List.of("keys.partner.example", "jwks.other.example");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "https://keys.partner.example/jwks.json",
            "https://keys.partner.example:8443/a/b?c=d",
            "https://jwks.other.example/",
            "https://KEYS.partner.example/jwks.json",
    })
    void anHttpsUrlOnAnAllowedHostPasses(String url) {
        assertEquals(url, PartnerKeys.jwksUrl(HOSTS, url));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "https://elsewhere.example/jwks.json, jwks_url_not_allowed",
            "https://keys.partner.example.evil.example/jwks.json, jwks_url_not_allowed",
            "https://evil.example#@keys.partner.example/, invalid_value",
            "https://127.0.0.1/jwks.json, jwks_url_not_allowed",
            "http://keys.partner.example/jwks.json, invalid_value",
            "ftp://keys.partner.example/jwks.json, invalid_value",
            "https://user:pw@keys.partner.example/jwks.json, invalid_value",
            "https://keys.partner.example/jwks.json#frag, invalid_value",
            "keys.partner.example/jwks.json, invalid_value",
            "https://keys partner/, invalid_value",
            "'', invalid_value",
    })
    void anythingElseIsRefusedAtJwksUrl(String url, String code) {
        assertBadRequest(code, "jwksUrl", () -> PartnerKeys.jwksUrl(HOSTS, url));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"https://keys.partner.example/jwks.json"})
    void noHostsMeansNoUrl(String url) {
        assertBadRequest("jwks_url_not_allowed", "jwksUrl", () -> PartnerKeys.jwksUrl(List.of(), url));
    }
}
