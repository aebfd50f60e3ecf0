package io.ensync.keycloak.permission;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sealed claim opens only for the client it was sealed for, with the key it was sealed with, unchanged. */
class SealedClaimTest {

    private static final SecretKey KEY = new SecretKeySpec("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    private static final SecretKey OTHER_KEY = new SecretKeySpec("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    private static final String CLIENT = "6f1c2b1e-7a53-4c1f-9d1e-0a1b2c3d4e5f";
    private static final SealedClaim CLAIM = new SealedClaim("p-1", "dev", List.of("app/order/*"), List.of("app/device/alert"));

    @Test
    void opensWhatItSealed() {
        String sealed = CLAIM.seal(KEY, CLIENT);
        assertTrue(sealed.startsWith("v1."), sealed);
        assertEquals(CLAIM, SealedClaim.open(KEY, CLIENT, sealed));
    }

    @Test
    void anEmptyClaimRoundTrips() {
        SealedClaim empty = new SealedClaim("p-1", "prod", List.of(), List.of());
        assertEquals(empty, SealedClaim.open(KEY, CLIENT, empty.seal(KEY, CLIENT)));
    }

    @Test
    void aValueSealedForAnotherClientDoesNotOpen() {
        assertNull(SealedClaim.open(KEY, "another-client", CLAIM.seal(KEY, CLIENT)));
    }

    @Test
    void aValueSealedWithAnotherKeyDoesNotOpen() {
        assertNull(SealedClaim.open(OTHER_KEY, CLIENT, CLAIM.seal(KEY, CLIENT)));
    }

    @Test
    void withoutAKeyNothingOpens() {
        assertNull(SealedClaim.open(null, CLIENT, CLAIM.seal(KEY, CLIENT)));
    }

    @Test
    void aWidenedBodyUnderTheOriginalMacDoesNotOpen() {
        String sealed = CLAIM.seal(KEY, CLIENT);
        String widened = sealed.replace("\"send\":[\"app/order/*\"]", "\"send\":[\"*\"]");
        assertTrue(!widened.equals(sealed));
        assertNull(SealedClaim.open(KEY, CLIENT, widened));
    }

    @Test
    void anotherEnvironmentUnderTheOriginalMacDoesNotOpen() {
        assertNull(SealedClaim.open(KEY, CLIENT, CLAIM.seal(KEY, CLIENT).replace("\"env\":\"dev\"", "\"env\":\"prod\"")));
    }

    @Test
    void aChangedMacDoesNotOpen() {
        String sealed = CLAIM.seal(KEY, CLIENT);
        int dot = sealed.indexOf('.', 3);
        char last = sealed.charAt(dot - 1);
        String changed = sealed.substring(0, dot - 1) + (last == 'A' ? 'B' : 'A') + sealed.substring(dot);
        assertNull(SealedClaim.open(KEY, CLIENT, changed));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "{\"send\":[\"*\"],\"receive\":[\"*\"]}",
            "v1.",
            "v1.nodot",
            "v1..{\"partner\":\"p-1\",\"env\":\"dev\",\"send\":[\"*\"],\"receive\":[]}",
            "v2.AAAA.{\"partner\":\"p-1\",\"env\":\"dev\",\"send\":[\"*\"],\"receive\":[]}",
            "V1.AAAA.{}",
    })
    void unsealedOrMalformedValuesDoNotOpen(String stored) {
        assertNull(SealedClaim.open(KEY, CLIENT, stored));
    }

    @Test
    void anAbsentValueDoesNotOpen() {
        assertNull(SealedClaim.open(KEY, CLIENT, null));
    }
}
