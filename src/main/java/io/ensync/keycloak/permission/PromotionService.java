package io.ensync.keycloak.permission;

import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.audit.Audit;
import io.ensync.keycloak.audit.AuditResource;
import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.Checks;
import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.Ids;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Paging;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.partner.PartnerClients;
import io.ensync.keycloak.partner.PartnerEntity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.ArrayList;
import java.util.List;

/**
 * Promotion dev → stage → prod: the partner asks, an admin decides. Approval moves the partner's stage, opens the
 * next environment's client and copies the approved grants of the previous environment — nothing unapproved.
 */
public class PromotionService {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EntityManager em;
    private final Audit audit;

    public PromotionService(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.em = Jpa.em(session);
        this.audit = new Audit(session, realm);
    }

    /** Asks to promote from {@code from} to the integration's next environment. */
    public PromotionView request(PartnerEntity partner, Environment from, Actor actor) {
        List<Environment> order = new ArrayList<>(partner.getIntegration().getEnvironments());
        int index = order.indexOf(from);
        if (index < 0 || index == order.size() - 1) {
            throw ApiException.conflict("no_next_environment", "There is no environment after " + from.id() + " to promote to.");
        }
        Environment to = order.get(index + 1);
        Environment stage = Environment.parse("stage", partner.getStage());
        if (stage.compareTo(to) >= 0) {
            throw ApiException.conflict("already_promoted", "The partner is already promoted to " + to.id() + ".");
        }
        if (!em.createNamedQuery("ensync.promotion.pendingOfPartner", PromotionEntity.class)
                .setParameter("partnerId", partner.getId()).getResultList().isEmpty()) {
            throw ApiException.conflict("promotion_pending", "A promotion request of this partner is already waiting.");
        }
        PromotionEntity promotion = new PromotionEntity(KeycloakModelUtils.generateId(), realm.getId(), partner.getId(),
                from.id(), to.id(), Times.now());
        em.persist(promotion);
        audit.record(actor, AuditResource.ENSYNC_PROMOTION, OperationType.CREATE, PromotionView.of(promotion), path(promotion));
        return PromotionView.of(promotion);
    }

    public List<PromotionView> list(String status, String partnerId, Paging paging) {
        partnerId = Ids.optionalFilter("partner", partnerId);
        StringBuilder jpql = new StringBuilder("select p from PromotionEntity p where p.realmId = :realmId");
        if (status != null) {
            jpql.append(" and p.status = :status");
        }
        if (partnerId != null) {
            jpql.append(" and p.partnerId = :partnerId");
        }
        TypedQuery<PromotionEntity> query = em.createQuery(jpql.append(" order by p.requestedAt desc, p.id").toString(), PromotionEntity.class)
                .setParameter("realmId", realm.getId());
        if (status != null) {
            query.setParameter("status", GrantStatus.parse("status", status).name());
        }
        if (partnerId != null) {
            query.setParameter("partnerId", partnerId);
        }
        return query.setFirstResult(paging.first()).setMaxResults(paging.max()).getResultStream().map(PromotionView::of).toList();
    }

    public PromotionView approve(String id, Actor actor) {
        PromotionEntity promotion = pending(id);
        PartnerEntity partner = em.find(PartnerEntity.class, promotion.getPartnerId());
        Environment to = Environment.parse("to", promotion.getToEnvironment());
        partner.setStage(to.id());
        partner.setUpdatedAt(Times.now());
        PartnerClients.applyEnabled(realm, partner, partner.getStatus() == io.ensync.keycloak.partner.PartnerStatus.SUSPENDED);
        new GrantService(session, realm).copyApproved(partner, Environment.parse("from", promotion.getFromEnvironment()), to, actor);
        promotion.decide(GrantStatus.APPROVED, Times.now(), actor.reference(), null);
        audit.record(actor, AuditResource.ENSYNC_PROMOTION, OperationType.ACTION, PromotionView.of(promotion), path(promotion));
        return PromotionView.of(promotion);
    }

    public PromotionView deny(String id, String reason, Actor actor) {
        PromotionEntity promotion = pending(id);
        promotion.decide(GrantStatus.DENIED, Times.now(), actor.reference(), Checks.optionalMultiline("reason", reason, 500));
        audit.record(actor, AuditResource.ENSYNC_PROMOTION, OperationType.ACTION, PromotionView.of(promotion), path(promotion));
        return PromotionView.of(promotion);
    }

    private PromotionEntity pending(String id) {
        PromotionEntity promotion = Ids.isId(id) ? em.find(PromotionEntity.class, id) : null;
        if (promotion == null || !promotion.getRealmId().equals(realm.getId())) {
            throw ApiException.notFound("Promotion");
        }
        if (promotion.getStatus() != GrantStatus.PENDING) {
            throw ApiException.conflict("promotion_not_pending", "This promotion is " + promotion.getStatus().id() + ", not pending.");
        }
        return promotion;
    }

    private static String[] path(PromotionEntity promotion) {
        // Recorded in the environment it is asked from: the caller that may ask is that environment's token.
        return new String[] {"partners", promotion.getPartnerId(), "environments", promotion.getFromEnvironment(),
                "promotions", promotion.getId()};
    }
}
