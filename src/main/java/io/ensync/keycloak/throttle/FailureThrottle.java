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
 * Slows guessing and flooding. Guesses: after {@value #MAX_FAILURES} well-formed but unknown Integration Keys or
 * link ids from one address within a minute, that address gets {@code 429} with {@code Retry-After} for a minute.
 * Join-page submissions count every attempt, per address and per integration (SPEC §15). The counts are in the
 * database, so every node of a cluster sees them. A blocked subject is refused before any look-up of what it
 * presents — a correct value included — and its refusals write nothing. The address is Keycloak's view of the client:
 * behind a proxy, only {@code --proxy-headers} together with {@code --proxy-trusted-addresses} keeps a caller from
 * choosing its own.
 */
public final class FailureThrottle {

    public static final int MAX_FAILURES = 10;
    static final long WINDOW_MILLIS = 60_000;
    static final long BLOCK_MILLIS = 60_000;

    /** What is counted, with its limit: more than {@code max} within {@code windowMillis} blocks for {@code blockMillis}. */
    public enum Kind {
        INTEGRATION_KEY(MAX_FAILURES, WINDOW_MILLIS, BLOCK_MILLIS),
        LINK(MAX_FAILURES, WINDOW_MILLIS, BLOCK_MILLIS),
        /** Join-page submissions from one address: a handful an hour is a person; more is a script. */
        JOIN_FROM_ADDRESS(10, 3_600_000, 3_600_000),
        /** Join-page submissions to one integration from every address: bounds the mail a join page can cause. */
        JOIN_OF_INTEGRATION(100, 3_600_000, 3_600_000);

        final int max;
        final long windowMillis;
        final long blockMillis;

        Kind(int max, long windowMillis, long blockMillis) {
            this.max = max;
            this.windowMillis = windowMillis;
            this.blockMillis = blockMillis;
        }
    }

    private FailureThrottle() {
    }

    /** Refuses a blocked address with 429 before anything it presents is looked up; reads one row, writes nothing. */
    public static void refuseIfBlocked(KeycloakSession session, RealmModel realm, Kind kind) {
        refuseIfBlocked(session, realm, kind, address(session));
    }

    /** The same for another subject than the caller's address (an integration's join page). */
    public static void refuseIfBlocked(KeycloakSession session, RealmModel realm, Kind kind, String subject) {
        FailedAttemptEntity attempt = Jpa.em(session).find(FailedAttemptEntity.class, id(realm, kind, subject));
        long now = Times.now();
        if (attempt != null && attempt.getBlockedUntil() > now) {
            throw blocked(attempt.getBlockedUntil(), now);
        }
    }

    private static String address(KeycloakSession session) {
        return session.getContext().getConnection().getRemoteAddr();
    }

    private static String id(RealmModel realm, Kind kind, String subject) {
        return Secrets.hash(realm.getId() + ":" + kind + ":" + subject);
    }

    private static ApiException blocked(long blockedUntil, long now) {
        long seconds = Math.max(1, (blockedUntil - now + 999) / 1000);
        return ApiException.tooManyAttempts(
                "Too many attempts from this address; retry after " + seconds + " seconds.", seconds);
    }

    /**
     * Counts a failed guess and answers what to throw: the failure itself, or a 429 once the address is blocked.
     * The count is written in a transaction of its own, because the request's own is rolled back with its error.
     */
    public static ApiException failed(KeycloakSession session, RealmModel realm, Kind kind, ApiException failure) {
        Long blockedUntil = countInOwnTransaction(session, realm, kind, address(session));
        return blockedUntil == null ? failure : blocked(blockedUntil, Times.now());
    }

    /**
     * Counts one attempt of the subject (every one, not only failures) and throws 429 once it is over the limit. The
     * count stays even if the request then fails: a flood of bad submissions is a flood too.
     */
    public static void attempt(KeycloakSession session, RealmModel realm, Kind kind, String subject) {
        Long blockedUntil = countInOwnTransaction(session, realm, kind, subject);
        if (blockedUntil != null) {
            throw blocked(blockedUntil, Times.now());
        }
    }

    /** {@link #attempt} of the caller's address. */
    public static void attempt(KeycloakSession session, RealmModel realm, Kind kind) {
        attempt(session, realm, kind, address(session));
    }

    private static Long countInOwnTransaction(KeycloakSession session, RealmModel realm, Kind kind, String subject) {
        String id = id(realm, kind, subject);
        String realmId = realm.getId();
        try {
            return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(),
                    s -> count(Jpa.em(s), id, realmId, kind, Times.now()));
        } catch (PersistenceException concurrentFirstAttempt) {
            // Two first attempts raced to insert the row: the other one counted.
            return null;
        }
    }

    /** Answers the end of the block when the subject is (now) blocked, else null. */
    private static Long count(EntityManager em, String id, String realmId, Kind kind, long now) {
        FailedAttemptEntity attempt = em.find(FailedAttemptEntity.class, id);
        if (attempt == null) {
            attempt = new FailedAttemptEntity(id, realmId, now);
            em.persist(attempt);
        }
        return count(attempt, kind, now);
    }

    /** Counts one attempt of a (managed) row at {@code now}: the end of the block when blocked, else null. */
    static Long count(FailedAttemptEntity attempt, Kind kind, long now) {
        if (attempt.getBlockedUntil() > now) {
            return attempt.getBlockedUntil();
        }
        if (now - attempt.getWindowStart() > kind.windowMillis) {
            attempt.restartWindow(now);
        }
        attempt.fail();
        if (attempt.getFailures() > kind.max) {
            attempt.blockUntil(now + kind.blockMillis);
            return attempt.getBlockedUntil();
        }
        return null;
    }
}
