package io.ensync.keycloak.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.integration.TopicPattern;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;

/**
 * What an EnSync broker does with a partner's access token, without calling Keycloak per message (docs/broker.md):
 * verify the RS256 signature with the realm's JWKS, the issuer, the expiry and the audience
 * {@code ensync-broker-{env}}, then match the topic against the {@code ensync} claim's patterns for the action.
 */
public final class BrokerCheck {

    private final String issuer;
    private final JsonNode jwks;

    /** @param jwks the realm's {@code /protocol/openid-connect/certs}, fetched once and cached by a real broker */
    public BrokerCheck(String issuer, JsonNode jwks) {
        this.issuer = issuer;
        this.jwks = jwks;
    }

    public static BrokerCheck forRealm(String realm) {
        String issuer = Http.keycloak().baseUrl() + "/realms/" + realm;
        return new BrokerCheck(issuer, Http.keycloak().get("/realms/" + realm + "/protocol/openid-connect/certs", null).expect(200).json());
    }

    /** Whether the token allows {@code action} ({@code send} or {@code receive}) on {@code topic} in {@code env}. */
    public boolean allows(String token, String env, String action, String topic) {
        JsonNode claims = verify(token, "ensync-broker-" + env);
        if (claims == null) {
            return false;
        }
        JsonNode ensync = claims.path("ensync");
        if (!env.equals(ensync.path("env").asText())) {
            return false;
        }
        for (JsonNode pattern : ensync.path(action)) {
            if (TopicPattern.covers(pattern.asText(), topic)) {
                return true;
            }
        }
        return false;
    }

    /** The token's claims if it is genuine, current, from this realm and meant for {@code audience}; else null. */
    JsonNode verify(String token, String audience) {
        try {
            String[] parts = token.split("\\.");
            JsonNode header = Http.JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            if (!"RS256".equals(header.path("alg").asText())) {
                return null;
            }
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(key(header.path("kid").asText()));
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!signature.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return null;
            }
            JsonNode claims = Http.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            boolean audienceMatches = claims.path("aud").isArray()
                    ? java.util.stream.StreamSupport.stream(claims.path("aud").spliterator(), false).anyMatch(a -> audience.equals(a.asText()))
                    : audience.equals(claims.path("aud").asText());
            boolean current = Instant.now().getEpochSecond() < claims.path("exp").asLong();
            return issuer.equals(claims.path("iss").asText()) && audienceMatches && current ? claims : null;
        } catch (Exception e) {
            return null;
        }
    }

    private PublicKey key(String kid) throws Exception {
        for (JsonNode jwk : jwks.path("keys")) {
            if (kid.equals(jwk.path("kid").asText()) && "RSA".equals(jwk.path("kty").asText())) {
                BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("n").asText()));
                BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("e").asText()));
                return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
            }
        }
        throw new IllegalArgumentException("unknown key " + kid);
    }
}
