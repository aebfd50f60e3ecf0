package io.ensync.keycloak.partner;

import io.ensync.keycloak.integration.IntegrationEntity;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import java.util.ArrayList;
import java.util.List;

/** A partner (integrator) onboarded through an integration. */
@Entity
@Table(name = "ENSYNC_PARTNER")
@NamedQueries({
        @NamedQuery(name = "ensync.partner.byIntegration",
                query = "select p from PartnerEntity p where p.integration.id = :integrationId order by p.createdAt desc, p.id"),
        @NamedQuery(name = "ensync.partner.idsByIntegration",
                query = "select p.id from PartnerEntity p where p.integration.id = :integrationId"),
        @NamedQuery(name = "ensync.partner.deleteByRealm",
                query = "delete from PartnerEntity p where p.realmId = :realmId"),
})
public class PartnerEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "INTEGRATION_ID")
    private IntegrationEntity integration;

    @Column(name = "APP_NAME", length = 100)
    private String appName;

    @Column(name = "APP_DESCRIPTION", length = 1000)
    private String appDescription;

    /** Validated metadata object as JSON. */
    @Column(name = "METADATA", length = 8192)
    private String metadata;

    @Enumerated(EnumType.STRING)
    @Column(name = "STATUS", length = 16, nullable = false)
    private PartnerStatus status;

    /** The furthest environment the partner is promoted to; its clients up to this one are enabled. */
    @Column(name = "STAGE", length = 8, nullable = false)
    private String stage;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "UPDATED_AT", nullable = false)
    private long updatedAt;

    @Column(name = "ONBOARDED_AT")
    private Long onboardedAt;

    @OneToMany(mappedBy = "partner", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("environment")
    private List<PartnerClientEntity> clients = new ArrayList<>();

    protected PartnerEntity() {
    }

    public PartnerEntity(String id, IntegrationEntity integration, long createdAt) {
        this.id = id;
        this.realmId = integration.getRealmId();
        this.integration = integration;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    public String getId() { return id; }
    public String getRealmId() { return realmId; }
    public IntegrationEntity getIntegration() { return integration; }
    public String getAppName() { return appName; }
    public void setAppName(String appName) { this.appName = appName; }
    public String getAppDescription() { return appDescription; }
    public void setAppDescription(String appDescription) { this.appDescription = appDescription; }
    public String getMetadata() { return metadata; }
    public void setMetadata(String metadata) { this.metadata = metadata; }
    public PartnerStatus getStatus() { return status; }
    public void setStatus(PartnerStatus status) { this.status = status; }
    public String getStage() { return stage; }
    public void setStage(String stage) { this.stage = stage; }
    public long getCreatedAt() { return createdAt; }
    public long getUpdatedAt() { return updatedAt; }
    public void setUpdatedAt(long updatedAt) { this.updatedAt = updatedAt; }
    public Long getOnboardedAt() { return onboardedAt; }
    public void setOnboardedAt(Long onboardedAt) { this.onboardedAt = onboardedAt; }
    public List<PartnerClientEntity> getClients() { return clients; }
}
