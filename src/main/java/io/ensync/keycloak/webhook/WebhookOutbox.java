package io.ensync.keycloak.webhook;

import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Json;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.lifecycle.IntegrationDeleted;
import io.ensync.keycloak.lifecycle.LifecycleEvent;
import io.ensync.keycloak.partner.PartnerEntity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Turns lifecycle events into outbox rows, in the transaction of the change: one row per matching enabled endpoint
 * of the partner's integration, written by one statement. After the commit the worker is nudged, so delivery starts
 * at once, off the request.
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
     * {@code only} (the test event, whatever its filter), by one INSERT … SELECT: the request path loads no endpoint
     * and persists no entity. Answers the event's id prefix; a message's id is it and its endpoint's id.
     */
    static String enqueue(KeycloakSession session, String integrationId, String type, Map<String, Object> data,
                          WebhookEndpointEntity only) {
        long now = Times.now();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", Times.iso(now));
        body.put("data", data);
        String idPrefix = newIdPrefix(now);
        EntityManager em = Jpa.em(session);
        Query insert = only != null
                ? em.createNamedQuery("ensync.webhookMessage.enqueueTo").setParameter("endpointId", only.id)
                : em.createNamedQuery("ensync.webhookMessage.enqueue").setParameter("integrationId", integrationId)
                .setParameter("listedType", "," + type + ",");
        int written = insert.setParameter("idPrefix", idPrefix).setParameter("type", type).setParameter("payload", Json.write(body))
                .setParameter("now", now).executeUpdate();
        if (written > 0) {
            nudgeAfterCommit(session);
        }
        return idPrefix;
    }

    /**
     * {@code msg_}, the time (12 hex digits of milliseconds) and 48 random bits: ids in the order they are written,
     * so that the primary key grows at its end instead of touching a random page of its index for every message.
     */
    static String newIdPrefix(long now) {
        return "msg_" + String.format("%012x", now) + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
    }

    /**
     * The id {@link WebhookMessageEntity#ENQUEUE} gives a message, for a caller that needs it back: 60 characters,
     * the prefix's 28 and the endpoint id's 32 hex digits (the column holds 64).
     */
    static String messageId(String idPrefix, String endpointId) {
        return idPrefix + endpointId.replace("-", "");
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
