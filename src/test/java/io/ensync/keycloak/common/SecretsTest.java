package io.ensync.keycloak.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretsTest {

    private static final String R43 = "abcdefghijABCDEFGHIJ0123456789_-abcdefghijk";

    @Test
    void aNewSecretIsThePrefixAnd43Base64UrlCharacters() {
        String secret = Secrets.newSecret("esk_");
        assertTrue(secret.matches("esk_[A-Za-z0-9_-]{43}"), secret);
        assertTrue(Secrets.looksLike("esk_", secret));
    }

    @Test
    void newSecretsDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            assertTrue(seen.add(Secrets.newSecret("x")));
        }
    }

    @ParameterizedTest(name = "[{0}] looks like a secret: {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "esk_" + R43 + "|true",
            "null|false",
            "''|false",
            "esk_|false",
            R43 + "|false",                                          // no prefix
            "ESK_" + R43 + "|false",
            "esl_" + R43 + "|false",
            "esk_abcdefghijABCDEFGHIJ0123456789_-abcdefghij|false",   // 42
            "esk_" + R43 + "l|false",                                 // 44
            "esk_abcdefghijABCDEFGHIJ0123456789+/abcdefghijk|false",  // base64, not base64url
            "esk_abcdefghijABCDEFGHIJ0123456789_-abcdefghij=|false",  // padding
            "esk_abcdefghijABCDEFGHIJ0123456789_-abcdefghi k|false",
            "'esk_" + R43 + " '|false",
            "esk_esk_" + R43 + "|false",
    })
    void looksLike(String presented, boolean expected) {
        assertEquals(expected, Secrets.looksLike("esk_", presented));
    }

    /** Reference values of SHA-256 (FIPS 180-2 examples; sha256sum for the others). */
    @ParameterizedTest(name = "sha256({0})")
    @CsvSource(delimiter = '|', value = {
            "''|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "abc|ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq|248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    })
    void hashIsHexSha256(String secret, String expected) {
        assertEquals(expected, Secrets.hash(secret));
    }
}
