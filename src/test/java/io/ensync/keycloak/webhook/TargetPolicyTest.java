package io.ensync.keycloak.webhook;

import io.ensync.keycloak.common.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TargetPolicyTest {

    @ParameterizedTest(name = "{0} blocked: {1}")
    @CsvSource({
            "127.0.0.1, true", "127.1.2.3, true", "::1, true",
            "169.254.169.254, true", "fe80::1, true",
            "10.0.0.1, true", "172.16.0.1, true", "172.31.255.255, true", "192.168.1.1, true",
            "100.64.0.1, true", "0.0.0.0, true", "::, true", "255.255.255.255, true", "224.0.0.1, true",
            "fc00::1, true", "fd12:3456::1, true", "::ffff:127.0.0.1, true", "::ffff:10.0.0.1, true", "64:ff9b::a00:1, true",
            "8.8.8.8, false", "1.1.1.1, false", "172.32.0.1, false", "100.128.0.1, false", "2001:4860:4860::8888, false",
            "::ffff:8.8.8.8, false",
    })
    void addressRule(String address, boolean blocked) throws Exception {
        assertEquals(blocked, TargetPolicy.isBlocked(InetAddress.getByName(address)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/hook", "https://169.254.169.254/latest/meta-data", "https://10.0.0.1/",
            "https://localhost:8443/x", "https://[::1]/x", "https://api.localhost/x", "https://LOCALHOST./x"})
    void privateTargetsRefusedAtCreation(String url) {
        ApiException e = assertThrows(ApiException.class, () -> TargetPolicy.checkUrl(url, false));
        assertEquals("webhook_target_blocked", e.code());
        assertEquals("url", e.field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/x", "ftp://example.com/x", "https://user:pw@example.com/x",
            "https://example.com/x#frag", "/relative", "not a url", "", "http://10.0.0.1/x"})
    void malformedOrPlainHttpRefused(String url) {
        ApiException e = assertThrows(ApiException.class, () -> TargetPolicy.checkUrl(url, true));
        assertEquals("invalid_value", e.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://localhost/x", "https://10.0.0.1/x", "https://[::1]/x"})
    void privateAndLoopbackHttpAllowedWhenConfigured(String url) {
        assertNotNull(TargetPolicy.checkUrl(url, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://203.0.113.7/x", "https://[2001:db8::1]/x"})
    void publicLiteralsAllowed(String url) {
        assertNotNull(TargetPolicy.checkUrl(url, false));
    }

    /** At delivery the name is resolved and every address checked: localhost resolves to loopback. */
    @ParameterizedTest
    @ValueSource(strings = {"https://localhost/x", "https://127.0.0.1/x", "https://10.0.0.1/x", "https://169.254.169.254/x"})
    void refusedAtDelivery(String url) {
        assertNotNull(TargetPolicy.refusal(URI.create(url), false));
        assertNull(TargetPolicy.refusal(URI.create(url), true));
    }
}
