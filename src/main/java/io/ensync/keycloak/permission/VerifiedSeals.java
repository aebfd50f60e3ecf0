package io.ensync.keycloak.permission;

import io.ensync.keycloak.common.Hmac;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The sealed claims this node has verified, so that a token pays neither for the realm-key look-up, the HMAC nor the
 * JSON parse. An entry answers only for the exact stored value it verified (a changed attribute is verified again),
 * and for at most a minute, so that a rotated or disabled realm key takes effect without a restart. Nothing here is
 * a source of truth: a miss verifies the value on the client, which Keycloak's client cache keeps the same on every
 * node.
 */
final class VerifiedSeals {

    private static final long REVERIFY_AFTER_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Far above the partner clients of any realm this node serves; reaching it only costs the verifications again. */
    private static final int MAX_ENTRIES = 200_000;

    private record Verified(String stored, SealedClaim claim, long verifiedAt) {
    }

    private static final ConcurrentMap<String, Verified> BY_CLIENT = new ConcurrentHashMap<>();

    private VerifiedSeals() {
    }

    /** The claim the client's stored value holds, or null when it is absent or does not verify. */
    static SealedClaim open(KeycloakSession session, RealmModel realm, ClientModel client) {
        String stored = client.getAttribute(SealedClaim.ATTR);
        if (stored == null) {
            return null;
        }
        long now = System.nanoTime();
        Verified verified = BY_CLIENT.get(client.getId());
        if (verified != null && verified.stored().equals(stored) && now - verified.verifiedAt() < REVERIFY_AFTER_NANOS) {
            return verified.claim();
        }
        SealedClaim claim = SealedClaim.open(Hmac.realmKey(session, realm), client.getId(), stored);
        if (claim == null) {
            BY_CLIENT.remove(client.getId());
            return null;
        }
        if (BY_CLIENT.size() >= MAX_ENTRIES) {
            BY_CLIENT.clear();
        }
        BY_CLIENT.put(client.getId(), new Verified(stored, claim, now));
        return claim;
    }
}
