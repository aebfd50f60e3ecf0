package io.ensync.keycloak.it.support;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A partner's key pair made with the JDK alone, and the client assertion (RFC 7523) it signs with
 * {@link java.security.Signature} — no JOSE library, so that the test checks Keycloak against the RFCs, not against a
 * library both sides share.
 */
public final class ClientKey {

    private final KeyPair pair;
    private final String kid;
    private final String alg;

    private ClientKey(KeyPair pair, String kid, String alg) {
        this.pair = pair;
        this.kid = kid;
        this.alg = alg;
    }

    public static ClientKey ec() {
        return generate("EC", new ECGenParameterSpec("secp256r1"), 0, "ES256");
    }

    public static ClientKey onCurve(String curve) {
        return generate("EC", new ECGenParameterSpec(curve), 0, "ES256");
    }

    /** A fresh P-256 key pair that claims the given kid: an impostor of a registered key. */
    public static ClientKey ec(String kid) {
        ClientKey fresh = ec();
        return new ClientKey(fresh.pair, kid, fresh.alg);
    }

    public static ClientKey rsa(int bits) {
        return generate("RSA", null, bits, "RS256");
    }

    private static ClientKey generate(String type, ECGenParameterSpec curve, int bits, String alg) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
            if (curve != null) {
                generator.initialize(curve);
            } else {
                generator.initialize(bits);
            }
            return new ClientKey(generator.generateKeyPair(), Names.unique(type.toLowerCase()), alg);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String kid() {
        return kid;
    }

    public String alg() {
        return alg;
    }

    /** The public JWK ({@code kid}, {@code alg}, {@code use} and the public members only). */
    public Map<String, Object> publicJwk() {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kid", kid);
        jwk.put("use", "sig");
        jwk.put("alg", alg);
        if (pair.getPublic() instanceof RSAPublicKey rsa) {
            jwk.put("kty", "RSA");
            jwk.put("n", b64(unsigned(rsa.getModulus())));
            jwk.put("e", b64(unsigned(rsa.getPublicExponent())));
        } else {
            ECPublicKey ec = (ECPublicKey) pair.getPublic();
            int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
            jwk.put("kty", "EC");
            jwk.put("crv", size == 32 ? "P-256" : size == 48 ? "P-384" : "P-" + ec.getParams().getCurve().getField().getFieldSize());
            jwk.put("x", b64(fixed(ec.getW().getAffineX(), size)));
            jwk.put("y", b64(fixed(ec.getW().getAffineY(), size)));
        }
        return jwk;
    }

    /** The private JWK, as openid-client (Web Crypto) imports it; also what a careless partner might send. */
    public Map<String, Object> privateJwk() {
        Map<String, Object> jwk = publicJwk();
        if (pair.getPrivate() instanceof RSAPrivateCrtKey rsa) {
            jwk.put("d", b64(unsigned(rsa.getPrivateExponent())));
            jwk.put("p", b64(unsigned(rsa.getPrimeP())));
            jwk.put("q", b64(unsigned(rsa.getPrimeQ())));
            jwk.put("dp", b64(unsigned(rsa.getPrimeExponentP())));
            jwk.put("dq", b64(unsigned(rsa.getPrimeExponentQ())));
            jwk.put("qi", b64(unsigned(rsa.getCrtCoefficient())));
        } else {
            jwk.put("d", b64(fixed(((ECPrivateKey) pair.getPrivate()).getS(), 32)));
        }
        return jwk;
    }

    /** The public key as a PEM block (SubjectPublicKeyInfo), as openssl prints it. */
    public String publicPem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    /** A fresh client assertion: iss = sub = client id, aud = the token endpoint, a new jti, valid for 60 s. */
    public String assertion(String clientId, String audience) {
        return assertion(clientId, audience, UUID.randomUUID().toString());
    }

    public String assertion(String clientId, String audience, String jti) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg);
        header.put("typ", "JWT");
        header.put("kid", kid);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", clientId);
        claims.put("sub", clientId);
        claims.put("aud", audience);
        claims.put("jti", jti);
        claims.put("iat", now);
        claims.put("exp", now + 60);
        String signingInput = b64(json(header)) + "." + b64(json(claims));
        return signingInput + "." + b64(sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private byte[] sign(byte[] input) {
        try {
            if (alg.equals("RS256")) {
                Signature signature = Signature.getInstance("SHA256withRSA");
                signature.initSign(pair.getPrivate());
                signature.update(input);
                return signature.sign();
            }
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(pair.getPrivate());
            signature.update(input);
            return derToJose(signature.sign(), 32);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JCA's ECDSA signature is DER (SEQUENCE of INTEGER r, INTEGER s); JWS wants r || s, each of fixed length (RFC 7518 §3.4). */
    static byte[] derToJose(byte[] der, int size) {
        int offset = 2;
        if ((der[1] & 0x80) != 0) {
            offset += der[1] & 0x7f;
        }
        int rLength = der[offset + 1];
        BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(der, offset + 2, offset + 2 + rLength));
        offset += 2 + rLength;
        int sLength = der[offset + 1];
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(der, offset + 2, offset + 2 + sLength));
        byte[] out = new byte[2 * size];
        System.arraycopy(fixed(r, size), 0, out, 0, size);
        System.arraycopy(fixed(s, size), 0, out, size, size);
        return out;
    }

    private static byte[] json(Map<String, Object> value) {
        try {
            return Http.JSON.writeValueAsBytes(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static byte[] fixed(BigInteger value, int size) {
        byte[] bytes = unsigned(value);
        byte[] out = new byte[size];
        System.arraycopy(bytes, 0, out, size - bytes.length, bytes.length);
        return out;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
