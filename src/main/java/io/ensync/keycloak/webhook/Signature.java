package io.ensync.keycloak.webhook;

import io.ensync.keycloak.common.Hmac;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Standard Webhooks 1.0 signatures: {@code v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">}, keyed with the
 * base64-decoded part of a {@code whsec_} secret; several, space-separated, while a rotated secret overlaps.
 */
final class Signature {

    static final String PREFIX = "whsec_";
    static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signature() {
    }

    /** A new secret: {@code whsec_} and the base64 of 32 random bytes (the spec allows 24 to 64). */
    static String newSecret() {
        byte[] key = new byte[SECRET_BYTES];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    static String sign(String secret, String messageId, long timestampSeconds, String body) {
        if (!secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a whsec_ secret");
        }
        byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        return "v1," + Base64.getEncoder().encodeToString(Hmac.sha256(Hmac.key(key), messageId + "." + timestampSeconds + "." + body));
    }

    /** The {@code webhook-signature} header: one signature per secret, newest first. */
    static String header(List<String> secrets, String messageId, long timestampSeconds, String body) {
        return secrets.stream().map(s -> sign(s, messageId, timestampSeconds, body)).collect(Collectors.joining(" "));
    }
}
