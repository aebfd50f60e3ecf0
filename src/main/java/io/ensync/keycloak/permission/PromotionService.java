package io.ensync.keycloak.permission;

import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.audit.Audit;
import io.ensync.keycloak.audit.AuditResource;
import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.Checks;
import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.ErrorCode;
import io.ensync.keycloak.common.Ids;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Paging;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.lifecycle.EventType;
import io.ensync.keycloak.lifecycle.LifecycleEvent;
import io.ensync.keycloak.partner.PartnerClients;
import io.ensync.keycloak.partner.PartnerEntity;
import io.ensync.keycloak.partner.PartnerUsability;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Promotion dev → stage → prod: the partner asks, an admin decides. Approval moves the partner's stage, opens the
 * next environment's client and copies the grants the request recorded (still approved) — nothing unapproved, nothing
 * granted after the request.
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

    /**
     * Asks to promote from {@code from} to the integration's next environment, recording the approved grants of
     * {@code from} as they are now: that list, and nothing else, is what an approval copies.
     */
    public PromotionView request(PartnerEntity partner, Environment from, Actor actor) {
        lock(partner.getId());
        List<Environment> order = new ArrayList<>(partner.getIntegration().getEnvironments());
        int index = order.indexOf(from);
        if (index < 0 || index == order.size() - 1) {
            throw ApiException.of(ErrorCode.NO_NEXT_ENVIRONMENT, "There is no environment after " + from.id() + " to promote to.");
        }
        Environment to = order.get(index + 1);
        Environment stage = Environment.parse("stage", partner.getStage());
        if (stage.compareTo(to) >= 0) {
            throw ApiException.of(ErrorCode.ALREADY_PROMOTED, "The partner is already promoted to " + to.id() + ".");
        }
        if (!pendingOf(partner.getId()).isEmpty()) {
            throw ApiException.of(ErrorCode.PROMOTION_PENDING, "A promotion request of this partner is already waiting.");
        }
        PromotionEntity promotion = new PromotionEntity(KeycloakModelUtils.generateId(), realm.getId(), partner.getId(),
                from.id(), to.id(), Times.now());
        em.persist(promotion);
        List<PromotionGrantEntity> recorded = new ArrayList<>();
        for (GrantEntity grant : em.createNamedQuery("ensync.grant.activeOfPartner", GrantEntity.class)
                .setParameter("partnerId", partner.getId()).getResultList()) {
            if (grant.getStatus() == GrantStatus.APPROVED && grant.getEnvironment().equals(from.id())) {
                PromotionGrantEntity row = new PromotionGrantEntity(KeycloakModelUtils.generateId(), realm.getId(), promotion.getId(), grant);
                em.persist(row);
                recorded.add(row);
            }
        }
        recorded.sort(java.util.Comparator.comparing(PromotionGrantEntity::getTopic).thenComparing(PromotionGrantEntity::getScopes)
                .thenComparing(PromotionGrantEntity::getId));
        PromotionView view = PromotionView.of(promotion, recorded);
        audit.record(actor, AuditResource.ENSYNC_PROMOTION, OperationType.CREATE, view, path(promotion));
        publish(EventType.PROMOTION_REQUESTED, promotion, actor);
        return view;
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
            query.setParameter("status", GrantStatus.parse("status", status));
        }
        if (partnerId != null) {
            query.setParameter("partnerId", partnerId);
        }
        List<PromotionEntity> page = query.setFirstResult(paging.first()).setMaxResults(paging.max()).getResultList();
        Map<String, List<PromotionGrantEntity>> recorded = recorded(page.stream().map(PromotionEntity::getId).toList());
        return page.stream().map(p -> PromotionView.of(p, recorded.getOrDefault(p.getId(), List.of()))).toList();
    }

    public PromotionView get(String id) {
        return view(find(id));
    }

    /**
     * Approves a pending promotion: the partner's stage moves on, the next environment's client opens, and the
     * grants the request recorded are copied — those still approved now; nothing granted after the request.
     */
    public PromotionView approve(String id, Actor actor) {
        PromotionEntity promotion = find(id);
        PartnerEntity partner = lock(promotion.getPartnerId());
        em.refresh(promotion);
        requirePending(promotion);
        PartnerUsability.requireDecidable(partner, "promotion");
        Environment from = Environment.parse("from", promotion.getFromEnvironment());
        Environment to = Environment.parse("to", promotion.getToEnvironment());
        List<PromotionGrantEntity> recorded = recorded(List.of(promotion.getId())).getOrDefault(promotion.getId(), List.of());
        partner.setStage(to.id());
        partner.setUpdatedAt(Times.now());
        PartnerClients.applyEnabled(realm, partner, false);
        new GrantService(session, realm).copyRecorded(partner, recorded, from, to, actor);
        promotion.decide(GrantStatus.APPROVED, Times.now(), actor.reference(), null);
        PromotionView view = PromotionView.of(promotion, recorded);
        audit.record(actor, AuditResource.ENSYNC_PROMOTION, OperationType.ACTION, view, path(promotion));
        publish(EventType.PROMOTION_APPROVED, promotion, actor);
        return view;
    }

    public PromotionView deny(String id, String reason, Actor actor) {
        PromotionEntity promotion = find(id);
        lock(promotion.getPartnerId());
        em.refresh(promotion);
        requirePending(promotion);
        promotion.decide(GrantStatus.DENIED, Times.now(), actor.reference(), Checks.optionalMultiline("reason", reason, 500));
        PromotionView view = view(promotion);
        audit.record(actor, AuditResource.ENSYNC_PROMOTION, OperationType.ACTION, view, path(promotion));
        publish(EventType.PROMOTION_DENIED, promotion, actor);
        return view;
    }

    /**
     * Ends the partner's pending promotion (offboarding, suspension, deletion of the integration): it is revoked
     * with the reason, and deciding it afterwards answers 409. The caller holds the partner's lock or is about to.
     */
    void endPending(PartnerEntity partner, String reason, Actor actor) {
        lock(partner.getId());
        for (PromotionEntity promotion : pendingOf(partner.getId())) {
            promotion.decide(GrantStatus.REVOKED, Times.now(), actor.reference(), reason);
            audit.record(actor, AuditResource.ENSYNC_PROMOTION, OperationType.DELETE, view(promotion), path(promotion));
        }
    }

    private List<PromotionEntity> pendingOf(String partnerId) {
        return em.createNamedQuery("ensync.promotion.pendingOfPartner", PromotionEntity.class)
                .setParameter("partnerId", partnerId).getResultList();
    }

    private PromotionView view(PromotionEntity promotion) {
        return PromotionView.of(promotion, recorded(List.of(promotion.getId())).getOrDefault(promotion.getId(), List.of()));
    }

    private Map<String, List<PromotionGrantEntity>> recorded(List<String> promotionIds) {
        Map<String, List<PromotionGrantEntity>> result = new HashMap<>();
        if (promotionIds.isEmpty()) {
            return result;
        }
        em.createNamedQuery("ensync.promotionGrant.ofPromotions", PromotionGrantEntity.class)
                .setParameter("promotionIds", promotionIds).getResultStream()
                .forEach(g -> result.computeIfAbsent(g.getPromotionId(), k -> new ArrayList<>()).add(g));
        return result;
    }

    /** The partner's row lock (null when the partner is gone): promotion and grant changes of one partner serialize. */
    private PartnerEntity lock(String partnerId) {
        return em.find(PartnerEntity.class, partnerId, LockModeType.PESSIMISTIC_WRITE);
    }

    private PromotionEntity find(String id) {
        PromotionEntity promotion = Ids.isId(id) ? em.find(PromotionEntity.class, id) : null;
        if (promotion == null || !promotion.getRealmId().equals(realm.getId())) {
            throw ApiException.notFound("Promotion");
        }
        return promotion;
    }

    private static void requirePending(PromotionEntity promotion) {
        if (promotion.getStatus() != GrantStatus.PENDING) {
            throw ApiException.of(ErrorCode.PROMOTION_NOT_PENDING, "This promotion is " + promotion.getStatus().id() + ", not pending.");
        }
    }

    private void publish(EventType type, PromotionEntity promotion, Actor actor) {
        LifecycleEvent.publish(new LifecycleEvent.Promotion(session, realm.getId(), type, promotion.getPartnerId(), promotion.getId(),
                promotion.getFromEnvironment(), promotion.getToEnvironment(), actor.reference()));
    }

    private static String[] path(PromotionEntity promotion) {
        // Recorded in the environment it is asked from: the caller that may ask is that environment's token.
        return new String[] {"partners", promotion.getPartnerId(), "environments", promotion.getFromEnvironment(),
                "promotions", promotion.getId()};
    }
}
