package io.ensync.keycloak.permission;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** A partner's request to move from one environment to the next (dev → stage → prod). */
@Entity
@Table(name = "ENSYNC_PROMOTION")
@NamedQueries({
        @NamedQuery(name = "ensync.promotion.pendingOfPartner",
                query = "select p from PromotionEntity p where p.partnerId = :partnerId and p.status = io.ensync.keycloak.permission.GrantStatus.PENDING"),
        @NamedQuery(name = "ensync.promotion.deleteByRealm",
                query = "delete from PromotionEntity p where p.realmId = :realmId"),
})
public class PromotionEntity extends DecidedEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "PARTNER_ID", length = 36, nullable = false)
    private String partnerId;

    @Column(name = "FROM_ENV", length = 8, nullable = false)
    private String fromEnvironment;

    @Column(name = "TO_ENV", length = 8, nullable = false)
    private String toEnvironment;






    protected PromotionEntity() {
    }

    public PromotionEntity(String id, String realmId, String partnerId, String from, String to, long requestedAt) {
        super(requestedAt);
        this.id = id;
        this.realmId = realmId;
        this.partnerId = partnerId;
        this.fromEnvironment = from;
        this.toEnvironment = to;
    }

    public String getId() { return id; }
    public String getRealmId() { return realmId; }
    public String getPartnerId() { return partnerId; }
    public String getFromEnvironment() { return fromEnvironment; }
    public String getToEnvironment() { return toEnvironment; }

}
