package io.ensync.keycloak.partner;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** Remembers an {@code Idempotency-Key} of the partner endpoint for 24 h: which request it carried and its partner. */
@Entity
@Table(name = "ENSYNC_IDEMPOTENCY")
@NamedQueries({
        @NamedQuery(name = "ensync.idempotency.find",
                query = "select i from IdempotencyEntity i where i.integrationId = :integrationId and i.idempotencyKey = :key"),
        @NamedQuery(name = "ensync.idempotency.deleteByIntegration",
                query = "delete from IdempotencyEntity i where i.integrationId = :integrationId"),
        @NamedQuery(name = "ensync.idempotency.deleteByRealm",
                query = "delete from IdempotencyEntity i where i.realmId = :realmId"),
        @NamedQuery(name = "ensync.idempotency.deleteOlderThan",
                query = "delete from IdempotencyEntity i where i.createdAt < :before"),
})
public class IdempotencyEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "INTEGRATION_ID", length = 36, nullable = false)
    private String integrationId;

    @Column(name = "IDEMPOTENCY_KEY", length = 255, nullable = false)
    private String idempotencyKey;

    /** SHA-256 of the canonical request, to tell a replay from a different request under the same key. */
    @Column(name = "REQUEST_HASH", length = 64, nullable = false)
    private String requestHash;

    @Column(name = "PARTNER_ID", length = 36, nullable = false)
    private String partnerId;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    protected IdempotencyEntity() {
    }

    public IdempotencyEntity(String id, String realmId, String integrationId, String idempotencyKey,
                             String requestHash, String partnerId, long createdAt) {
        this.id = id;
        this.realmId = realmId;
        this.integrationId = integrationId;
        this.idempotencyKey = idempotencyKey;
        this.requestHash = requestHash;
        this.partnerId = partnerId;
        this.createdAt = createdAt;
    }

    public String getRequestHash() { return requestHash; }
    public String getPartnerId() { return partnerId; }
    public long getCreatedAt() { return createdAt; }
}
