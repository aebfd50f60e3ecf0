package io.ensync.keycloak.webhook;

import io.ensync.keycloak.common.Times;

/** One message of an endpoint's delivery log: its state, attempts, the last answer and the next try. */
public record DeliveryView(String id, String eventType, String status, int attempts, String createdAt, String lastAttemptAt,
                    Integer lastStatus, String lastError, Long lastLatencyMillis, String nextAttemptAt, String deliveredAt) {

    static DeliveryView of(WebhookMessageEntity m) {
        return new DeliveryView(m.id, m.eventType, m.status.id(), m.attempts,
                Times.iso(m.createdAt), Times.iso(m.lastAttemptAt), m.lastStatus, m.lastError, m.lastLatencyMillis,
                m.status == WebhookMessageStatus.PENDING ? Times.iso(m.nextAttemptAt) : null, Times.iso(m.deliveredAt));
    }
}
