package io.ensync.keycloak.throttle;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** Failed guesses of one kind (Integration Key, link id) from one address in one realm, in the current window. */
@Entity
@Table(name = "ENSYNC_FAILED_ATTEMPT")
@NamedQueries({
        @NamedQuery(name = "ensync.attempt.deleteByRealm", query = "delete from FailedAttemptEntity a where a.realmId = :realmId"),
        @NamedQuery(name = "ensync.attempt.deleteOlderThan", query = "delete from FailedAttemptEntity a where a.windowStart < :before and a.blockedUntil < :before"),
})
public class FailedAttemptEntity {

    /** SHA-256 of realm, kind and address: the address itself is not kept. */
    @Id
    @Column(name = "ID", length = 64)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "WINDOW_START", nullable = false)
    private long windowStart;

    @Column(name = "FAILURES", nullable = false)
    private int failures;

    @Column(name = "BLOCKED_UNTIL", nullable = false)
    private long blockedUntil;

    protected FailedAttemptEntity() {
    }

    FailedAttemptEntity(String id, String realmId, long now) {
        this.id = id;
        this.realmId = realmId;
        this.windowStart = now;
    }

    long getWindowStart() { return windowStart; }
    int getFailures() { return failures; }
    long getBlockedUntil() { return blockedUntil; }

    void restartWindow(long now) {
        windowStart = now;
        failures = 0;
    }

    void fail() {
        failures++;
    }

    void blockUntil(long until) {
        blockedUntil = until;
    }
}
