package io.ensync.keycloak.permission;

import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.RealmUpgrade;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.model.Policy;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.authorization.store.StoreFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

import java.util.List;

/**
 * Moves a realm from the per-grant permission model of earlier versions (a scope permission {@code ensync-grant-…}
 * per approved grant, a client policy {@code ensync-client-…} per partner client) to {@link AuthzModel}'s: first the
 * two topic permissions are made (from then on they answer, and the old permissions grant nothing they do not), then
 * the old objects are removed in batches. Runs at start-up, once per realm (a realm attribute records it);
 * idempotent, so two nodes starting at once do no harm, and existing installations need no manual step.
 */
public final class PermissionModelUpgrade {

    static final String ATTR_REVISION = "ensync.permissionModel.revision";
    static final String REVISION = "2";
    private static final String OLD_CLIENT_POLICY_PREFIX = "ensync-client-";
    private static final int BATCH = 200;

    private PermissionModelUpgrade() {
    }

    public static void run(KeycloakSessionFactory factory) {
        for (String realmId : RealmUpgrade.pending(factory, ATTR_REVISION, REVISION)) {
            for (Environment env : Environment.values()) {
                upgrade(factory, realmId, env);
            }
            RealmUpgrade.done(factory, realmId, ATTR_REVISION, REVISION);
        }
    }

    private static void upgrade(KeycloakSessionFactory factory, String realmId, Environment env) {
        boolean exists = RealmUpgrade.inRealm(factory, realmId, (session, realm) -> {
            ResourceServer server = new AuthzModel(session, realm).existingResourceServer(env);
            if (server != null) {
                AuthzModel.createTopicPermissions(stores(session), server, env);
            }
            return server != null;
        });
        if (!exists) {
            return;
        }
        // The grants' own permissions, then the partner clients' policies they pointed to.
        while (RealmUpgrade.inRealm(factory, realmId, (session, realm) -> {
            List<GrantEntity> grants = Jpa.em(session).createQuery("select g from GrantEntity g where g.realmId = :realmId"
                            + " and g.environment = :environment and g.permissionId is not null", GrantEntity.class)
                    .setParameter("realmId", realmId).setParameter("environment", env.id()).setMaxResults(BATCH).getResultList();
            AuthzModel authz = new AuthzModel(session, realm);
            grants.forEach(authz::revoke);
            return !grants.isEmpty();
        })) {
            // next batch
        }
        while (RealmUpgrade.inRealm(factory, realmId, (session, realm) -> {
            ResourceServer server = new AuthzModel(session, realm).existingResourceServer(env);
            List<Policy> old = stores(session).getPolicyStore().findByType(server, "client").stream()
                    .filter(policy -> policy.getName().startsWith(OLD_CLIENT_POLICY_PREFIX)).limit(BATCH).toList();
            old.forEach(policy -> stores(session).getPolicyStore().delete(policy.getId()));
            return !old.isEmpty();
        })) {
            // next batch
        }
    }

    private static StoreFactory stores(KeycloakSession session) {
        return session.getProvider(AuthorizationProvider.class).getStoreFactory();
    }
}
