package io.ensync.keycloak.webhook;

import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.metrics.EnsyncMetrics;
import jakarta.persistence.EntityManager;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.timer.ScheduledTask;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        Map<String, long[]> byRealm = new TreeMap<>();
        em.createNamedQuery("ensync.webhook.realms", String.class).getResultList()
                .forEach(realmId -> byRealm.put(realmId, new long[] {0, 0}));
        for (Object[] row : em.createNamedQuery("ensync.webhookMessage.pendingByRealm", Object[].class).getResultList()) {
            byRealm.put((String) row[0], new long[] {((Number) row[1]).longValue(), ((Number) row[2]).longValue()});
        }
        long now = Times.now();
        List<EnsyncMetrics.WebhookQueue> queues = new ArrayList<>();
        byRealm.forEach((realmId, pending) -> {
            RealmModel realm = session.realms().getRealm(realmId);
            if (realm != null) {
                double oldest = pending[0] == 0 ? 0 : Math.max(0, now - pending[1]) / 1000.0;
                queues.add(new EnsyncMetrics.WebhookQueue(realm.getName(), pending[0], oldest));
            }
        });
        EnsyncMetrics.webhookQueues(queues);
    }

    @Override
    public String getTaskName() {
        return TASK_NAME;
    }
}
