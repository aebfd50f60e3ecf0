package io.ensync.keycloak.common;

import org.keycloak.common.util.Base64Url;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * HMAC-SHA256 with a purpose label, the extension's one way to derive or seal a value: {@code HMAC(key, purpose + ":"
 * + data)}, base64url. The label keeps uses of one key apart (a link id can never pass as a sealed claim).
 */
public final class Hmac {

    private static final String ALGORITHM = "HmacSHA256";

    private Hmac() {
    }

    /** The realm's active HS512 key (Keycloak's {@code hmac-generated-hs512}), or null when the realm has none. */
    public static SecretKey realmKey(KeycloakSession session, RealmModel realm) {
        KeyWrapper key = session.keys().getActiveKey(realm, KeyUse.SIG, Algorithm.HS512);
        return key == null ? null : key.getSecretKey();
    }

    public static String sign(SecretKey key, String purpose, String data) {
        return Base64Url.encode(sha256(key, purpose + ":" + data));
    }

    /** The bare HMAC-SHA256 of the text's UTF-8 bytes (webhook signatures frame and encode it as their standard says). */
    public static byte[] sha256(SecretKey key, String text) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }

    /** A key of raw bytes for {@link #sha256}. */
    public static SecretKey key(byte[] bytes) {
        return new SecretKeySpec(bytes, ALGORITHM);
    }

    /** With a key given as text (a cookie's random value). */
    public static String sign(String key, String purpose, String data) {
        return sign(key(key.getBytes(StandardCharsets.UTF_8)), purpose, data);
    }

    /** Compares in constant time; a null on either side never matches. */
    public static boolean matches(String expected, String presented) {
        return expected != null && presented != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
