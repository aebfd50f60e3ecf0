package io.ensync.keycloak.common;

import org.keycloak.common.util.Base64Url;
import org.keycloak.common.util.SecretGenerator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Bearer secrets of the extension (integration keys, link ids): 256 random bits, base64url, stored only as SHA-256.
 * A fast hash is right here: the inputs are uniformly random and long, so there is nothing to brute-force.
 */
public final class Secrets {

    private static final int RANDOM_BYTES = 32;
    /** 32 bytes in unpadded base64url. */
    private static final Pattern RANDOM_PART = Pattern.compile("[A-Za-z0-9_-]{43}");

    private Secrets() {
    }

    public static String newSecret(String prefix) {
        return prefix + Base64Url.encode(SecretGenerator.getInstance().randomBytes(RANDOM_BYTES));
    }

    /** Whether a presented value has the shape of a secret made by {@link #newSecret}; cheap, before any look-up. */
    public static boolean looksLike(String prefix, String presented) {
        return presented != null && presented.startsWith(prefix)
                && RANDOM_PART.matcher(presented.substring(prefix.length())).matches();
    }

    public static String hash(String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
