package io.ensync.keycloak.partner;

import io.ensync.keycloak.lifecycle.EventType;
import io.ensync.keycloak.lifecycle.LifecycleEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.audit.Audit;
import io.ensync.keycloak.audit.AuditResource;
import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.ErrorCode;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Json;
import io.ensync.keycloak.common.Paging;
import io.ensync.keycloak.common.Times;
import jakarta.persistence.LockModeType;
import org.keycloak.common.Profile;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.OIDCClientSecretConfigWrapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a partner does for itself — read its environments, rotate secrets, read its history — for the partner API
 * (one environment, by token) and the portal (all environments, by session) alike.
 */
public class PartnerSelfService {

    /** The portal and API warn this long before a secret expires. */
    static final long EXPIRY_WARNING_SECONDS = 7 * 86400L;
    private static final int HISTORY_CHUNK = 200;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Audit audit;

    public PartnerSelfService(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.audit = new Audit(session, realm);
    }

    /**
     * One environment as its partner sees it: the client, how it authenticates ({@code client_secret} or
     * {@code private_key_jwt}) and the life of its secret, or the ids and algorithms of its keys.
     */
    public record EnvironmentStatus(String name, String clientId, boolean enabled, String tokenUrl, String authMethod,
                                    String secretCreatedAt, String secretExpiresAt, boolean secretExpiresSoon,
                                    String previousSecretValidUntil, List<Jwks.KeyView> keys, String jwksUrl) {
    }

    /** The partner as it sees itself: its record and the environments of the caller's scope. */
    public record Me(String id, String appName, String appDescription, JsonNode metadata, String status, String stage,
                     String integration, List<EnvironmentStatus> environments) {
    }

    public Me me(PartnerEntity partner, Set<Environment> scope) {
        List<EnvironmentStatus> environments = partner.getClients().stream()
                .filter(pc -> scope.contains(Environment.parse("environment", pc.getEnvironment())))
                .map(pc -> status(pc.getEnvironment(), realm.getClientById(pc.getClientUuid())))
                .filter(java.util.Objects::nonNull)
                .toList();
        PartnerView view = PartnerView.of(partner, realm);
        return new Me(view.id(), view.appName(), view.appDescription(), view.metadata(), view.status(), view.stage(),
                partner.getIntegration().getName(), environments);
    }

    private EnvironmentStatus status(String env, ClientModel client) {
        if (client == null) {
            return null;
        }
        if (PartnerKeys.usesKeys(client)) {
            return new EnvironmentStatus(env, client.getClientId(), client.isEnabled(), tokenUrl(), PartnerKeys.PRIVATE_KEY_JWT,
                    null, null, false, null, PartnerKeys.keyViews(client), PartnerKeys.jwksUrl(client));
        }
        OIDCClientSecretConfigWrapper secret = OIDCClientSecretConfigWrapper.fromClientModel(client);
        long nowSeconds = Times.now() / 1000;
        Long expires = secret.hasClientSecretExpirationTime() ? SecretTimes.get(client, SecretTimes.EXPIRATION) : null;
        // Keycloak accepts a rotated secret only with the feature on: without it, none is shown as still valid.
        Long previousUntil = rotationGraceAvailable() && secret.hasRotatedSecret() && !secret.isClientRotatedSecretExpired()
                ? SecretTimes.get(client, SecretTimes.ROTATED_EXPIRATION) : null;
        return new EnvironmentStatus(env, client.getClientId(), client.isEnabled(), tokenUrl(), PartnerKeys.CLIENT_SECRET,
                PartnerClients.secretCreatedAt(client), seconds(expires),
                expires != null && expires - nowSeconds <= EXPIRY_WARNING_SECONDS, seconds(previousUntil), null, null);
    }

    public record RotatedSecret(String environment, String clientId, String clientSecret, String secretExpiresAt,
                                String previousSecretValidUntil) {
    }

    /**
     * Rotates an environment's secret with Keycloak's rotated-secret mechanism: the new secret is answered once;
     * the previous one keeps working for the integration's grace period, or stops at once on {@code revokePrevious}.
     */
    public RotatedSecret rotateSecret(PartnerEntity partner, Environment env, boolean revokePrevious, Actor actor) {
        lockForRotation(partner);
        ClientModel client = PartnerClients.clientOf(realm, partner, env);
        if (client == null) {
            throw ApiException.notFound("Environment");
        }
        if (PartnerKeys.usesKeys(client)) {
            throw ApiException.of(ErrorCode.CREDENTIALS_ARE_KEYS, "This environment authenticates with keys, not a secret: "
                    + "change its keys with PUT /me/keys, or remove them (DELETE /me/keys) to get a secret again.");
        }
        requireCurrentSecret(client);
        OIDCClientSecretConfigWrapper wrapper = OIDCClientSecretConfigWrapper.fromClientModel(client);
        String previous = client.getSecret();
        long previousCreated = SecretTimes.get(client, SecretTimes.CREATION);
        long nowSeconds = Times.now() / 1000;
        int grace = partner.getIntegration().getRotationGraceSeconds();

        if (!revokePrevious && grace > 0 && !rotationGraceAvailable()) {
            throw ApiException.of(ErrorCode.ROTATION_GRACE_UNAVAILABLE, "This server cannot keep the previous secret "
                    + "working (Keycloak's feature client-secret-rotation is off). Rotate with revokePrevious=true "
                    + "to stop it at once.");
        }
        String secret = KeycloakModelUtils.generateSecret(client);
        Long previousUntil = null;
        if (revokePrevious || grace == 0) {
            wrapper.removeClientSecretRotationInfo();
        } else {
            wrapper.setClientRotatedSecret(previous);
            SecretTimes.set(client, SecretTimes.ROTATED_CREATION, previousCreated);
            previousUntil = nowSeconds + grace;
            SecretTimes.set(client, SecretTimes.ROTATED_EXPIRATION, previousUntil);
        }
        Long expires = PartnerClients.applySecretPolicy(client, partner.getIntegration(), env);
        audit.record(actor, AuditResource.ENSYNC_SECRET, OperationType.UPDATE,
                Map.of("environment", env.id(), "clientId", client.getClientId(), "revokePrevious", revokePrevious || grace == 0,
                        "previousSecretValidUntil", String.valueOf(seconds(previousUntil))),
                "partners", partner.getId(), "environments", env.id(), "secret");
        LifecycleEvent.publish(new LifecycleEvent.Credentials(session, realm.getId(), EventType.SECRET_ROTATED, partner.getId(), env.id(), client.getClientId(), seconds(expires), null, actor.reference()));
        return new RotatedSecret(env.id(), client.getClientId(), secret, seconds(expires), seconds(previousUntil));
    }

    /**
     * Whether a rotated secret can keep working for a grace period: Keycloak accepts the previous secret only with its
     * preview feature client-secret-rotation. Without it a rotation that keeps the old secret is refused rather than
     * answered with a grace period that would not hold.
     */
    public static boolean rotationGraceAvailable() {
        return Profile.isFeatureEnabled(Profile.Feature.CLIENT_SECRET_ROTATION);
    }

    /** Rotations of one partner run one after another (its row lock, held to the end of the transaction). */
    private void lockForRotation(PartnerEntity partner) {
        Jpa.em(session).find(PartnerEntity.class, partner.getId(), LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * A rotation that committed while this one waited for the lock may not be visible in the client this request
     * read (Keycloak's cache): rotating from that stale secret would answer a secret that never works, so the caller
     * hears 409 and retries instead.
     */
    private void requireCurrentSecret(ClientModel client) {
        String stored = Jpa.em(session).createQuery("select c.secret from ClientEntity c where c.id = :id", String.class)
                .setParameter("id", client.getId()).getResultStream().findFirst().orElse(null);
        if (!java.util.Objects.equals(stored, client.getSecret())) {
            throw ApiException.of(ErrorCode.ROTATION_IN_PROGRESS, "Another rotation of this environment's secret has just finished; read the environment and retry.");
        }
    }

    public record HistoryEntry(String time, String resourceType, String operation, String resourcePath,
                               String principal, JsonNode representation) {
    }

    /**
     * The partner's own audit trail as a caller of {@code scope} may read it, newest first: partner-wide events and
     * those of its environments (SPEC §7); null when the realm does not store admin events. Read in chunks and
     * filtered, because Keycloak's event query takes one path pattern.
     */
    public List<HistoryEntry> history(PartnerEntity partner, Set<Environment> scope, Paging paging) {
        if (!realm.isAdminEventsEnabled()) {
            return null;
        }
        String root = Audit.PATH_ROOT + "/partners/" + partner.getId();
        List<HistoryEntry> visible = new ArrayList<>();
        int wanted = paging.end();
        for (int offset = 0; visible.size() < wanted; offset += HISTORY_CHUNK) {
            List<AdminEvent> chunk = session.getProvider(EventStoreProvider.class).createAdminQuery()
                    .realm(realm.getId())
                    .resourcePath(root + "*")
                    .orderByDescTime()
                    .firstResult(offset).maxResults(HISTORY_CHUNK)
                    .getResultStream().toList();
            for (AdminEvent event : chunk) {
                HistoryEntry entry = entry(event);
                if (HistoryScope.visible(root, entry.resourcePath(), entry.representation(), scope)) {
                    visible.add(entry);
                }
            }
            if (chunk.size() < HISTORY_CHUNK) {
                break;
            }
        }
        return visible.subList(Math.min(paging.first(), visible.size()), Math.min(wanted, visible.size()));
    }

    private static HistoryEntry entry(AdminEvent event) {
        JsonNode representation = event.getRepresentation() == null ? null : Json.readStored(event.getRepresentation(), JsonNode.class);
        String principal = event.getDetails() == null ? null : event.getDetails().get("principal");
        return new HistoryEntry(Times.iso(event.getTime()), event.getResourceTypeAsString(),
                event.getOperationType().name(), event.getResourcePath(), principal, representation);
    }

    private String tokenUrl() {
        return PartnerClients.tokenUrl(session, realm);
    }

    private static String seconds(Long epochSeconds) {
        return epochSeconds == null ? null : Times.iso(epochSeconds * 1000);
    }
}
