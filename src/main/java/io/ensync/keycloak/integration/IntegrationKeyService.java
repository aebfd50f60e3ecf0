package io.ensync.keycloak.integration;

import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.audit.Audit;
import io.ensync.keycloak.audit.AuditResource;
import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.ErrorCode;
import io.ensync.keycloak.common.Ids;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Secrets;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.metrics.EnsyncMetrics;
import io.ensync.keycloak.throttle.FailureThrottle;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.core.HttpHeaders;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.List;

/** Integration Keys: issued once in plain text, then known only by hash; authenticated on every external call. */
public class IntegrationKeyService {

    public static final String KEY_PREFIX = "ensync_ik_";
    /** How much of a key is kept for display: the prefix and six characters (36 of its 256 random bits). */
    private static final int DISPLAY_LENGTH = KEY_PREFIX.length() + 6;
    /** Last-used times are kept to the minute, so a busy key does not write on every call. */
    private static final long TOUCH_INTERVAL_MILLIS = 60_000;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EntityManager em;

    public IntegrationKeyService(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.em = Jpa.em(session);
    }

    /** The integration and the key it authenticated with. */
    public record Authenticated(IntegrationEntity integration, IntegrationKeyEntity key) {
        public Actor actor() {
            return new Actor.Integration(integration.getId(), key.getId());
        }
    }

    /** Creates a key and answers it in plain text: the only time it exists outside the caller's hands. */
    public IntegrationKeyView create(IntegrationEntity integration, Integer expiresInDays, Actor actor) {
        String key = Secrets.newSecret(KEY_PREFIX);
        long now = Times.now();
        Long expiresAt = expiresInDays == null ? null : now + expiresInDays * 86_400_000L;
        IntegrationKeyEntity entity = new IntegrationKeyEntity(KeycloakModelUtils.generateId(), integration,
                Secrets.hash(key), key.substring(0, DISPLAY_LENGTH), now, expiresAt);
        em.persist(entity);
        new Audit(session, realm).record(actor, AuditResource.ENSYNC_INTEGRATION_KEY, OperationType.CREATE,
                IntegrationKeyView.of(entity, null), "integrations", integration.getId(), "keys", entity.getId());
        return IntegrationKeyView.of(entity, key);
    }

    public List<IntegrationKeyView> list(IntegrationEntity integration) {
        return em.createNamedQuery("ensync.key.byIntegration", IntegrationKeyEntity.class)
                .setParameter("integrationId", integration.getId())
                .getResultStream().map(k -> IntegrationKeyView.of(k, null)).toList();
    }

    public void revoke(IntegrationEntity integration, String keyId, Actor actor) {
        IntegrationKeyEntity key = Ids.isId(keyId) ? em.find(IntegrationKeyEntity.class, keyId) : null;
        if (key == null || !key.getIntegration().getId().equals(integration.getId())) {
            throw ApiException.notFound("Key");
        }
        if (key.getRevokedAt() == null) {
            key.setRevokedAt(Times.now());
            new Audit(session, realm).record(actor, AuditResource.ENSYNC_INTEGRATION_KEY, OperationType.DELETE,
                    IntegrationKeyView.of(key, null), "integrations", integration.getId(), "keys", key.getId());
        }
    }

    /**
     * Authenticates {@code Authorization: Bearer <key>}: unknown or malformed → 401 (with the Bearer challenge);
     * revoked, expired or of a disabled integration → 403.
     */
    public Authenticated authenticate(HttpHeaders headers) {
        try {
            return authenticateKey(headers);
        } catch (ApiException rejected) {
            EnsyncMetrics.keyRejected(realm, rejected.code());
            throw rejected;
        }
    }

    private Authenticated authenticateKey(HttpHeaders headers) {
        FailureThrottle.refuseIfBlocked(session, realm, FailureThrottle.Kind.INTEGRATION_KEY);
        List<String> values = headers.getRequestHeader(HttpHeaders.AUTHORIZATION);
        if (values == null || values.isEmpty()) {
            throw ApiException.unauthorized(realm.getName(), ErrorCode.MISSING_CREDENTIALS, "An Integration Key is required as a Bearer token.");
        }
        String value = values.get(0);
        if (values.size() > 1 || value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized(realm.getName(), ErrorCode.INVALID_KEY, "The Authorization header must be 'Bearer <integration key>'.");
        }
        String presented = value.substring(7).trim();
        if (!Secrets.looksLike(KEY_PREFIX, presented)) {
            throw ApiException.unauthorized(realm.getName(), ErrorCode.INVALID_KEY, "The Integration Key is not valid.");
        }
        IntegrationKeyEntity key = em.createNamedQuery("ensync.key.byHash", IntegrationKeyEntity.class)
                .setParameter("hash", Secrets.hash(presented)).setParameter("realmId", realm.getId())
                .getResultList().stream().findFirst().orElse(null); // a list, not a stream: no scrolling cursor for one row
        if (key == null) {
            throw FailureThrottle.failed(session, realm, FailureThrottle.Kind.INTEGRATION_KEY,
                    ApiException.unauthorized(realm.getName(), ErrorCode.INVALID_KEY, "The Integration Key is not valid."));
        }
        long now = Times.now();
        if (key.getRevokedAt() != null) {
            throw ApiException.of(ErrorCode.KEY_REVOKED, "This Integration Key has been revoked.");
        }
        if (key.getExpiresAt() != null && key.getExpiresAt() <= now) {
            throw ApiException.of(ErrorCode.KEY_EXPIRED, "This Integration Key has expired.");
        }
        if (!key.getIntegration().isEnabled()) {
            throw ApiException.of(ErrorCode.INTEGRATION_DISABLED, "This integration is disabled.");
        }
        if (key.getLastUsedAt() == null || now - key.getLastUsedAt() > TOUCH_INTERVAL_MILLIS) {
            em.createNamedQuery("ensync.key.touch").setParameter("now", now).setParameter("id", key.getId()).executeUpdate();
        }
        return new Authenticated(key.getIntegration(), key);
    }
}
