package io.ensync.keycloak.partner;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.common.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;

import static io.ensync.keycloak.common.ApiErrors.assertBadRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public keys a partner may register (SPEC §14): what passes, normalised, and every refusal naming its member. */
class JwksTest {

    /** RFC 7638 §3.1's example key and its thumbprint. */
    static final String RFC7638_N = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs"
            + "tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbI"
            + "SD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    static final String RFC7638_THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
    static final String EC_X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
    static final String EC_Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";

    static List<Jwks.Key> parse(String keysJson) {
        return Jwks.parseKeys("keys", Json.readStored(keysJson, JsonNode.class));
    }

    static String rsa(String extra) {
        return "{\"kty\":\"RSA\",\"n\":\"" + RFC7638_N + "\",\"e\":\"AQAB\"" + extra + "}";
    }

    static String ec(String extra) {
        return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + EC_X + "\",\"y\":\"" + EC_Y + "\"" + extra + "}";
    }

    @Test
    void aKeyWithoutKidIsNamedByItsRfc7638Thumbprint() {
        Jwks.Key key = parse("[" + rsa("") + "]").get(0);
        assertEquals(RFC7638_THUMBPRINT, key.kid());
        assertEquals(2048, key.bits());
        assertEquals("sig", key.jwk().get("use"));
    }

    @Test
    void anEcKeyIsStoredWithItsPublicMembersOnly() {
        Jwks.Key key = parse("[" + ec(",\"kid\":\"k1\",\"x5t\":\"abc\",\"key_ops\":[\"verify\"]") + "]").get(0);
        assertEquals(List.of("kid", "use", "alg", "kty", "crv", "x", "y"), List.copyOf(key.jwk().keySet()));
        assertEquals("ES256", key.alg());
        assertEquals(new Jwks.KeyView("k1", "EC", "ES256", "P-256", 256), key.view());
    }

    @Test
    void theStoredSetReadsBackTheSame() {
        List<Jwks.Key> keys = parse("[" + rsa(",\"kid\":\"r\",\"alg\":\"PS256\"") + "," + ec(",\"kid\":\"e\"") + "]");
        assertEquals(keys, Jwks.fromJwksString(Jwks.toJwksString(keys)));
    }

    @ParameterizedTest(name = "{0} → {1} at {2}")
    @CsvSource(delimiter = '|', value = {
            "[]|invalid_value|keys",
            "{}|invalid_type|keys",
            "[1]|invalid_type|keys[0]",
            "[null]|invalid_type|keys[0]",
            "[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]|private_key|keys[0].k",
            "[{\"kty\":\"oct\"}]|symmetric_key|keys[0].kty",
            "[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AA\"}]|unsupported_key_type|keys[0].kty",
            "[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]|weak_key|keys[0].n",
            "[{\"kty\":\"RSA\",\"n\":\"a+b/\",\"e\":\"AQAB\"}]|invalid_key|keys[0].n",
            "[{\"kty\":\"RSA\",\"e\":\"AQAB\"}]|missing_field|keys[0].n",
            "[{\"kty\":\"RSA\",\"n\":1,\"e\":\"AQAB\"}]|invalid_type|keys[0].n",
            "[{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"AA\",\"y\":\"AA\"}]|unsupported_curve|keys[0].crv",
            "[{\"kty\":\"EC\",\"crv\":\"P-192\",\"x\":\"AA\",\"y\":\"AA\"}]|unsupported_curve|keys[0].crv",
            "[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}]|invalid_key|keys[0].x",
            "[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + EC_X + "\",\"y\":\"" + EC_X + "\"}]|invalid_key|keys[0].y",
            "[{\"kty\":\"RSA\",\"crv\":\"P-256\"}]|invalid_key|keys[0].crv",
            "[{\"kty\":\"EC\",\"n\":\"AA\"}]|invalid_key|keys[0].n",
            "[{\"kty\":\"RSA\",\"d\":\"AA\"}]|private_key|keys[0].d",
            "[{\"kty\":\"RSA\",\"qi\":\"AA\"}]|private_key|keys[0].qi",
            "[{\"kty\":\"RSA\",\"foo\":\"AA\"}]|unknown_field|keys[0].foo",
    })
    void aBadKeyIsRefusedNamingTheMember(String keys, String code, String field) {
        assertBadRequest(code, field, () -> parse(keys));
    }

    @Test
    void refusalsOfTheSecondKeyNameIt() {
        assertBadRequest("invalid_value", "keys[1].alg", () -> parse("[" + ec("") + "," + rsa(",\"alg\":\"HS256\"") + "]"));
        assertBadRequest("invalid_value", "keys[1].alg", () -> parse("[" + rsa("") + "," + ec(",\"alg\":\"ES384\"") + "]"));
        assertBadRequest("invalid_value", "keys[0].use", () -> parse("[" + ec(",\"use\":\"enc\"") + "]"));
        assertBadRequest("invalid_value", "keys[0].kid", () -> parse("[" + ec(",\"kid\":\"\"") + "]"));
        assertBadRequest("duplicate_key", "keys[1]", () -> parse("[" + ec(",\"kid\":\"a\"") + "," + ec(",\"kid\":\"b\"") + "]"));
        assertBadRequest("duplicate_key_id", "keys[1].kid", () -> parse("[" + ec(",\"kid\":\"a\"") + "," + rsa(",\"kid\":\"a\"") + "]"));
        assertBadRequest("too_many_keys", "keys", () -> parse("[" + ec("") + "," + rsa("") + "," + rsa("") + "]"));
    }

    @Test
    void aSetTakesOnlyKeys() {
        assertBadRequest("unknown_field", "jwks.other", () -> Jwks.parseSet("jwks", Json.readStored("{\"keys\":[],\"other\":1}", JsonNode.class)));
        assertBadRequest("invalid_type", "jwks", () -> Jwks.parseSet("jwks", Json.readStored("[]", JsonNode.class)));
        assertEquals(1, Jwks.parseSet("jwks", Json.readStored("{\"keys\":[" + ec("") + "]}", JsonNode.class)).size());
    }

    @Test
    void aPastedPemOrJwkBecomesTheSameKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        Jwks.Key fromPem = Jwks.parsePasted(pem).get(0);
        assertEquals("P-256", fromPem.crv());
        String jwk = Json.write(fromPem.jwk());
        assertEquals(fromPem, Jwks.parsePasted(jwk).get(0));
        assertEquals(fromPem, Jwks.parsePasted("{\"keys\":[" + jwk + "]}").get(0));

        generator.initialize(new ECGenParameterSpec("secp384r1"));
        String p384 = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----";
        assertBadRequest("unsupported_curve", "keys[0].crv", () -> Jwks.parsePasted(p384));
        assertBadRequest("private_key", "keys[0]", () -> Jwks.parsePasted("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"));
        assertBadRequest("invalid_key", "keys", () -> Jwks.parsePasted("ssh-rsa AAAA"));
        assertBadRequest("missing_field", "keys", () -> Jwks.parsePasted("  "));
    }

    @Test
    void onlyPointsOnTheCurvePass() {
        java.math.BigInteger x = new java.math.BigInteger(1, Base64.getUrlDecoder().decode(EC_X));
        java.math.BigInteger y = new java.math.BigInteger(1, Base64.getUrlDecoder().decode(EC_Y));
        assertTrue(Jwks.onP256(x, y));
        assertFalse(Jwks.onP256(x, y.add(java.math.BigInteger.ONE)));
        assertFalse(Jwks.onP256(java.math.BigInteger.ZERO, java.math.BigInteger.ZERO));
    }
}
