package io.ensync.keycloak.webhook;

import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.audit.Audit;
import io.ensync.keycloak.audit.AuditResource;
import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.Checks;
import io.ensync.keycloak.common.ErrorCode;
import io.ensync.keycloak.common.Ids;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Paging;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.integration.IntegrationEntity;
import io.ensync.keycloak.lifecycle.EventType;
import jakarta.persistence.EntityManager;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** An integration's webhook endpoints: settings, secrets, the delivery log, replay and the test event. */
final class WebhookService {

    static final int MAX_ENDPOINTS = 10;
    private static final Pattern MESSAGE_ID = Pattern.compile("[\\x21-\\x7e]{1,64}");
    static final int MAX_EVENT_TYPES = EventType.values().length;
    static final int DEFAULT_OVERLAP_SECONDS = 24 * 3600;
    static final int MAX_OVERLAP_SECONDS = 7 * 24 * 3600;
    static final String TEST_EVENT = "webhook.test";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EntityManager em;

    WebhookService(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.em = Jpa.em(session);
    }

    WebhookView create(IntegrationEntity integration, WebhookInput input, Actor actor) {
        long count = em.createNamedQuery("ensync.webhook.countOfIntegration", Long.class)
                .setParameter("integrationId", integration.getId()).getSingleResult();
        if (count >= MAX_ENDPOINTS) {
            throw ApiException.of(ErrorCode.WEBHOOK_LIMIT, "An integration has at most " + MAX_ENDPOINTS + " webhook endpoints.");
        }
        WebhookEndpointEntity endpoint = new WebhookEndpointEntity(KeycloakModelUtils.generateId(), realm.getId(), integration.getId(), Times.now());
        endpoint.url = TargetPolicy.checkUrl(input.url(), WebhookDelivery.allowPrivateTargets()).toString();
        endpoint.eventTypes = eventTypes(input.eventTypes());
        endpoint.enabled = input.enabled() == null || input.enabled();
        endpoint.description = Checks.optionalText("description", input.description(), 500);
        String secret = Signature.newSecret();
        endpoint.secret = secret;
        em.persist(endpoint);
        audit(actor, OperationType.CREATE, endpoint, null);
        return WebhookView.of(endpoint, secret);
    }

    List<WebhookView> list(IntegrationEntity integration) {
        return em.createNamedQuery("ensync.webhook.ofIntegration", WebhookEndpointEntity.class)
                .setParameter("integrationId", integration.getId()).getResultStream().map(e -> WebhookView.of(e, null)).toList();
    }

    WebhookEndpointEntity get(IntegrationEntity integration, String id) {
        WebhookEndpointEntity endpoint = Ids.isId(id) ? em.find(WebhookEndpointEntity.class, id) : null;
        if (endpoint == null || !endpoint.integrationId.equals(integration.getId()) || !endpoint.realmId.equals(realm.getId())) {
            throw ApiException.notFound("Webhook");
        }
        return endpoint;
    }

    WebhookView update(WebhookEndpointEntity endpoint, WebhookInput input, Actor actor) {
        if (input.url() != null) {
            endpoint.url = TargetPolicy.checkUrl(input.url(), WebhookDelivery.allowPrivateTargets()).toString();
        }
        if (input.eventTypes() != null) {
            endpoint.eventTypes = eventTypes(input.eventTypes());
        }
        if (input.description() != null) {
            endpoint.description = Checks.optionalText("description", input.description(), 500);
        }
        if (input.enabled() != null) {
            if (input.enabled() && !endpoint.enabled) {
                endpoint.disabledReason = null;
                endpoint.disabledAt = null;
                endpoint.failingSince = null;
            }
            endpoint.enabled = input.enabled();
        }
        endpoint.updatedAt = Times.now();
        audit(actor, OperationType.UPDATE, endpoint, null);
        return WebhookView.of(endpoint, null);
    }

    void delete(WebhookEndpointEntity endpoint, Actor actor) {
        em.createNamedQuery("ensync.webhookMessage.deleteByEndpoint").setParameter("endpointId", endpoint.id).executeUpdate();
        audit(actor, OperationType.DELETE, endpoint, null);
        em.remove(endpoint);
    }

    /** A new secret, shown once; the previous one keeps signing for {@code overlapSeconds} (0 ends it now). */
    WebhookView rotate(WebhookEndpointEntity endpoint, Integer overlapSeconds, Actor actor) {
        int overlap = Checks.range("overlapSeconds", overlapSeconds, DEFAULT_OVERLAP_SECONDS, 0, MAX_OVERLAP_SECONDS);
        long now = Times.now();
        String secret = Signature.newSecret();
        endpoint.previousSecret = overlap == 0 ? null : endpoint.secret;
        endpoint.previousSecretUntil = overlap == 0 ? null : now + overlap * 1000L;
        endpoint.secret = secret;
        endpoint.updatedAt = now;
        audit(actor, OperationType.ACTION, endpoint, "rotate-secret");
        return WebhookView.of(endpoint, secret);
    }

    List<DeliveryView> deliveries(WebhookEndpointEntity endpoint, Paging paging) {
        return em.createNamedQuery("ensync.webhookMessage.ofEndpoint", WebhookMessageEntity.class)
                .setParameter("endpointId", endpoint.id).setFirstResult(paging.first()).setMaxResults(paging.max())
                .getResultStream().map(DeliveryView::of).toList();
    }

    /** Sends a message again, with the same {@code webhook-id} and body, its retry schedule started anew. */
    DeliveryView replay(WebhookEndpointEntity endpoint, String messageId, Actor actor) {
        // printable ASCII only: PostgreSQL refuses a NUL in a parameter (a 500 for .../deliveries/%00/replay, FuzzIT)
        WebhookMessageEntity message = messageId != null && MESSAGE_ID.matcher(messageId).matches()
                ? em.find(WebhookMessageEntity.class, messageId) : null;
        if (message == null || !message.endpointId.equals(endpoint.id)) {
            throw ApiException.notFound("Delivery");
        }
        requireEnabled(endpoint);
        message.status = WebhookMessageStatus.PENDING;
        message.attempts = 0;
        message.nextAttemptAt = Times.now();
        message.leaseUntil = null;
        audit(actor, OperationType.ACTION, endpoint, "replay");
        WebhookOutbox.nudgeAfterCommit(session);
        return DeliveryView.of(message);
    }

    /** A {@code webhook.test} message to this endpoint only, whatever its filter. */
    DeliveryView test(WebhookEndpointEntity endpoint, Actor actor) {
        requireEnabled(endpoint);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("integrationId", endpoint.integrationId);
        data.put("webhookId", endpoint.id);
        String id = WebhookOutbox.messageId(WebhookOutbox.enqueue(session, endpoint.integrationId, TEST_EVENT, data, endpoint), endpoint.id);
        audit(actor, OperationType.ACTION, endpoint, "test");
        return DeliveryView.of(em.find(WebhookMessageEntity.class, id));
    }

    private static void requireEnabled(WebhookEndpointEntity endpoint) {
        if (!endpoint.enabled) {
            throw ApiException.of(ErrorCode.WEBHOOK_DISABLED, "This webhook endpoint is disabled; enable it first.");
        }
    }

    private void audit(Actor actor, OperationType operation, WebhookEndpointEntity endpoint, String action) {
        Object representation = WebhookView.of(endpoint, null);
        if (action != null) {
            representation = Map.of("action", action, "webhook", representation);
        }
        new Audit(session, realm).record(actor, AuditResource.ENSYNC_WEBHOOK, operation, representation,
                "integrations", endpoint.integrationId, "webhooks", endpoint.id);
    }

    static String eventTypes(List<String> given) {
        if (given == null || given.isEmpty()) {
            return null;
        }
        if (given.size() > MAX_EVENT_TYPES) {
            throw ApiException.invalid("eventTypes", "eventTypes has at most " + MAX_EVENT_TYPES + " entries.");
        }
        Set<String> types = new LinkedHashSet<>();
        for (String type : given) {
            if (type == null || EventType.of(type).isEmpty()) {
                throw ApiException.invalid("eventTypes", "Unknown event type: " + (type == null ? "null" : type.length() > 64 ? type.substring(0, 64) : type) + ".");
            }
            types.add(type);
        }
        return String.join(",", types);
    }

    static List<String> types(WebhookEndpointEntity endpoint) {
        return endpoint.eventTypes == null || endpoint.eventTypes.isEmpty() ? List.of() : List.of(endpoint.eventTypes.split(","));
    }

    /** The secrets that sign now: the current one, and the previous one during its overlap. */
    static List<String> signingSecrets(WebhookEndpointEntity endpoint, long now) {
        List<String> secrets = new ArrayList<>(List.of(endpoint.secret));
        if (endpoint.previousSecret != null && endpoint.previousSecretUntil != null && endpoint.previousSecretUntil > now) {
            secrets.add(endpoint.previousSecret);
        }
        return secrets;
    }
}
