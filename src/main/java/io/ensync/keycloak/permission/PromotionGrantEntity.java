package io.ensync.keycloak.permission;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One grant a promotion request recorded when it was made: the approved grant of the source environment, with its
 * topic and scopes as they were. Approval copies exactly these rows (those whose grant is still approved).
 */
@Entity
@Table(name = "ENSYNC_PROMOTION_GRANT")
@NamedQueries({
        @NamedQuery(name = "ensync.promotionGrant.ofPromotions",
                query = "select g from PromotionGrantEntity g where g.promotionId in :promotionIds order by g.topic, g.scopes, g.id"),
        @NamedQuery(name = "ensync.promotionGrant.deleteByRealm",
                query = "delete from PromotionGrantEntity g where g.realmId = :realmId"),
})
public class PromotionGrantEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "PROMOTION_ID", length = 36, nullable = false)
    private String promotionId;

    @Column(name = "GRANT_ID", length = 36, nullable = false)
    private String grantId;

    @Column(name = "TOPIC", length = 255, nullable = false)
    private String topic;

    @Column(name = "SCOPES", length = 16, nullable = false)
    private String scopes;

    protected PromotionGrantEntity() {
    }

    public PromotionGrantEntity(String id, String realmId, String promotionId, GrantEntity grant) {
        this.id = id;
        this.realmId = realmId;
        this.promotionId = promotionId;
        this.grantId = grant.getId();
        this.topic = grant.getTopic();
        this.scopes = grant.getScopes();
    }

    public String getId() { return id; }
    public String getPromotionId() { return promotionId; }
    public String getGrantId() { return grantId; }
    public String getTopic() { return topic; }
    public String getScopes() { return scopes; }
}
