package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static io.ensync.keycloak.it.support.Ensync.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guessing keys and link ids from one address ends in 429 with Retry-After; a blocked address is refused before any
 * look-up, even with a correct value, and its refusals write nothing. A caller that is not a trusted proxy cannot
 * escape the count with X-Forwarded-For. The server under test trusts {@link KeycloakServer#TRUSTED_PROXY} only.
 */
@ExtendWith(KeycloakExtension.class)
class ThrottleIT {

    private static final int MAX_FAILURES = 10;
    /** Another loopback address: a peer whose forwarded headers Keycloak must ignore. */
    private static final String UNTRUSTED_PEER = "127.0.0.2";

    @Test
    void aBlockedAddressIsRefusedBeforeAnyLookUpEvenWithAValidKey() {
        String realm = KeycloakApi.createRealm();
        JsonNode integration = Ensync.createIntegration(realm);
        String key = integration.path("key").asText();
        String keys = Ensync.adminBase(realm) + "/integrations/" + integration.path("id").asText() + "/keys";
        String guess = "ensync_ik_" + "G".repeat(43);
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertError(Http.keycloak().get(Ensync.externalBase(realm) + "/partner", guess), 401, "invalid_key", null);
        }
        Http.Response refused = Http.keycloak().get(Ensync.externalBase(realm) + "/partner", guess);
        assertError(refused, 429, "too_many_attempts", null);
        long retryAfter = Long.parseLong(refused.header("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 60, "Retry-After " + retryAfter);

        // The correct key from the blocked address is refused too, and never reached its look-up: a key that is
        // found is marked used, and this one still has never been used.
        assertError(Http.keycloak().get(Ensync.externalBase(realm) + "/partner", key), 429, "too_many_attempts", null);
        assertError(Ensync.createPartner(realm, key, java.util.Map.of()), 429, "too_many_attempts", null);
        JsonNode stored = Http.keycloak().get(keys, KeycloakApi.adminToken()).expect(200).data().get(0);
        assertTrue(stored.path("lastUsedAt").isNull() || stored.path("lastUsedAt").isMissingNode(), stored.toString());
        assertEquals(0, Ensync.partnerCount(realm));

        // Another address goes on; another realm counts on its own.
        assertEquals(200, rawGet(UNTRUSTED_PEER, Ensync.externalBase(realm) + "/partner", key, null));
        String other = KeycloakApi.createRealm();
        assertError(Http.keycloak().get(Ensync.externalBase(other) + "/partner", guess), 401, "invalid_key", null);
    }

    @Test
    void aBlockedAddressCannotRedeemARealLink() {
        String realm = KeycloakApi.createRealm();
        String key = Ensync.createIntegration(realm).path("key").asText();
        String real = Ensync.linkIdOf(Ensync.createPartner(realm, key).path("url").asText());
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertError(Ensync.redeem(realm, "L".repeat(42) + i % 10), 404, "not_found", null);
        }
        Http.Response refused = Ensync.redeem(realm, "M".repeat(43));
        assertError(refused, 429, "too_many_attempts", null);
        assertTrue(refused.header("Retry-After").isPresent());
        // The real link from the blocked address: refused, and not consumed.
        assertError(Ensync.redeem(realm, real), 429, "too_many_attempts", null);
        assertEquals(200, rawPost(UNTRUSTED_PEER, Ensync.partnerApiBase(realm) + "/links/" + real + "/redeem", null));
    }

    @Test
    void forwardedAddressesOfAnUntrustedPeerDoNotEscapeTheCount() {
        String realm = KeycloakApi.createRealm();
        String path = Ensync.externalBase(realm) + "/partner";
        String guess = "ensync_ik_" + "F".repeat(43);
        // An untrusted peer writes a new X-Forwarded-For on every guess: Keycloak ignores it, the peer is counted.
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertEquals(401, rawGet(UNTRUSTED_PEER, path, guess, "198.51.100." + i));
        }
        assertEquals(429, rawGet(UNTRUSTED_PEER, path, guess, "198.51.100.200"));
        // Behind the trusted proxy the forwarded address is the client's: each one is counted on its own.
        for (int i = 0; i < MAX_FAILURES + 2; i++) {
            assertEquals(401, Http.keycloak().request("GET", path).bearer(guess)
                    .header("X-Forwarded-For", "203.0.113." + i).send().status());
        }
    }

    private static int rawGet(String localAddress, String path, String bearer, String forwardedFor) {
        return raw(localAddress, "GET", path, bearer, forwardedFor);
    }

    private static int rawPost(String localAddress, String path, String bearer) {
        return raw(localAddress, "POST", path, bearer, null);
    }

    /** One HTTP/1.1 request from a chosen local address (java.net.http cannot bind one on Java 17); its status. */
    private static int raw(String localAddress, String method, String path, String bearer, String forwardedFor) {
        URI base = URI.create(KeycloakServer.get().baseUrl());
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n")
                    .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                    .append("Connection: close\r\n");
            if (bearer != null) {
                request.append("Authorization: Bearer ").append(bearer).append("\r\n");
            }
            if (forwardedFor != null) {
                request.append("X-Forwarded-For: ").append(forwardedFor).append("\r\n");
            }
            if ("POST".equals(method)) {
                request.append("Content-Length: 0\r\n");
            }
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder statusLine = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                statusLine.append((char) c);
            }
            return Integer.parseInt(statusLine.toString().split(" ")[1]);
        } catch (IOException e) {
            throw new AssertionError("request from " + localAddress + " failed", e);
        }
    }
}
