package io.ensync.keycloak.permission;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A partner's request for, and permission to, {@code send}/{@code receive} on a topic (or pattern) in one environment.
 * The approved rows are the source of the token claim; each approved row is mirrored by one Authorization Services
 * scope permission ({@link #getPermissionId()}).
 */
@Entity
@Table(name = "ENSYNC_GRANT")
@NamedQueries({
        @NamedQuery(name = "ensync.grant.approvedOf",
                query = "select g.topic, g.scopes from GrantEntity g where g.partnerId = :partnerId and g.environment = :environment and g.status = io.ensync.keycloak.permission.GrantStatus.APPROVED"),
        @NamedQuery(name = "ensync.grant.ofPartner",
                query = "select g from GrantEntity g where g.partnerId = :partnerId and g.environment in :environments order by g.requestedAt desc, g.id"),
        @NamedQuery(name = "ensync.grant.activeOfPartner",
                query = "select g from GrantEntity g where g.partnerId = :partnerId and g.status in (io.ensync.keycloak.permission.GrantStatus.PENDING, io.ensync.keycloak.permission.GrantStatus.APPROVED)"),
        @NamedQuery(name = "ensync.grant.deleteByRealm",
                query = "delete from GrantEntity g where g.realmId = :realmId"),
})
public class GrantEntity extends DecidedEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "PARTNER_ID", length = 36, nullable = false)
    private String partnerId;

    @Column(name = "ENVIRONMENT", length = 8, nullable = false)
    private String environment;

    @Column(name = "TOPIC", length = 255, nullable = false)
    private String topic;

    /** {@code send}, {@code receive} or {@code send,receive}. */
    @Column(name = "SCOPES", length = 16, nullable = false)
    private String scopes;






    @Column(name = "PERMISSION_ID", length = 36)
    private String permissionId;

    protected GrantEntity() {
    }

    public GrantEntity(String id, String realmId, String partnerId, String environment, String topic, String scopes, long requestedAt) {
        super(requestedAt);
        this.id = id;
        this.realmId = realmId;
        this.partnerId = partnerId;
        this.environment = environment;
        this.topic = topic;
        this.scopes = scopes;
    }

    public String getId() { return id; }
    public String getRealmId() { return realmId; }
    public String getPartnerId() { return partnerId; }
    public String getEnvironment() { return environment; }
    public String getTopic() { return topic; }
    public String getScopes() { return scopes; }
    public String getPermissionId() { return permissionId; }
    public void setPermissionId(String permissionId) { this.permissionId = permissionId; }

}
