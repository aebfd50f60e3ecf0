package io.ensync.keycloak.link;

import jakarta.persistence.Column;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** A one-time link to a partner's onboarding or portal, kept only as the SHA-256 of its id. */
@Entity
@Table(name = "ENSYNC_LINK")
@NamedQueries({
        @NamedQuery(name = "ensync.link.byHash",
                query = "select l from LinkEntity l where l.tokenHash = :hash and l.realmId = :realmId"),
        @NamedQuery(name = "ensync.link.consume",
                query = "update LinkEntity l set l.usedAt = :now where l.id = :id and l.usedAt is null and l.expiresAt > :now"),
        @NamedQuery(name = "ensync.link.expireUnusedOfPartner",
                query = "update LinkEntity l set l.expiresAt = :now where l.partnerId = :partnerId and l.usedAt is null and l.expiresAt > :now"),
        @NamedQuery(name = "ensync.link.deleteByPartner",
                query = "delete from LinkEntity l where l.partnerId = :partnerId"),
        @NamedQuery(name = "ensync.link.deleteByRealm",
                query = "delete from LinkEntity l where l.realmId = :realmId"),
        @NamedQuery(name = "ensync.link.deleteExpiredBefore",
                query = "delete from LinkEntity l where l.expiresAt < :before"),
})
public class LinkEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "PARTNER_ID", length = 36, nullable = false)
    private String partnerId;

    @Column(name = "TOKEN_HASH", length = 64, nullable = false, unique = true)
    private String tokenHash;

    @Enumerated(EnumType.STRING)
    @Column(name = "PURPOSE", length = 16, nullable = false)
    private LinkPurpose purpose;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "EXPIRES_AT", nullable = false)
    private long expiresAt;

    @Column(name = "USED_AT")
    private Long usedAt;

    protected LinkEntity() {
    }

    public LinkEntity(String id, String realmId, String partnerId, String tokenHash, LinkPurpose purpose,
                      long createdAt, long expiresAt) {
        this.id = id;
        this.realmId = realmId;
        this.partnerId = partnerId;
        this.tokenHash = tokenHash;
        this.purpose = purpose;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public String getId() { return id; }
    public String getRealmId() { return realmId; }
    public String getPartnerId() { return partnerId; }
    public LinkPurpose getPurpose() { return purpose; }
    public long getCreatedAt() { return createdAt; }
    public long getExpiresAt() { return expiresAt; }
    public Long getUsedAt() { return usedAt; }
}
