package io.ensync.keycloak.webhook;

import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Json;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.lifecycle.IntegrationDeleted;
import io.ensync.keycloak.lifecycle.LifecycleEvent;
import io.ensync.keycloak.partner.PartnerEntity;
import jakarta.persistence.EntityManager;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns lifecycle events into outbox rows, in the transaction of the change: one row per matching enabled endpoint
 * of the partner's integration. After the commit the worker is nudged, so delivery starts at once, off the request.
 */
public final class WebhookOutbox implements ProviderEventListener {

    private static final String NUDGE_ENLISTED = WebhookOutbox.class.getName() + ".nudge";

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof LifecycleEvent lifecycle) {
            write(lifecycle);
        } else if (event instanceof IntegrationDeleted deleted) {
            EntityManager em = Jpa.em(deleted.session());
            em.createNamedQuery("ensync.webhookMessage.deleteByIntegration").setParameter("integrationId", deleted.integrationId()).executeUpdate();
            em.createNamedQuery("ensync.webhook.deleteByIntegration").setParameter("integrationId", deleted.integrationId()).executeUpdate();
        }
    }

    private static void write(LifecycleEvent event) {
        String integrationId = event.integrationId();
        if (integrationId == null) {
            PartnerEntity partner = Jpa.em(event.session()).find(PartnerEntity.class, event.partnerId());
            if (partner == null) {
                return;
            }
            integrationId = partner.getIntegration().getId();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("integrationId", integrationId);
        data.putAll(event.data());
        enqueue(event.session(), integrationId, event.type().wireName(), data, null);
    }

    /**
     * Writes the message for every enabled endpoint of the integration whose filter takes the type, or for
     * {@code only} (the test event, whatever its filter). Answers the message ids.
     */
    static List<String> enqueue(KeycloakSession session, String integrationId, String type, Map<String, Object> data,
                                WebhookEndpointEntity only) {
        EntityManager em = Jpa.em(session);
        List<WebhookEndpointEntity> endpoints = only != null ? List.of(only)
                : em.createNamedQuery("ensync.webhook.ofIntegration", WebhookEndpointEntity.class)
                .setParameter("integrationId", integrationId).getResultList().stream()
                .filter(e -> e.enabled && WebhookService.accepts(e, type)).toList();
        if (endpoints.isEmpty()) {
            return List.of();
        }
        long now = Times.now();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", Times.iso(now));
        body.put("data", data);
        String payload = Json.write(body);
        List<String> ids = endpoints.stream().map(endpoint -> {
            WebhookMessageEntity message = new WebhookMessageEntity(newMessageId(), endpoint, type, payload, now);
            em.persist(message);
            return message.id;
        }).toList();
        nudgeAfterCommit(session);
        return ids;
    }

    static String newMessageId() {
        return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }

    static void nudgeAfterCommit(KeycloakSession session) {
        if (session.getAttribute(NUDGE_ENLISTED) != null) {
            return;
        }
        session.setAttribute(NUDGE_ENLISTED, Boolean.TRUE);
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                WebhookDelivery.nudge();
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }
}
