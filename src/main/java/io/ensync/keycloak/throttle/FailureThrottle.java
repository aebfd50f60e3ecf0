package io.ensync.keycloak.throttle;

import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Secrets;
import io.ensync.keycloak.common.Times;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Slows guessing of Integration Keys and link ids: after {@value #MAX_FAILURES} well-formed but unknown values from
 * one address within a minute, that address gets {@code 429} with {@code Retry-After} for a minute, on every node
 * (the count is in the database). A blocked address is refused before any look-up of what it presents — a correct
 * value included — and its refusals write nothing. The address is Keycloak's view of the client: behind a proxy,
 * only {@code --proxy-headers} together with {@code --proxy-trusted-addresses} keeps a caller from choosing its own.
 */
public final class FailureThrottle {

    public static final int MAX_FAILURES = 10;
    static final long WINDOW_MILLIS = 60_000;
    static final long BLOCK_MILLIS = 60_000;

    public enum Kind { INTEGRATION_KEY, LINK }

    private FailureThrottle() {
    }

    /** Refuses a blocked address with 429 before anything it presents is looked up; reads one row, writes nothing. */
    public static void refuseIfBlocked(KeycloakSession session, RealmModel realm, Kind kind) {
        FailedAttemptEntity attempt = Jpa.em(session).find(FailedAttemptEntity.class, id(session, realm, kind));
        long now = Times.now();
        if (attempt != null && attempt.getBlockedUntil() > now) {
            throw blocked(attempt.getBlockedUntil(), now);
        }
    }

    private static String id(KeycloakSession session, RealmModel realm, Kind kind) {
        return Secrets.hash(realm.getId() + ":" + kind + ":" + session.getContext().getConnection().getRemoteAddr());
    }

    private static ApiException blocked(long blockedUntil, long now) {
        long seconds = Math.max(1, (blockedUntil - now + 999) / 1000);
        return ApiException.tooManyAttempts(
                "Too many failed attempts from this address; retry after " + seconds + " seconds.", seconds);
    }

    /**
     * Counts a failed guess and answers what to throw: the failure itself, or a 429 once the address is blocked.
     * The count is written in a transaction of its own, because the request's own is rolled back with its error.
     */
    public static ApiException failed(KeycloakSession session, RealmModel realm, Kind kind, ApiException failure) {
        String id = id(session, realm, kind);
        String realmId = realm.getId();
        Long blockedUntil;
        try {
            blockedUntil = KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(),
                    s -> count(Jpa.em(s), id, realmId, Times.now()));
        } catch (PersistenceException concurrentFirstFailure) {
            // Two first failures raced to insert the row: the other one counted.
            return failure;
        }
        if (blockedUntil == null) {
            return failure;
        }
        return blocked(blockedUntil, Times.now());
    }

    /** Answers the end of the block when the address is (now) blocked, else null. */
    private static Long count(EntityManager em, String id, String realmId, long now) {
        FailedAttemptEntity attempt = em.find(FailedAttemptEntity.class, id);
        if (attempt == null) {
            attempt = new FailedAttemptEntity(id, realmId, now);
            em.persist(attempt);
        }
        return count(attempt, now);
    }

    /** Counts one failure of a (managed) attempt at {@code now}: the end of the block when blocked, else null. */
    static Long count(FailedAttemptEntity attempt, long now) {
        if (attempt.getBlockedUntil() > now) {
            return attempt.getBlockedUntil();
        }
        if (now - attempt.getWindowStart() > WINDOW_MILLIS) {
            attempt.restartWindow(now);
        }
        attempt.fail();
        if (attempt.getFailures() > MAX_FAILURES) {
            attempt.blockUntil(now + BLOCK_MILLIS);
            return attempt.getBlockedUntil();
        }
        return null;
    }
}
