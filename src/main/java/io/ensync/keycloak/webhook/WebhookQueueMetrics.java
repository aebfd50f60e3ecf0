package io.ensync.keycloak.webhook;

import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.metrics.EnsyncMetrics;
import jakarta.persistence.EntityManager;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.timer.ScheduledTask;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Refreshes the webhook queue's gauges from the outbox: per realm with an endpoint, how many messages are pending
 * (not delivered, not given up; {@code NEXT_ATTEMPT_AT} is set exactly then, and its index serves the count) and the
 * age of the oldest. Every node runs it; the values come from the database, so they are the cluster's. A message
 * whose endpoint is gone is not counted: the worker fails it on its next poll.
 */
public final class WebhookQueueMetrics implements ScheduledTask {

    public static final long INTERVAL_MILLIS = 10_000;
    public static final String TASK_NAME = "ensync-webhook-queue-metrics";

    @Override
    public void run(KeycloakSession session) {
        if (!EnsyncMetrics.enabled()) {
            return;
        }
        EntityManager em = Jpa.em(session);
        // Every realm with a pending message has an endpoint (the count joins them), so the endpoints' realms are all.
        Map<String, Object[]> pendingByRealm = new HashMap<>();
        em.createNamedQuery("ensync.webhookMessage.pendingByRealm", Object[].class).getResultList()
                .forEach(row -> pendingByRealm.put((String) row[0], row));
        long now = Times.now();
        List<EnsyncMetrics.WebhookQueue> queues = new ArrayList<>();
        for (String realmId : em.createNamedQuery("ensync.webhook.realms", String.class).getResultList()) {
            RealmModel realm = session.realms().getRealm(realmId);
            if (realm == null) {
                continue;
            }
            Object[] pending = pendingByRealm.get(realmId);
            long count = pending == null ? 0 : ((Number) pending[1]).longValue();
            double oldestSeconds = pending == null ? 0 : Math.max(0, now - ((Number) pending[2]).longValue()) / 1000.0;
            queues.add(new EnsyncMetrics.WebhookQueue(realm.getName(), count, oldestSeconds));
        }
        EnsyncMetrics.webhookQueues(queues);
    }

    @Override
    public String getTaskName() {
        return TASK_NAME;
    }
}
