package io.ensync.keycloak.partner;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.audit.Audit;
import io.ensync.keycloak.audit.AuditResource;
import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.ErrorCode;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.lifecycle.EventType;
import io.ensync.keycloak.lifecycle.LifecycleEvent;
import jakarta.persistence.LockModeType;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.OIDCClientSecretConfigWrapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Key-based client authentication of a partner's environment (SPEC §14): the client uses Keycloak's signed-JWT
 * authenticator ({@code client-jwt}, OAuth's {@code private_key_jwt}) with the partner's public keys in its JWKS
 * attributes, and its secret stops working; removing the keys goes back to a fresh secret, shown once.
 */
public class PartnerKeys {

    public static final String CLIENT_SECRET = "client_secret";
    public static final String PRIVATE_KEY_JWT = "private_key_jwt";
    /** Keycloak's authenticator ids ({@code JWTClientAuthenticator.PROVIDER_ID}, {@code ClientIdAndSecretAuthenticator}). */
    static final String AUTHENTICATOR_JWT = "client-jwt";
    static final String AUTHENTICATOR_SECRET = "client-secret";
    /** Keycloak's client attributes of a client's JWKS ({@code OIDCConfigAttributes}). */
    static final String ATTR_USE_JWKS_STRING = "use.jwks.string";
    static final String ATTR_JWKS_STRING = "jwks.string";
    static final String ATTR_USE_JWKS_URL = "use.jwks.url";
    static final String ATTR_JWKS_URL = "jwks.url";
    private static final String ATTR_SECRET_EXPIRATION_TIME = "client.secret.expiration.time";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Audit audit;

    public PartnerKeys(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.audit = new Audit(session, realm);
    }

    /** Body of {@code PUT /me/keys}: a JWK Set's {@code keys}, or (where the integration allows) a {@code jwksUrl}. */
    public record KeysInput(JsonNode keys, String jwksUrl) {
    }

    /** An environment's client authentication: the method, and for keys their ids and algorithms (nothing else). */
    public record KeysStatus(String environment, String clientId, String authMethod, List<Jwks.KeyView> keys, String jwksUrl) {
    }

    /** The fresh secret of an environment that went back from keys to a secret: shown this once. */
    public record SecretIssued(String environment, String clientId, String authMethod, String clientSecret,
                               String secretExpiresAt) {
    }

    /** {@code client_secret} or {@code private_key_jwt}. */
    public static String authMethod(ClientModel client) {
        return AUTHENTICATOR_JWT.equals(client.getClientAuthenticatorType()) ? PRIVATE_KEY_JWT : CLIENT_SECRET;
    }

    public static boolean usesKeys(ClientModel client) {
        return PRIVATE_KEY_JWT.equals(authMethod(client));
    }

    /** The registered keys, as shown (empty for a secret, or for a JWKS URL whose keys Keycloak fetches). */
    public static List<Jwks.KeyView> keyViews(ClientModel client) {
        if (!usesKeys(client) || !Boolean.parseBoolean(client.getAttribute(ATTR_USE_JWKS_STRING))) {
            return List.of();
        }
        return Jwks.fromJwksString(client.getAttribute(ATTR_JWKS_STRING)).stream().map(Jwks.Key::view).toList();
    }

    public static String jwksUrl(ClientModel client) {
        return usesKeys(client) && Boolean.parseBoolean(client.getAttribute(ATTR_USE_JWKS_URL)) ? client.getAttribute(ATTR_JWKS_URL) : null;
    }

    public KeysStatus status(PartnerEntity partner, Environment env) {
        return status(env, client(partner, env));
    }

    /** Registers the keys (replacing earlier ones); the environment's secret stops working from this request on. */
    public KeysStatus register(PartnerEntity partner, Environment env, KeysInput input, Actor actor) {
        if (input.keys() != null && input.jwksUrl() != null) {
            throw ApiException.of(ErrorCode.INVALID_VALUE, "Give either keys or jwksUrl, not both.", "jwksUrl");
        }
        if (input.jwksUrl() != null) {
            return registerUrl(partner, env, jwksUrl(partner.getIntegration().getJwksUrlHosts(), input.jwksUrl()), actor);
        }
        List<Jwks.Key> keys = Jwks.parseKeys("keys", input.keys());
        return register(partner, env, keys, actor);
    }

    /**
     * A JWKS URL the integration allows: https, on one of its {@code jwksUrlHosts}, no user info or fragment. Keycloak
     * fetches it (and again when an assertion names a kid it has not seen).
     */
    static String jwksUrl(List<String> allowedHosts, String url) {
        if (allowedHosts.isEmpty()) {
            throw ApiException.of(ErrorCode.JWKS_URL_NOT_ALLOWED, "This integration does not allow a JWKS URL; register the keys themselves.", "jwksUrl");
        }
        java.net.URI uri;
        try {
            uri = url.length() > 2048 ? null : new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            throw ApiException.of(ErrorCode.INVALID_VALUE, "jwksUrl must be an https URL without user info or fragment.", "jwksUrl");
        }
        if (!allowedHosts.contains(uri.getHost().toLowerCase(java.util.Locale.ROOT))) {
            throw ApiException.of(ErrorCode.JWKS_URL_NOT_ALLOWED, "This integration allows JWKS URLs on "
                    + String.join(", ", allowedHosts) + " only.", "jwksUrl");
        }
        return uri.toString();
    }

    private KeysStatus registerUrl(PartnerEntity partner, Environment env, String url, Actor actor) {
        PartnerUsability.requireUsable(lock(partner));
        ClientModel client = client(partner, env);
        boolean wasKeys = usesKeys(client);
        client.setClientAuthenticatorType(AUTHENTICATOR_JWT);
        client.setAttribute(ATTR_USE_JWKS_URL, "true");
        client.setAttribute(ATTR_JWKS_URL, url);
        client.setAttribute(ATTR_USE_JWKS_STRING, "false");
        if (client.getAttribute(ATTR_JWKS_STRING) != null) {
            client.removeAttribute(ATTR_JWKS_STRING);
        }
        retireSecret(client);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("environment", env.id());
        event.put("clientId", client.getClientId());
        event.put("authMethod", PRIVATE_KEY_JWT);
        event.put("jwksUrl", url);
        audit.record(actor, AuditResource.ENSYNC_SECRET, wasKeys ? OperationType.UPDATE : OperationType.CREATE, event,
                "partners", partner.getId(), "environments", env.id(), "keys");
        LifecycleEvent.publish(new LifecycleEvent.Credentials(session, realm.getId(), EventType.CREDENTIALS_CHANGED, partner.getId(), env.id(), client.getClientId(), null, "jwks-url-set", actor.reference()));
        return status(env, client);
    }

    public KeysStatus register(PartnerEntity partner, Environment env, List<Jwks.Key> keys, Actor actor) {
        PartnerUsability.requireUsable(lock(partner));
        ClientModel client = client(partner, env);
        boolean wasKeys = usesKeys(client);
        useKeys(client, keys);
        audit.record(actor, AuditResource.ENSYNC_SECRET, wasKeys ? OperationType.UPDATE : OperationType.CREATE,
                event(env, client, keys), "partners", partner.getId(), "environments", env.id(), "keys");
        LifecycleEvent.publish(new LifecycleEvent.Credentials(session, realm.getId(), EventType.CREDENTIALS_CHANGED, partner.getId(), env.id(), client.getClientId(), null, "keys-set", actor.reference()));
        return status(env, client);
    }

    /** Removes the keys: the environment goes back to a secret, a fresh one, answered once. */
    public SecretIssued remove(PartnerEntity partner, Environment env, Actor actor) {
        PartnerUsability.requireUsable(lock(partner));
        ClientModel client = client(partner, env);
        if (!usesKeys(client)) {
            throw ApiException.of(ErrorCode.NO_KEYS, "This environment has no keys registered; it authenticates with its secret.");
        }
        List<Jwks.KeyView> removed = keyViews(client);
        client.setClientAuthenticatorType(AUTHENTICATOR_SECRET);
        clearJwks(client);
        OIDCClientSecretConfigWrapper.fromClientModel(client).removeClientSecretRotationInfo();
        String secret = KeycloakModelUtils.generateSecret(client);
        Long expires = PartnerClients.applySecretPolicy(client, partner.getIntegration(), env);
        client.updateClient();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("environment", env.id());
        event.put("clientId", client.getClientId());
        event.put("authMethod", CLIENT_SECRET);
        event.put("removedKeys", removed.stream().map(PartnerKeys::eventKey).toList());
        audit.record(actor, AuditResource.ENSYNC_SECRET, OperationType.DELETE, event,
                "partners", partner.getId(), "environments", env.id(), "keys");
        LifecycleEvent.publish(new LifecycleEvent.Credentials(session, realm.getId(), EventType.CREDENTIALS_CHANGED, partner.getId(), env.id(), client.getClientId(), null, "keys-removed", actor.reference()));
        return new SecretIssued(env.id(), client.getClientId(), CLIENT_SECRET, secret,
                expires == null ? null : Times.iso(expires * 1000));
    }

    /**
     * Switches a client to its partner's keys: Keycloak's signed-JWT authenticator with the keys as its JWKS. The
     * secret is replaced by one nobody knows (and its rotated predecessor dropped), so no earlier secret works even
     * should the authenticator type be edited back by hand; a secret's expiry does not apply to keys.
     */
    static void useKeys(ClientModel client, List<Jwks.Key> keys) {
        client.setClientAuthenticatorType(AUTHENTICATOR_JWT);
        client.setAttribute(ATTR_USE_JWKS_STRING, "true");
        client.setAttribute(ATTR_JWKS_STRING, Jwks.toJwksString(keys));
        client.setAttribute(ATTR_USE_JWKS_URL, "false");
        if (client.getAttribute(ATTR_JWKS_URL) != null) {
            client.removeAttribute(ATTR_JWKS_URL);
        }
        retireSecret(client);
    }

    /** The secret nobody knows, no rotated one, no expiry; then Keycloak drops the client's cached keys everywhere. */
    private static void retireSecret(ClientModel client) {
        OIDCClientSecretConfigWrapper.fromClientModel(client).removeClientSecretRotationInfo();
        KeycloakModelUtils.generateSecret(client);
        if (client.getAttribute(ATTR_SECRET_EXPIRATION_TIME) != null) {
            client.removeAttribute(ATTR_SECRET_EXPIRATION_TIME);
        }
        // Fires ClientUpdatedEvent: Keycloak drops the client's cached public keys on every node.
        client.updateClient();
    }

    private static void clearJwks(ClientModel client) {
        for (String attribute : List.of(ATTR_USE_JWKS_STRING, ATTR_JWKS_STRING, ATTR_USE_JWKS_URL, ATTR_JWKS_URL)) {
            if (client.getAttribute(attribute) != null) {
                client.removeAttribute(attribute);
            }
        }
    }

    /** What an audit event says of keys: id, type and algorithm — never the key material. */
    static Map<String, Object> event(Environment env, ClientModel client, List<Jwks.Key> keys) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("environment", env.id());
        event.put("clientId", client.getClientId());
        event.put("authMethod", PRIVATE_KEY_JWT);
        event.put("keys", keys.stream().map(k -> eventKey(k.view())).toList());
        return event;
    }

    private static Map<String, String> eventKey(Jwks.KeyView key) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("kid", key.kid());
        out.put("kty", key.kty());
        if (key.alg() != null) {
            out.put("alg", key.alg());
        }
        return out;
    }

    private KeysStatus status(Environment env, ClientModel client) {
        return new KeysStatus(env.id(), client.getClientId(), authMethod(client), keyViews(client), jwksUrl(client));
    }

    private ClientModel client(PartnerEntity partner, Environment env) {
        ClientModel client = PartnerClients.clientOf(realm, partner, env);
        if (client == null) {
            throw ApiException.notFound("Environment");
        }
        return client;
    }

    /** The partner's row, locked: key changes and secret rotations of a partner happen one at a time. */
    private PartnerEntity lock(PartnerEntity partner) {
        PartnerEntity locked = Jpa.em(session).find(PartnerEntity.class, partner.getId());
        Jpa.em(session).refresh(locked, LockModeType.PESSIMISTIC_WRITE);
        return locked;
    }

}
