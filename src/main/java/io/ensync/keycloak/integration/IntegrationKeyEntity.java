package io.ensync.keycloak.integration;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** An Integration Key, kept only as its SHA-256 hash and a short display prefix. */
@Entity
@Table(name = "ENSYNC_INTEGRATION_KEY")
@NamedQueries({
        @NamedQuery(name = "ensync.key.byHash",
                query = "select k from IntegrationKeyEntity k join fetch k.integration where k.keyHash = :hash and k.realmId = :realmId"),
        @NamedQuery(name = "ensync.key.byIntegration",
                query = "select k from IntegrationKeyEntity k where k.integration.id = :integrationId order by k.createdAt, k.id"),
        @NamedQuery(name = "ensync.key.touch",
                query = "update IntegrationKeyEntity k set k.lastUsedAt = :now where k.id = :id"),
        @NamedQuery(name = "ensync.key.deleteByIntegration",
                query = "delete from IntegrationKeyEntity k where k.integration.id = :integrationId"),
        @NamedQuery(name = "ensync.key.deleteByRealm",
                query = "delete from IntegrationKeyEntity k where k.realmId = :realmId"),
})
public class IntegrationKeyEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "INTEGRATION_ID")
    private IntegrationEntity integration;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "KEY_HASH", length = 64, nullable = false, unique = true)
    private String keyHash;

    @Column(name = "PREFIX", length = 32, nullable = false)
    private String prefix;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "LAST_USED_AT")
    private Long lastUsedAt;

    @Column(name = "EXPIRES_AT")
    private Long expiresAt;

    @Column(name = "REVOKED_AT")
    private Long revokedAt;

    protected IntegrationKeyEntity() {
    }

    public IntegrationKeyEntity(String id, IntegrationEntity integration, String keyHash, String prefix,
                                long createdAt, Long expiresAt) {
        this.id = id;
        this.integration = integration;
        this.realmId = integration.getRealmId();
        this.keyHash = keyHash;
        this.prefix = prefix;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public String getId() { return id; }
    public IntegrationEntity getIntegration() { return integration; }
    public String getRealmId() { return realmId; }
    public String getPrefix() { return prefix; }
    public long getCreatedAt() { return createdAt; }
    public Long getLastUsedAt() { return lastUsedAt; }
    public Long getExpiresAt() { return expiresAt; }
    public Long getRevokedAt() { return revokedAt; }
    public void setRevokedAt(Long revokedAt) { this.revokedAt = revokedAt; }
}
