package io.ensync.keycloak.portal;

import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.audit.Audit;
import io.ensync.keycloak.audit.AuditResource;
import io.ensync.keycloak.common.Hmac;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Secrets;
import io.ensync.keycloak.common.Times;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.core.Cookie;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.Map;

/**
 * Portal sessions and the cookies that carry them. The session id (256 random bits) is only in the cookie; the
 * database keeps its hash. CSRF tokens are derived from the cookie value with HMAC, so they need no storage and
 * a token of one session never fits another.
 */
public class PortalSessions {

    public static final String SESSION_COOKIE = "ENSYNC_PORTAL";
    /** Before a session exists: ties the link page's "start" form to the browser that loaded it (login CSRF). */
    public static final String START_COOKIE = "ENSYNC_PORTAL_START";
    public static final long IDLE_MILLIS = 30 * 60 * 1000L;
    public static final long ABSOLUTE_MILLIS = 8 * 3600 * 1000L;
    /** Last-seen is written at most this often, to keep a write off every page view. */
    private static final long TOUCH_INTERVAL_MILLIS = 60 * 1000L;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EntityManager em;

    public PortalSessions(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.em = Jpa.em(session);
    }

    /** A session of this request, with the cookie value that proves it (for the CSRF token). */
    public record Current(PortalSessionEntity entity, String secret) {
        public String csrfToken() {
            return Hmac.sign(secret, "ensync-portal-csrf", "");
        }

        /** Constant-time: a timing difference must not reveal how much of a guess was right. */
        public boolean csrfMatches(String presented) {
            return Hmac.matches(csrfToken(), presented);
        }
    }

    public Current open(String partnerId) {
        String secret = Secrets.newSecret("");
        long now = Times.now();
        PortalSessionEntity entity = new PortalSessionEntity(KeycloakModelUtils.generateId(), realm.getId(), partnerId,
                Secrets.hash(secret), now, now + ABSOLUTE_MILLIS);
        em.persist(entity);
        new Audit(session, realm).record(new Actor.Partner(partnerId, null), AuditResource.ENSYNC_PARTNER, OperationType.ACTION,
                Map.of("action", "portal_session_start"), "partners", partnerId, "portal", "sessions", entity.getId());
        return new Current(entity, secret);
    }

    /** The request's live session, or null. A session past its idle or absolute end is deleted on sight. */
    public Current current() {
        String secret = cookie(SESSION_COOKIE);
        if (!Secrets.looksLike("", secret)) {
            return null;
        }
        PortalSessionEntity entity = em.createNamedQuery("ensync.portalSession.byHash", PortalSessionEntity.class)
                .setParameter("hash", Secrets.hash(secret)).setParameter("realmId", realm.getId())
                .getResultStream().findFirst().orElse(null);
        if (entity == null) {
            return null;
        }
        long now = Times.now();
        if (entity.getExpiresAt() <= now || entity.getLastSeenAt() + IDLE_MILLIS <= now) {
            em.remove(entity);
            return null;
        }
        if (now - entity.getLastSeenAt() >= TOUCH_INTERVAL_MILLIS) {
            entity.setLastSeenAt(now);
        }
        return new Current(entity, secret);
    }

    public void end(Current current) {
        String partnerId = current.entity().getPartnerId();
        new Audit(session, realm).record(new Actor.Partner(partnerId, null), AuditResource.ENSYNC_PARTNER, OperationType.ACTION,
                Map.of("action", "portal_session_end"), "partners", partnerId, "portal", "sessions", current.entity().getId());
        em.remove(current.entity());
    }

    /** The start cookie's value if the browser has a well-formed one, else a fresh one (to be set). */
    public String startSecret() {
        String existing = cookie(START_COOKIE);
        return Secrets.looksLike("", existing) ? existing : Secrets.newSecret("");
    }

    public static String startToken(String startSecret) {
        return Hmac.sign(startSecret, "ensync-portal-start", "");
    }

    /** Whether the start form's token belongs to the start cookie this browser sent. */
    public boolean startTokenMatches(String presented) {
        String secret = cookie(START_COOKIE);
        return Secrets.looksLike("", secret) && Hmac.matches(startToken(secret), presented);
    }

    private String cookie(String name) {
        Cookie cookie = session.getContext().getRequestHeaders().getCookies().get(name);
        return cookie == null ? null : cookie.getValue();
    }

}
