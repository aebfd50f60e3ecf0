package io.ensync.keycloak.partner;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** The Keycloak client that holds a partner's credentials in one environment. */
@Entity
@Table(name = "ENSYNC_PARTNER_CLIENT")
@NamedQueries({
        @NamedQuery(name = "ensync.partnerClient.byClientUuid",
                query = "select c from PartnerClientEntity c join fetch c.partner where c.clientUuid = :clientUuid"),
        @NamedQuery(name = "ensync.partnerClient.deleteByRealm",
                query = "delete from PartnerClientEntity c where c.realmId = :realmId"),
})
public class PartnerClientEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "PARTNER_ID")
    private PartnerEntity partner;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "ENVIRONMENT", length = 8, nullable = false)
    private String environment;

    /** Keycloak's internal id of the client. */
    @Column(name = "CLIENT_UUID", length = 36, nullable = false, unique = true)
    private String clientUuid;

    /** The OAuth client_id. */
    @Column(name = "CLIENT_ID", length = 255, nullable = false)
    private String clientId;

    protected PartnerClientEntity() {
    }

    public PartnerClientEntity(String id, PartnerEntity partner, String environment, String clientUuid, String clientId) {
        this.id = id;
        this.partner = partner;
        this.realmId = partner.getRealmId();
        this.environment = environment;
        this.clientUuid = clientUuid;
        this.clientId = clientId;
    }

    public String getId() { return id; }
    public PartnerEntity getPartner() { return partner; }
    public String getEnvironment() { return environment; }
    public String getClientUuid() { return clientUuid; }
    public String getClientId() { return clientId; }
}
