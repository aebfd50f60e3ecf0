package io.ensync.keycloak.spi;

import io.ensync.keycloak.access.AccessRequestService;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.partner.PartnerService;
import org.keycloak.models.KeycloakSession;
import org.keycloak.timer.ScheduledTask;

/**
 * Deletes what has outlived its use: idempotency records after their 24 h window, access requests left unverified for 24 h, portal sessions once idle or past their end, and links a week after they
 * expired (until then a late click still gets the precise "expired" answer). Bulk deletes by time, so it is
 * harmless when every node of a cluster runs it.
 */
class ExpiredDataCleanup implements ScheduledTask {

    static final long INTERVAL_MILLIS = 15 * 60 * 1000L;
    private static final long LINK_RETENTION_MILLIS = 7 * 24 * 3600 * 1000L;
    /** Delivered and failed webhook messages stay in the delivery log (and can be replayed) for 30 days. */
    private static final long WEBHOOK_LOG_RETENTION_MILLIS = 30 * 24 * 3600 * 1000L;

    @Override
    public void run(KeycloakSession session) {
        long now = Times.now();
        Jpa.em(session).createNamedQuery("ensync.idempotency.deleteOlderThan")
                .setParameter("before", now - PartnerService.IDEMPOTENCY_WINDOW_MILLIS).executeUpdate();
        Jpa.em(session).createNamedQuery("ensync.attempt.deleteOlderThan").setParameter("before", now - 3600_000L).executeUpdate();
        Jpa.em(session).createNamedQuery("ensync.link.deleteExpiredBefore")
                .setParameter("before", now - LINK_RETENTION_MILLIS).executeUpdate();
        Jpa.em(session).createNamedQuery("ensync.webhookMessage.deleteFinishedBefore")
                .setParameter("before", now - WEBHOOK_LOG_RETENTION_MILLIS).executeUpdate();
        Jpa.em(session).createNamedQuery("ensync.accessRequest.deleteUnverifiedBefore")
                .setParameter("before", now - AccessRequestService.VERIFICATION_TTL_MILLIS).executeUpdate();
        Jpa.em(session).createNamedQuery("ensync.portalSession.deleteExpired").setParameter("now", now)
                .setParameter("idleBefore", now - io.ensync.keycloak.portal.PortalSessions.IDLE_MILLIS).executeUpdate();
    }

    @Override
    public String getTaskName() {
        return "ensync-expired-data-cleanup";
    }
}
