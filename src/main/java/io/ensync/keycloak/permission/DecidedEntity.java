package io.ensync.keycloak.permission;

import jakarta.persistence.Column;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.MappedSuperclass;

/** What grants and promotions share: a request that waits for, and then records, a decision. */
@MappedSuperclass
public abstract class DecidedEntity {

    @Enumerated(EnumType.STRING)
    @Column(name = "STATUS", length = 16, nullable = false)
    private GrantStatus status = GrantStatus.PENDING;

    @Column(name = "REQUESTED_AT", nullable = false)
    private long requestedAt;

    @Column(name = "DECIDED_AT")
    private Long decidedAt;

    /** Who decided: an admin's user id, {@code auto} (catalog rule), {@code promotion}, or {@code partner:{id}}. */
    @Column(name = "DECIDED_BY", length = 64)
    private String decidedBy;

    @Column(name = "REASON", length = 500)
    private String reason;

    protected DecidedEntity() {
    }

    protected DecidedEntity(long requestedAt) {
        this.requestedAt = requestedAt;
    }

    public GrantStatus getStatus() { return status; }
    public long getRequestedAt() { return requestedAt; }
    public Long getDecidedAt() { return decidedAt; }
    public String getDecidedBy() { return decidedBy; }
    public String getReason() { return reason; }

    public void decide(GrantStatus status, long at, String by, String reason) {
        this.status = status;
        this.decidedAt = at;
        this.decidedBy = by;
        this.reason = reason;
    }
}
