package io.ensync.keycloak.link;

import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.audit.Audit;
import io.ensync.keycloak.audit.AuditResource;
import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.ErrorCode;
import io.ensync.keycloak.common.Hmac;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Secrets;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.metrics.EnsyncMetrics;
import io.ensync.keycloak.throttle.FailureThrottle;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import javax.crypto.SecretKey;
import java.util.Map;

/**
 * One-time links: issued with 256 random bits, stored as a hash, consumed at most once by a conditional update that
 * the database serialises — so two redemptions racing on any number of cluster nodes see exactly one winner.
 */
public class LinkService {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EntityManager em;

    public LinkService(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.em = Jpa.em(session);
    }

    /** A link with its id in plain text: only for the one answer that hands it out. */
    public record IssuedLink(LinkEntity entity, String linkId, String url) {
    }

    /**
     * A new partner's first link. With a {@code replayKey} the id is derived from it with the realm's HMAC key instead
     * of drawn at random, so an idempotent replay of the creating request can answer the same URL without the id being
     * stored.
     */
    public IssuedLink issueFirst(String partnerId, LinkPurpose purpose, int ttlSeconds, String replayKey, Actor actor) {
        String linkId = replayKey == null ? Secrets.newSecret("") : derive(replayKey);
        long now = Times.now();
        LinkEntity entity = new LinkEntity(KeycloakModelUtils.generateId(), realm.getId(), partnerId,
                Secrets.hash(linkId), purpose, now, now + ttlSeconds * 1000L);
        em.persist(entity);
        new Audit(session, realm).record(actor, AuditResource.ENSYNC_LINK, OperationType.CREATE,
                Map.of("purpose", purpose.name().toLowerCase(), "expiresAt", Times.iso(entity.getExpiresAt())),
                "partners", partnerId, "links", entity.getId());
        return new IssuedLink(entity, linkId, url(linkId));
    }

    /** A further link of a partner: its earlier unused links stop working. */
    public IssuedLink issue(String partnerId, LinkPurpose purpose, int ttlSeconds, Actor actor) {
        em.createNamedQuery("ensync.link.expireUnusedOfPartner")
                .setParameter("partnerId", partnerId).setParameter("now", Times.now()).executeUpdate();
        return issueFirst(partnerId, purpose, ttlSeconds, null, actor);
    }

    /** The URL an idempotent replay answers, if the link it derives is still the one stored. */
    public String replayUrl(String replayKey) {
        String linkId = derive(replayKey);
        boolean stored = em.createNamedQuery("ensync.link.byHash", LinkEntity.class)
                .setParameter("hash", Secrets.hash(linkId)).setParameter("realmId", realm.getId())
                .getResultStream().findFirst().isPresent();
        return stored ? url(linkId) : null;
    }

    /** Finds a presented link: 404 when unknown (or malformed), 410 when used or expired. Consumes nothing. */
    public LinkEntity find(String linkId) {
        LinkEntity link = lookup(linkId);
        if (link == null) {
            throw FailureThrottle.failed(session, realm, FailureThrottle.Kind.LINK, ApiException.notFound("Link"));
        }
        requireUsable(link);
        return link;
    }

    /** The stored link of a presented id, used or not (the portal frames its "used" page for the link's partner). */
    public LinkEntity lookup(String linkId) {
        FailureThrottle.refuseIfBlocked(session, realm, FailureThrottle.Kind.LINK);
        if (!Secrets.looksLike("", linkId)) {
            return null;
        }
        return em.createNamedQuery("ensync.link.byHash", LinkEntity.class)
                .setParameter("hash", Secrets.hash(linkId)).setParameter("realmId", realm.getId())
                .getResultStream().findFirst().orElse(null);
    }

    /** Marks the link used, or fails with 410 if another request got there first. */
    public void consume(LinkEntity link, Actor actor) {
        int updated;
        try {
            updated = em.createNamedQuery("ensync.link.consume")
                    .setParameter("id", link.getId()).setParameter("now", Times.now()).executeUpdate();
        } catch (PersistenceException e) {
            // A lock wait that timed out: a concurrent redemption holds the link.
            throw used();
        }
        if (updated != 1) {
            em.refresh(link);
            requireUsable(link);
            throw used();
        }
        EnsyncMetrics.linkRedeemed(realm, link.getPurpose().name().toLowerCase());
        new Audit(session, realm).record(actor, AuditResource.ENSYNC_LINK, OperationType.ACTION,
                Map.of("purpose", link.getPurpose().name().toLowerCase(), "action", "redeemed"),
                "partners", link.getPartnerId(), "links", link.getId());
    }

    public void deleteOfPartner(String partnerId) {
        em.createNamedQuery("ensync.link.deleteByPartner").setParameter("partnerId", partnerId).executeUpdate();
    }

    private static void requireUsable(LinkEntity link) {
        if (link.getUsedAt() != null) {
            throw used();
        }
        if (link.getExpiresAt() <= Times.now()) {
            throw ApiException.of(ErrorCode.LINK_EXPIRED, "This link has expired. Ask the integrator for a new one.");
        }
    }

    private static ApiException used() {
        return ApiException.of(ErrorCode.LINK_USED, "This link has already been used. Ask the integrator for a new one.");
    }

    private String url(String linkId) {
        return session.getContext().getUri().getBaseUriBuilder()
                .path("realms").path(realm.getName()).path("ensync").path("portal").path("links").path(linkId)
                .build().toString();
    }

    private String derive(String replayKey) {
        SecretKey key = Hmac.realmKey(session, realm);
        if (key == null) {
            throw ApiException.of(ErrorCode.IDEMPOTENCY_UNAVAILABLE, "Idempotent requests need the realm's HMAC key (hmac-generated-hs512), which is missing.");
        }
        return Hmac.sign(key, "ensync-link", replayKey);
    }
}
