package io.ensync.keycloak.webhook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignatureTest {

    /** The Standard Webhooks reference libraries' own test vector. */
    @Test
    void signsTheReferenceVector() {
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                Signature.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                        "{\"test\": 2432232314}"));
    }

    @Test
    void severalSecretsAreSpaceSeparated() {
        String one = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String two = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
        String header = Signature.header(List.of(one, two), "msg_1", 1L, "{}");
        assertEquals(Signature.sign(one, "msg_1", 1L, "{}") + " " + Signature.sign(two, "msg_1", 1L, "{}"), header);
    }

    @Test
    void newSecretIsWhsecAnd32RandomBytes() {
        String secret = Signature.newSecret();
        assertTrue(secret.startsWith("whsec_"));
        assertEquals(32, Base64.getDecoder().decode(secret.substring(6)).length);
        assertTrue(!secret.equals(Signature.newSecret()));
    }

    @ParameterizedTest
    @CsvSource({"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "sk_abc"})
    void refusesOtherSecrets(String secret) {
        assertThrows(IllegalArgumentException.class, () -> Signature.sign(secret, "m", 1L, "{}"));
    }
}
