package io.ensync.keycloak.partner;

import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.lifecycle.EventType;
import io.ensync.keycloak.lifecycle.LifecycleEvent;
import org.keycloak.cluster.ClusterProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.ScheduledTask;

import java.util.List;

/**
 * Publishes {@code secret.expiring} once per secret, 7 days before it expires (Keycloak's
 * {@code client.secret.expiration.time} on the partner's client). The client attribute
 * {@code ensync.secret.expiringNotified} keeps the expiry already announced, so a rotation (a new expiry) is announced
 * again. Scheduled cluster-aware (one node at a time), and the marker is written in the same transaction as the event,
 * committed before the next node may scan.
 */
public final class SecretExpiryScan implements ScheduledTask {

    /** How often the scan runs unless the server option {@code secret-expiry-scan-interval-seconds} says otherwise. */
    public static final long DEFAULT_INTERVAL_MILLIS = 15 * 60 * 1000L;
    public static final String TASK_NAME = "ensync-secret-expiry-scan";
    static final String ATTR_NOTIFIED = "ensync.secret.expiringNotified";
    private static final String ATTR_EXPIRATION = "client.secret.expiration.time";
    static final long NOTICE_SECONDS = 7 * 24 * 3600L;

    private final long intervalMillis;

    public SecretExpiryScan(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    @Override
    public void run(KeycloakSession session) {
        // One node at a time in a cluster (Keycloak's cluster-wide "execute if not executed" lock). The lock is released
        // as soon as the callable returns, so the scan commits inside it, in a transaction of its own: committed in the
        // timer's transaction (after the release), another node's scan could start before the markers are written
        // and announce the same secrets again.
        int lockSeconds = (int) Math.max(1, intervalMillis / 1000 / 2);
        session.getProvider(ClusterProvider.class).executeIfNotExecuted(TASK_NAME, lockSeconds, () -> {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), SecretExpiryScan::scan);
            return null;
        });
    }

    static void scan(KeycloakSession session) {
        long nowSeconds = Times.now() / 1000;
        List<PartnerClientEntity> clients = Jpa.em(session).createQuery(
                "select c from PartnerClientEntity c join fetch c.partner p where p.status <> io.ensync.keycloak.partner.PartnerStatus.OFFBOARDED", PartnerClientEntity.class)
                .getResultList();
        for (PartnerClientEntity row : clients) {
            RealmModel realm = session.realms().getRealm(row.getPartner().getRealmId());
            ClientModel client = realm == null ? null : session.clients().getClientById(realm, row.getClientUuid());
            String expiry = client == null ? null : client.getAttribute(ATTR_EXPIRATION);
            if (expiry == null || expiry.isBlank() || expiry.equals(client.getAttribute(ATTR_NOTIFIED))) {
                continue;
            }
            long expires;
            try {
                expires = Long.parseLong(expiry.trim());
            } catch (NumberFormatException e) {
                continue;
            }
            if (expires > nowSeconds && expires - nowSeconds <= NOTICE_SECONDS) {
                client.setAttribute(ATTR_NOTIFIED, expiry);
                LifecycleEvent.publish(new LifecycleEvent.Credentials(session, realm.getId(), EventType.SECRET_EXPIRING,
                        row.getPartner().getId(), row.getEnvironment(), client.getClientId(), Times.iso(expires * 1000), null, null));
            }
        }
    }

    @Override
    public String getTaskName() {
        return TASK_NAME;
    }
}
