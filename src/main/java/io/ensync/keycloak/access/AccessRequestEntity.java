package io.ensync.keycloak.access;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A request to join an integration, made on its public join page. Only a hash of the verification token is kept;
 * the contact address is stored in lower case, so that "open requests of this address" is one indexed look-up.
 */
@Entity
@Table(name = "ENSYNC_ACCESS_REQUEST")
@NamedQueries({
        @NamedQuery(name = "ensync.accessRequest.byTokenHash",
                query = "select r from AccessRequestEntity r where r.tokenHash = :tokenHash"),
        @NamedQuery(name = "ensync.accessRequest.openOfContact",
                query = "select r from AccessRequestEntity r where r.realmId = :realmId and r.contactEmail = :contactEmail"
                        + " and (r.status = io.ensync.keycloak.access.AccessRequestStatus.PENDING"
                        + " or (r.status = io.ensync.keycloak.access.AccessRequestStatus.UNVERIFIED and r.createdAt > :unverifiedSince))"
                        + " order by r.createdAt, r.id"),
        @NamedQuery(name = "ensync.accessRequest.countOpenOfIntegration",
                query = "select count(r) from AccessRequestEntity r where r.integrationId = :integrationId"
                        + " and (r.status = io.ensync.keycloak.access.AccessRequestStatus.PENDING"
                        + " or (r.status = io.ensync.keycloak.access.AccessRequestStatus.UNVERIFIED and r.createdAt > :unverifiedSince))"),
        @NamedQuery(name = "ensync.accessRequest.list",
                query = "select r from AccessRequestEntity r where r.realmId = :realmId"
                        + " and r.status <> io.ensync.keycloak.access.AccessRequestStatus.UNVERIFIED"
                        + " and (:status is null or r.status = :status) and (:integrationId is null or r.integrationId = :integrationId)"
                        + " order by r.verifiedAt desc, r.id"),
        @NamedQuery(name = "ensync.accessRequest.deleteUnverifiedBefore",
                query = "delete from AccessRequestEntity r where r.status = io.ensync.keycloak.access.AccessRequestStatus.UNVERIFIED"
                        + " and r.createdAt < :before"),
        @NamedQuery(name = "ensync.accessRequest.deleteByIntegration",
                query = "delete from AccessRequestEntity r where r.integrationId = :integrationId"),
        @NamedQuery(name = "ensync.accessRequest.deleteByRealm",
                query = "delete from AccessRequestEntity r where r.realmId = :realmId"),
})
public class AccessRequestEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "INTEGRATION_ID", length = 36, nullable = false)
    private String integrationId;

    @Column(name = "APP_NAME", length = 100, nullable = false)
    private String appName;

    @Column(name = "APP_DESCRIPTION", length = 1000)
    private String appDescription;

    @Column(name = "CONTACT_EMAIL", length = 254, nullable = false)
    private String contactEmail;

    /** The answers to the integration's own join fields, a JSON object of strings (null when it asks none). */
    @Column(name = "FIELDS", length = 4096)
    private String fields;

    /** The language the requester used on the join page: every mail to the contact is written in it. */
    @Column(name = "LOCALE", length = 35, nullable = false)
    private String locale;

    @Enumerated(EnumType.STRING)
    @Column(name = "STATUS", length = 16, nullable = false)
    private AccessRequestStatus status;

    /** SHA-256 of the last verification token mailed; kept after use, so that a second click is told "already confirmed". */
    @Column(name = "TOKEN_HASH", length = 64)
    private String tokenHash;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "MAILED_AT", nullable = false)
    private long mailedAt;

    @Column(name = "VERIFIED_AT")
    private Long verifiedAt;

    @Column(name = "DECIDED_AT")
    private Long decidedAt;

    @Column(name = "DECIDED_BY", length = 255)
    private String decidedBy;

    @Column(name = "REASON", length = 500)
    private String reason;

    @Column(name = "PARTNER_ID", length = 36)
    private String partnerId;

    protected AccessRequestEntity() {
    }

    AccessRequestEntity(String id, String realmId, String integrationId, long createdAt) {
        this.id = id;
        this.realmId = realmId;
        this.integrationId = integrationId;
        this.createdAt = createdAt;
        this.status = AccessRequestStatus.UNVERIFIED;
    }

    public String getId() { return id; }
    public String getRealmId() { return realmId; }
    public String getIntegrationId() { return integrationId; }
    public String getAppName() { return appName; }
    void setAppName(String appName) { this.appName = appName; }
    public String getAppDescription() { return appDescription; }
    void setAppDescription(String appDescription) { this.appDescription = appDescription; }
    public String getContactEmail() { return contactEmail; }
    void setContactEmail(String contactEmail) { this.contactEmail = contactEmail; }
    public String getFields() { return fields; }
    void setFields(String fields) { this.fields = fields; }
    String getLocale() { return locale; }
    void setLocale(String locale) { this.locale = locale; }
    public AccessRequestStatus getStatus() { return status; }
    void setStatus(AccessRequestStatus status) { this.status = status; }
    String getTokenHash() { return tokenHash; }
    void setTokenHash(String tokenHash) { this.tokenHash = tokenHash; }
    public long getCreatedAt() { return createdAt; }
    long getMailedAt() { return mailedAt; }
    void setMailedAt(long mailedAt) { this.mailedAt = mailedAt; }
    public Long getVerifiedAt() { return verifiedAt; }
    void setVerifiedAt(Long verifiedAt) { this.verifiedAt = verifiedAt; }
    public Long getDecidedAt() { return decidedAt; }
    public String getDecidedBy() { return decidedBy; }
    public String getReason() { return reason; }
    public String getPartnerId() { return partnerId; }

    void decide(AccessRequestStatus status, long at, String by, String reason, String partnerId) {
        this.status = status;
        this.decidedAt = at;
        this.decidedBy = by;
        this.reason = reason;
        this.partnerId = partnerId;
    }
}
