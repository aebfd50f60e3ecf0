package io.ensync.keycloak.lifecycle;

import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A change in a partner's lifecycle, published by the package that made it, in the same session and transaction
 * (Keycloak's {@link org.keycloak.models.KeycloakSessionFactory#publish}, synchronous, as its removal events).
 * Listeners that write must write in that transaction: a rolled-back change then leaves nothing behind. The data
 * never holds a secret.
 */
public sealed interface LifecycleEvent extends ProviderEvent {

    KeycloakSession session();

    String realmId();

    EventType type();

    /** The partner it concerns; null for an access request not (yet) approved. */
    String partnerId();

    /** The integration, where the event names it itself; else the partner's. */
    default String integrationId() {
        return null;
    }

    /** The event's data as a receiver sees it (without the integration id, which the listener knows). */
    Map<String, Object> data();

    /** Publishes to every registered listener, synchronously. */
    static void publish(LifecycleEvent event) {
        event.session().getKeycloakSessionFactory().publish(event);
    }

    /** Partner created, onboarded ({@code clientIds} per environment), suspended, resumed, offboarded. */
    record Partner(KeycloakSession session, String realmId, EventType type, String partnerId,
                   Map<String, String> clientIds, String actor) implements LifecycleEvent {
        @Override
        public Map<String, Object> data() {
            Map<String, Object> data = base(partnerId, actor);
            if (clientIds != null && !clientIds.isEmpty()) {
                data.put("environments", clientIds.entrySet().stream()
                        .map(e -> Map.of("environment", e.getKey(), "clientId", e.getValue())).toList());
            }
            return data;
        }
    }

    /** Grant requested, approved, denied, revoked, withdrawn. */
    record Grant(KeycloakSession session, String realmId, EventType type, String partnerId, String grantId,
                 String environment, String topic, String scopes, String status, String actor) implements LifecycleEvent {
        @Override
        public Map<String, Object> data() {
            Map<String, Object> data = base(partnerId, actor);
            data.put("grantId", grantId);
            data.put("environment", environment);
            data.put("topic", topic);
            data.put("scopes", List.of(scopes.split(",")));
            data.put("decision", status);
            return data;
        }
    }

    /** Promotion requested, approved, denied. */
    record Promotion(KeycloakSession session, String realmId, EventType type, String partnerId, String promotionId,
                     String fromEnvironment, String toEnvironment, String actor) implements LifecycleEvent {
        @Override
        public Map<String, Object> data() {
            Map<String, Object> data = base(partnerId, actor);
            data.put("promotionId", promotionId);
            data.put("fromEnvironment", fromEnvironment);
            data.put("toEnvironment", toEnvironment);
            return data;
        }
    }

    /**
     * Secret rotated or about to expire ({@code expiresAt}, RFC 3339 or null), credentials changed (the partner's
     * keys, {@code change} naming what): an environment's client, never the secret or key itself.
     */
    record Credentials(KeycloakSession session, String realmId, EventType type, String partnerId, String environment,
                       String clientId, String expiresAt, String change, String actor) implements LifecycleEvent {
        @Override
        public Map<String, Object> data() {
            Map<String, Object> data = base(partnerId, actor);
            data.put("environment", environment);
            data.put("clientId", clientId);
            if (expiresAt != null) {
                data.put("expiresAt", expiresAt);
            }
            if (change != null) {
                data.put("change", change);
            }
            return data;
        }
    }

    /**
     * An access request verified by its contact (received), approved (with the partner it created) or denied: the
     * integrator hears of it before any partner exists, so the event names its integration.
     */
    record AccessRequest(KeycloakSession session, String realmId, EventType type, String integrationId,
                         String accessRequestId, String partnerId, String appName, String contactEmail, String reason,
                         String actor) implements LifecycleEvent {
        @Override
        public Map<String, Object> data() {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("accessRequestId", accessRequestId);
            data.put("appName", appName);
            data.put("contactEmail", contactEmail);
            if (partnerId != null) {
                data.put("partnerId", partnerId);
            }
            if (reason != null) {
                data.put("reason", reason);
            }
            if (actor != null) {
                data.put("actor", actor);
            }
            return data;
        }
    }

    private static Map<String, Object> base(String partnerId, String actor) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("partnerId", partnerId);
        if (actor != null) {
            data.put("actor", actor);
        }
        return data;
    }
}
