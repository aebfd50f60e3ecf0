package io.ensync.keycloak.common;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.List;

/**
 * The frame of the start-up upgrades: the realms a realm attribute does not yet mark with the upgrade's revision, work
 * in one realm per transaction (small batches, so a large realm never holds one long transaction), and the mark at
 * the end. An upgrade that stops half-way runs again at the next start, so its steps are idempotent.
 */
public final class RealmUpgrade {

    private RealmUpgrade() {
    }

    /** Work in a realm, in a transaction of its own, with the realm set as the session's. */
    @FunctionalInterface
    public interface InRealm<T> {
        T run(KeycloakSession session, RealmModel realm);
    }

    /** The ids of the realms whose {@code attribute} is not {@code revision}. */
    public static List<String> pending(KeycloakSessionFactory factory, String attribute, String revision) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, session ->
                session.realms().getRealmsStream().filter(realm -> !revision.equals(realm.getAttribute(attribute)))
                        .map(RealmModel::getId).toList());
    }

    public static <T> T inRealm(KeycloakSessionFactory factory, String realmId, InRealm<T> work) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
            RealmModel realm = session.realms().getRealm(realmId);
            session.getContext().setRealm(realm);
            return work.run(session, realm);
        });
    }

    /** Records that the realm has the upgrade: the last step. */
    public static void done(KeycloakSessionFactory factory, String realmId, String attribute, String revision) {
        inRealm(factory, realmId, (session, realm) -> {
            realm.setAttribute(attribute, revision);
            return null;
        });
    }
}
