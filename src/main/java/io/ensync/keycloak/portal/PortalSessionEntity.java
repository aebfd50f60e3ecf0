package io.ensync.keycloak.portal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A partner person's portal session. Only the SHA-256 of the session id (the cookie value) is stored, so a copy of
 * the table opens no session. Lives in the database so that every cluster node knows it.
 */
@Entity
@Table(name = "ENSYNC_PORTAL_SESSION")
@NamedQueries({
        @NamedQuery(name = "ensync.portalSession.byHash",
                query = "select s from PortalSessionEntity s where s.sessionHash = :hash and s.realmId = :realmId"),
        @NamedQuery(name = "ensync.portalSession.deleteByPartner",
                query = "delete from PortalSessionEntity s where s.partnerId = :partnerId"),
        @NamedQuery(name = "ensync.portalSession.deleteByRealm",
                query = "delete from PortalSessionEntity s where s.realmId = :realmId"),
        @NamedQuery(name = "ensync.portalSession.deleteExpired",
                query = "delete from PortalSessionEntity s where s.expiresAt < :now or s.lastSeenAt < :idleBefore"),
})
public class PortalSessionEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "PARTNER_ID", length = 36, nullable = false)
    private String partnerId;

    @Column(name = "SESSION_HASH", length = 64, nullable = false, unique = true)
    private String sessionHash;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "LAST_SEEN_AT", nullable = false)
    private long lastSeenAt;

    /** The absolute end, however active the session is. */
    @Column(name = "EXPIRES_AT", nullable = false)
    private long expiresAt;

    protected PortalSessionEntity() {
    }

    public PortalSessionEntity(String id, String realmId, String partnerId, String sessionHash, long createdAt, long expiresAt) {
        this.id = id;
        this.realmId = realmId;
        this.partnerId = partnerId;
        this.sessionHash = sessionHash;
        this.createdAt = createdAt;
        this.lastSeenAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public String getId() { return id; }
    public String getRealmId() { return realmId; }
    public String getPartnerId() { return partnerId; }
    public long getCreatedAt() { return createdAt; }
    public long getLastSeenAt() { return lastSeenAt; }
    public void setLastSeenAt(long lastSeenAt) { this.lastSeenAt = lastSeenAt; }
    public long getExpiresAt() { return expiresAt; }
}
