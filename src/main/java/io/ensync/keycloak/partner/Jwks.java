package io.ensync.keycloak.partner;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.ErrorCode;
import io.ensync.keycloak.common.Json;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The public keys a partner may authenticate its client with (SPEC §14): a JWK Set of at most {@link #MAX_KEYS}
 * signing keys, each RSA of at least 2048 bits or EC on P-256. Every refusal names the member at fault
 * ({@code keys[1].n}); what passes is stored normalised (public members only, {@code kid} and {@code use} always set).
 * Pure: no session, no database.
 */
public final class Jwks {

    public static final int MAX_KEYS = 2;
    static final int MIN_RSA_BITS = 2048;
    static final int MAX_RSA_BITS = 8192;
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
    /** Members a JWK may carry; those not stored (x5c, key_ops, …) are checked for type only and dropped. */
    private static final Set<String> KNOWN_MEMBERS = Set.of("kty", "kid", "use", "alg", "key_ops", "ext", "n", "e",
            "crv", "x", "y", "x5c", "x5t", "x5t#S256", "x5u", "iat", "nbf", "exp");
    private static final Set<String> RSA_ALGS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern KID = Pattern.compile("[\\x21-\\x7E]{1,128}");
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    private static final ECParameterSpec P256 = p256();

    private Jwks() {
    }

    /** One accepted public key: what is shown of it, and the normalised JWK that Keycloak reads. */
    public record Key(String kid, String kty, String alg, String crv, int bits, Map<String, String> jwk) {

        public KeyView view() {
            return new KeyView(kid, kty, alg, crv, bits);
        }
    }

    /** A key as partners and admins see it: never a key's material. */
    public record KeyView(String kid, String kty, String alg, String crv, int bits) {
    }

    /**
     * A JWK Set's {@code keys} array, validated. {@code field} names the array in errors ({@code keys},
     * {@code jwks.keys}, {@code environments.prod.jwks.keys}).
     */
    public static List<Key> parseKeys(String field, JsonNode keys) {
        if (keys == null || keys.isNull() || keys.isMissingNode()) {
            throw ApiException.of(ErrorCode.MISSING_FIELD, "'" + field + "' is required: a JWK Set's keys.", field);
        }
        if (!keys.isArray()) {
            throw ApiException.of(ErrorCode.INVALID_TYPE, "'" + field + "' must be an array of JWKs.", field);
        }
        if (keys.isEmpty()) {
            throw ApiException.of(ErrorCode.INVALID_VALUE, "'" + field + "' needs at least one key.", field);
        }
        if (keys.size() > MAX_KEYS) {
            throw ApiException.of(ErrorCode.TOO_MANY_KEYS, "At most " + MAX_KEYS
                    + " keys may be registered (the current one and the next, to roll without downtime).", field);
        }
        List<Key> result = new ArrayList<>();
        Set<String> kids = new HashSet<>();
        Set<String> thumbprints = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            String at = field + "[" + i + "]";
            Key key = parseKey(at, keys.get(i));
            if (!thumbprints.add(thumbprint(key.jwk()))) {
                throw ApiException.of(ErrorCode.DUPLICATE_KEY, "This key is already in the set.", at);
            }
            if (!kids.add(key.kid())) {
                throw ApiException.of(ErrorCode.DUPLICATE_KEY_ID, "Another key of the set has the kid '" + key.kid() + "'.", at + ".kid");
            }
            result.add(key);
        }
        return List.copyOf(result);
    }

    /** A JWK Set object ({@code {"keys":[…]}}, nothing else), validated; {@code field} names it in errors. */
    public static List<Key> parseSet(String field, JsonNode set) {
        String prefix = field.isEmpty() ? "" : field + ".";
        if (set == null || !set.isObject()) {
            String at = field.isEmpty() ? "keys" : field;
            throw ApiException.of(ErrorCode.INVALID_TYPE, "'" + at + "' must be a JWK Set: {\"keys\":[…]}.", at);
        }
        for (Iterator<String> names = set.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("keys")) {
                throw ApiException.of(ErrorCode.UNKNOWN_FIELD, "The field '" + prefix + name + "' is not allowed here.", prefix + name);
            }
        }
        return parseKeys(prefix + "keys", set.get("keys"));
    }

    static Key parseKey(String at, JsonNode jwk) {
        if (jwk == null || !jwk.isObject()) {
            throw ApiException.of(ErrorCode.INVALID_TYPE, "'" + at + "' must be a JWK (a JSON object).", at);
        }
        for (Iterator<String> names = jwk.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (PRIVATE_MEMBERS.contains(name)) {
                throw ApiException.of(ErrorCode.PRIVATE_KEY, "'" + at + "' holds the private member '" + name
                        + "'. Register only the public key — and as this private key has been sent, make a new key pair.", at + "." + name);
            }
            if (!KNOWN_MEMBERS.contains(name)) {
                throw ApiException.of(ErrorCode.UNKNOWN_FIELD, "The field '" + at + "." + name + "' is not allowed in a JWK here.", at + "." + name);
            }
        }
        String kty = text(at, jwk, "kty", true);
        if ("oct".equals(kty)) {
            throw ApiException.of(ErrorCode.SYMMETRIC_KEY, "'" + at + "' is a symmetric key (kty oct): only a public key "
                    + "(RSA or EC) can stand in for the secret.", at + ".kty");
        }
        if (!"RSA".equals(kty) && !"EC".equals(kty)) {
            throw ApiException.of(ErrorCode.UNSUPPORTED_KEY_TYPE, "'" + at + ".kty' must be RSA or EC.", at + ".kty");
        }
        String use = text(at, jwk, "use", false);
        if (use != null && !use.equals("sig")) {
            throw ApiException.of(ErrorCode.INVALID_VALUE, "'" + at + ".use' must be sig: these keys verify signatures.", at + ".use");
        }
        JsonNode ops = jwk.get("key_ops");
        if (ops != null && (!ops.isArray() || !containsText(ops, "verify"))) {
            throw ApiException.of(ErrorCode.INVALID_VALUE, "'" + at + ".key_ops' must be an array that contains verify.", at + ".key_ops");
        }
        for (String name : List.of("x5t", "x5t#S256", "x5u")) {
            text(at, jwk, name, false);
        }
        JsonNode x5c = jwk.get("x5c");
        if (x5c != null && !x5c.isArray()) {
            throw ApiException.of(ErrorCode.INVALID_TYPE, "'" + at + ".x5c' must be an array.", at + ".x5c");
        }
        String kid = text(at, jwk, "kid", false);
        if (kid != null && !KID.matcher(kid).matches()) {
            throw ApiException.of(ErrorCode.INVALID_VALUE, "'" + at + ".kid' must be 1 to 128 visible ASCII characters.", at + ".kid");
        }
        String alg = text(at, jwk, "alg", false);
        Map<String, String> out = new LinkedHashMap<>();
        int bits;
        String crv = null;
        if (kty.equals("RSA")) {
            if (jwk.has("crv") || jwk.has("x") || jwk.has("y")) {
                String member = jwk.has("crv") ? "crv" : jwk.has("x") ? "x" : "y";
                throw ApiException.of(ErrorCode.MALFORMED_KEY, "'" + at + "." + member + "' does not belong in an RSA key.", at + "." + member);
            }
            if (alg != null && !RSA_ALGS.contains(alg)) {
                throw ApiException.of(ErrorCode.INVALID_VALUE, "'" + at + ".alg' must be one of " + String.join(", ", new java.util.TreeSet<>(RSA_ALGS)) + ".", at + ".alg");
            }
            String nText = text(at, jwk, "n", true);
            String eText = text(at, jwk, "e", true);
            BigInteger n = unsigned(at + ".n", nText);
            BigInteger e = unsigned(at + ".e", eText);
            bits = n.bitLength();
            if (bits < MIN_RSA_BITS) {
                throw ApiException.of(ErrorCode.WEAK_KEY, "'" + at + "' is an RSA key of " + bits + " bits; at least "
                        + MIN_RSA_BITS + " are required.", at + ".n");
            }
            if (bits > MAX_RSA_BITS || !n.testBit(0)) {
                throw ApiException.of(ErrorCode.MALFORMED_KEY, "'" + at + ".n' is not a usable RSA modulus.", at + ".n");
            }
            if (!e.testBit(0) || e.compareTo(BigInteger.valueOf(3)) < 0 || e.bitLength() > 256 || e.compareTo(n) >= 0) {
                throw ApiException.of(ErrorCode.MALFORMED_KEY, "'" + at + ".e' is not a usable RSA public exponent.", at + ".e");
            }
            publicKey(at + ".n", "RSA", new RSAPublicKeySpec(n, e));
            out.put("kty", "RSA");
            out.put("n", nText);
            out.put("e", eText);
        } else {
            if (jwk.has("n") || jwk.has("e")) {
                String member = jwk.has("n") ? "n" : "e";
                throw ApiException.of(ErrorCode.MALFORMED_KEY, "'" + at + "." + member + "' does not belong in an EC key.", at + "." + member);
            }
            crv = text(at, jwk, "crv", true);
            if (!crv.equals("P-256")) {
                throw ApiException.of(ErrorCode.UNSUPPORTED_CURVE, "'" + at + ".crv' must be P-256; " + crv + " is not accepted.", at + ".crv");
            }
            if (alg != null && !alg.equals("ES256")) {
                throw ApiException.of(ErrorCode.INVALID_VALUE, "'" + at + ".alg' must be ES256 for a P-256 key.", at + ".alg");
            }
            alg = "ES256";
            String xText = text(at, jwk, "x", true);
            String yText = text(at, jwk, "y", true);
            BigInteger x = coordinate(at + ".x", xText);
            BigInteger y = coordinate(at + ".y", yText);
            if (!onP256(x, y)) {
                throw ApiException.of(ErrorCode.MALFORMED_KEY, "'" + at + "' is not a point on the P-256 curve.", at + ".y");
            }
            publicKey(at + ".x", "EC", new ECPublicKeySpec(new ECPoint(x, y), P256));
            bits = 256;
            out.put("kty", "EC");
            out.put("crv", crv);
            out.put("x", xText);
            out.put("y", yText);
        }
        String effectiveKid = kid != null ? kid : thumbprint(out);
        Map<String, String> stored = new LinkedHashMap<>();
        stored.put("kid", effectiveKid);
        stored.put("use", "sig");
        if (alg != null) {
            stored.put("alg", alg);
        }
        stored.putAll(out);
        return new Key(effectiveKid, kty, alg, crv, bits, java.util.Collections.unmodifiableMap(stored));
    }

    /** The JWK Set string Keycloak reads from the client ({@code jwks.string}). */
    public static String toJwksString(List<Key> keys) {
        return Json.write(Map.of("keys", keys.stream().map(Key::jwk).toList()));
    }

    /** The keys of a stored JWK Set (as {@link #toJwksString} wrote it); an unreadable one gives no keys. */
    public static List<Key> fromJwksString(String jwks) {
        if (jwks == null || jwks.isBlank()) {
            return List.of();
        }
        try {
            return parseKeys("keys", Json.readStored(jwks, JsonNode.class).get("keys"));
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Public keys pasted in the portal: a JWK Set, one JWK, or one or two PEM blocks ({@code BEGIN PUBLIC KEY}).
     * Errors name {@code keys} or {@code keys[i]…} as the API's would.
     */
    public static List<Key> parsePasted(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.isEmpty()) {
            throw ApiException.of(ErrorCode.MISSING_FIELD, "Paste a JWK Set or a PEM public key.", "keys");
        }
        if (trimmed.startsWith("{")) {
            JsonNode node;
            try {
                node = Json.readStored(trimmed, JsonNode.class);
            } catch (IllegalStateException e) {
                throw ApiException.of(ErrorCode.INVALID_JSON, "The pasted text is not well-formed JSON.", "keys");
            }
            if (node.has("keys")) {
                return parseSet("", node);
            }
            return parseKeys("keys", Json.readStored("[" + trimmed + "]", JsonNode.class));
        }
        List<JsonNode> keys = new ArrayList<>();
        Matcher m = PEM.matcher(trimmed);
        int index = 0;
        while (m.find()) {
            String at = "keys[" + index++ + "]";
            String label = m.group(1);
            if (label.contains("PRIVATE")) {
                throw ApiException.of(ErrorCode.PRIVATE_KEY, "'" + at + "' is a private key (" + label
                        + "). Paste only the public key — and as this private key has left your hands, make a new key pair.", at);
            }
            if (!label.equals("PUBLIC KEY")) {
                throw ApiException.of(ErrorCode.MALFORMED_KEY, "'" + at + "' must be a PEM \"PUBLIC KEY\" block, not \"" + label + "\".", at);
            }
            keys.add(pemToJwk(at, m.group(2)));
        }
        if (keys.isEmpty()) {
            throw ApiException.of(ErrorCode.MALFORMED_KEY, "Paste a JWK Set ({\"keys\":[…]}) or a PEM block "
                    + "(-----BEGIN PUBLIC KEY-----).", "keys");
        }
        return parseKeys("keys", Json.readStored(Json.write(keys), JsonNode.class));
    }

    private static JsonNode pemToJwk(String at, String body) {
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(body.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.of(ErrorCode.MALFORMED_KEY, "'" + at + "' is not valid base64.", at);
        }
        Map<String, String> jwk = new LinkedHashMap<>();
        PublicKey key = null;
        for (String type : List.of("RSA", "EC")) {
            try {
                key = KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
                break;
            } catch (GeneralSecurityException | RuntimeException ignored) {
                // try the next type
            }
        }
        if (key instanceof RSAPublicKey rsa) {
            jwk.put("kty", "RSA");
            jwk.put("n", b64(rsa.getModulus()));
            jwk.put("e", b64(rsa.getPublicExponent()));
        } else if (key instanceof ECPublicKey ec) {
            jwk.put("kty", "EC");
            jwk.put("crv", curveName(ec.getParams()));
            jwk.put("x", b64Fixed(ec.getW().getAffineX(), 32));
            jwk.put("y", b64Fixed(ec.getW().getAffineY(), 32));
        } else {
            throw ApiException.of(ErrorCode.MALFORMED_KEY, "'" + at + "' is not an RSA or EC public key.", at);
        }
        return Json.readStored(Json.write(jwk), JsonNode.class);
    }

    /** RFC 7638 thumbprint (SHA-256, base64url) of the key's required public members. */
    static String thumbprint(Map<String, String> jwk) {
        String canonical = "RSA".equals(jwk.get("kty"))
                ? "{\"e\":\"" + jwk.get("e") + "\",\"kty\":\"RSA\",\"n\":\"" + jwk.get("n") + "\"}"
                : "{\"crv\":\"" + jwk.get("crv") + "\",\"kty\":\"EC\",\"x\":\"" + jwk.get("x") + "\",\"y\":\"" + jwk.get("y") + "\"}";
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(String at, JsonNode jwk, String name, boolean required) {
        JsonNode value = jwk.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiException.of(ErrorCode.MISSING_FIELD, "'" + at + "." + name + "' is required.", at + "." + name);
            }
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.of(ErrorCode.INVALID_TYPE, "'" + at + "." + name + "' must be a string.", at + "." + name);
        }
        return value.textValue();
    }

    private static boolean containsText(JsonNode array, String wanted) {
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                return false;
            }
        }
        for (JsonNode item : array) {
            if (item.textValue().equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] base64url(String field, String text) {
        if (!BASE64URL.matcher(text).matches() || text.length() % 4 == 1 || text.length() > 2048) {
            throw ApiException.of(ErrorCode.MALFORMED_KEY, "'" + field + "' must be base64url without padding.", field);
        }
        return Base64.getUrlDecoder().decode(text);
    }

    private static BigInteger unsigned(String field, String text) {
        return new BigInteger(1, base64url(field, text));
    }

    private static BigInteger coordinate(String field, String text) {
        byte[] bytes = base64url(field, text);
        if (bytes.length != 32) {
            throw ApiException.of(ErrorCode.MALFORMED_KEY, "'" + field + "' must be a 32-byte P-256 coordinate.", field);
        }
        return new BigInteger(1, bytes);
    }

    /** The point lies on P-256 (y² = x³ + ax + b mod p): a key off the curve is an invalid-curve attack, not a key. */
    static boolean onP256(BigInteger x, BigInteger y) {
        BigInteger p = ((ECFieldFp) P256.getCurve().getField()).getP();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger left = y.multiply(y).mod(p);
        BigInteger right = x.pow(3).add(P256.getCurve().getA().multiply(x)).add(P256.getCurve().getB()).mod(p);
        return left.equals(right);
    }

    private static void publicKey(String field, String type, java.security.spec.KeySpec spec) {
        try {
            KeyFactory.getInstance(type).generatePublic(spec);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw ApiException.of(ErrorCode.MALFORMED_KEY, "'" + field + "' does not make a valid " + type + " public key.", field);
        }
    }

    private static String curveName(ECParameterSpec params) {
        if (sameCurve(params, P256)) {
            return "P-256";
        }
        int size = params.getCurve().getField().getFieldSize();
        return size == 384 ? "P-384" : size == 521 ? "P-521" : "a " + size + "-bit curve";
    }

    private static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
        return a.getCurve().equals(b.getCurve()) && a.getGenerator().equals(b.getGenerator()) && a.getOrder().equals(b.getOrder());
    }

    private static String b64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String b64Fixed(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK has no P-256", e);
        }
    }
}
