package io.ensync.keycloak.webhook;

import jakarta.persistence.Column;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * The outbox: one row per event and endpoint, written in the transaction of the change. Its id is the
 * {@code webhook-id}, the same on every attempt. A node takes a row by a lease ({@code LEASE_UNTIL}) won with a
 * conditional UPDATE, so one node at a time delivers it.
 * <p>
 * {@code NEXT_ATTEMPT_AT} is set while the message is pending and only then: the due query reads that one indexed
 * column, a range scan in its order that PostgreSQL takes whatever its statistics say (with a status column in the
 * index and stale statistics it sorted every pending row on each poll). Its rows are found through their endpoint
 * (deletions of an integration or realm too); the realm and integration columns are a record for operators only.
 */
@Entity
@Table(name = "ENSYNC_WEBHOOK_MESSAGE")
@NamedQueries({
        // The endpoints an event goes to: enabled, and with no filter or one that lists the type (:listedType is ",type,").
        @NamedQuery(name = "ensync.webhookMessage.enqueue", query = WebhookMessageEntity.ENQUEUE
                + " where w.integrationId = :integrationId and w.enabled = true"
                + " and (w.eventTypes is null or w.eventTypes = '' or locate(:listedType, concat(',', w.eventTypes, ',')) > 0)"),
        @NamedQuery(name = "ensync.webhookMessage.enqueueTo", query = WebhookMessageEntity.ENQUEUE + " where w.id = :endpointId"),
        @NamedQuery(name = "ensync.webhookMessage.due",
                query = "select m.id from WebhookMessageEntity m where m.nextAttemptAt <= :now"
                        + " and (m.leaseUntil is null or m.leaseUntil < :now) order by m.nextAttemptAt"),
        @NamedQuery(name = "ensync.webhookMessage.lease",
                query = "update WebhookMessageEntity m set m.leaseUntil = :until where m.id = :id and m.status = io.ensync.keycloak.webhook.WebhookMessageStatus.PENDING"
                        + " and m.nextAttemptAt <= :now and (m.leaseUntil is null or m.leaseUntil < :now)"),
        @NamedQuery(name = "ensync.webhookMessage.pendingByRealm",
                query = "select w.realmId, count(m), min(m.createdAt) from WebhookMessageEntity m, WebhookEndpointEntity w"
                        + " where w.id = m.endpointId and m.nextAttemptAt is not null group by w.realmId"),
        @NamedQuery(name = "ensync.webhookMessage.ofEndpoint",
                query = "select m from WebhookMessageEntity m where m.endpointId = :endpointId order by m.createdAt desc, m.id desc"),
        @NamedQuery(name = "ensync.webhookMessage.deleteByEndpoint",
                query = "delete from WebhookMessageEntity m where m.endpointId = :endpointId"),
        @NamedQuery(name = "ensync.webhookMessage.deleteByIntegration",
                query = "delete from WebhookMessageEntity m where m.endpointId in"
                        + " (select w.id from WebhookEndpointEntity w where w.integrationId = :integrationId)"),
        @NamedQuery(name = "ensync.webhookMessage.deleteByRealm",
                query = "delete from WebhookMessageEntity m where m.endpointId in"
                        + " (select w.id from WebhookEndpointEntity w where w.realmId = :realmId)"),
        @NamedQuery(name = "ensync.webhookMessage.deleteFinishedBefore",
                query = "delete from WebhookMessageEntity m where m.status <> io.ensync.keycloak.webhook.WebhookMessageStatus.PENDING and m.createdAt < :before"),
})
public class WebhookMessageEntity {

    /** One message per endpoint the appended WHERE clause selects, due at once, its id the event's and the endpoint's. */
    static final String ENQUEUE = "insert into WebhookMessageEntity (id, realmId, integrationId, endpointId, eventType, payload,"
            + " createdAt, status, attempts, nextAttemptAt)"
            + " select concat(:idPrefix, replace(w.id, '-', '')), w.realmId, w.integrationId, w.id, :type, :payload, :now,"
            + " io.ensync.keycloak.webhook.WebhookMessageStatus.PENDING, 0, :now from WebhookEndpointEntity w";

    @Id
    @Column(name = "ID", length = 64)
    String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    String realmId;

    @Column(name = "INTEGRATION_ID", length = 36, nullable = false)
    String integrationId;

    @Column(name = "ENDPOINT_ID", length = 36, nullable = false)
    String endpointId;

    @Column(name = "EVENT_TYPE", length = 64, nullable = false)
    String eventType;

    /** The exact body sent and signed. */
    @Column(name = "PAYLOAD", length = 8192, nullable = false)
    String payload;

    @Column(name = "CREATED_AT", nullable = false)
    long createdAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "STATUS", length = 16, nullable = false)
    WebhookMessageStatus status;

    @Column(name = "ATTEMPTS", nullable = false)
    int attempts;

    @Column(name = "NEXT_ATTEMPT_AT")
    Long nextAttemptAt;

    @Column(name = "LEASE_UNTIL")
    Long leaseUntil;

    @Column(name = "LAST_ATTEMPT_AT")
    Long lastAttemptAt;

    /** The last answer's HTTP status, null when there was none (timeout, refused, blocked target). */
    @Column(name = "LAST_STATUS")
    Integer lastStatus;

    @Column(name = "LAST_ERROR", length = 255)
    String lastError;

    @Column(name = "LAST_LATENCY_MS")
    Long lastLatencyMillis;

    @Column(name = "DELIVERED_AT")
    Long deliveredAt;

    protected WebhookMessageEntity() {
    }
}
