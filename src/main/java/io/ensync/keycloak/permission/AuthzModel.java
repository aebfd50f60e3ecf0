package io.ensync.keycloak.permission;

import io.ensync.keycloak.common.Environment;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.model.Policy;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.model.ResourceServer;
import org.keycloak.authorization.model.Scope;
import org.keycloak.authorization.store.StoreFactory;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionTask;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.authorization.DecisionStrategy;
import org.keycloak.representations.idm.authorization.PolicyEnforcementMode;
import org.keycloak.representations.idm.authorization.ScopePermissionRepresentation;
import org.keycloak.services.managers.ClientManager;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The Keycloak Authorization Services mirror of the approved grants (SPEC §8): per environment a resource server
 * client {@code ensync-broker-{env}}; per topic pattern a resource of type {@code urn:ensync:topic} with the scopes
 * {@code send} and {@code receive}; and two scope permissions for all of them, {@code ensync-send} and
 * {@code ensync-receive}, each decided by a policy of the extension's type ({@link TopicGrantPolicy}) that grants its
 * scope of a resource when the caller's partner client has that pattern approved. A grant adds no authorization
 * object but its pattern's resource (once): an answer's cost grows with the resources of the server, not with the
 * grants of every partner. The shared objects are made once, each in its own transaction (see {@link #shared}).
 */
public class AuthzModel {

    public static final String RESOURCE_TYPE = "urn:ensync:topic";
    public static final List<String> SCOPES = List.of("send", "receive");

    private final RealmModel realm;
    private final KeycloakSession session;
    private final StoreFactory store;
    /** The authorization tables without Keycloak's cache: what a concurrent request has just committed. */
    private final StoreFactory database;

    public AuthzModel(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.store = session.getProvider(AuthorizationProvider.class).getStoreFactory();
        this.database = session.getProvider(StoreFactory.class);
    }

    public static String brokerClientId(Environment env) {
        return "ensync-broker-" + env.id();
    }

    /** Makes sure the authorization objects that answer for an approved grant exist. */
    public void grant(GrantEntity grant) {
        ResourceServer server = resourceServer(Environment.parse("environment", grant.getEnvironment()));
        resource(server, grant.getTopic());
    }

    /**
     * A grant that ends needs no change of the authorization objects (the policy reads the approved set); a grant
     * approved under the earlier per-grant model still has its own permission, removed here.
     */
    public void revoke(GrantEntity grant) {
        if (grant.getPermissionId() == null) {
            return;
        }
        ResourceServer server = existingResourceServer(Environment.parse("environment", grant.getEnvironment()));
        if (server != null && store.getPolicyStore().findById(server, grant.getPermissionId()) != null) {
            store.getPolicyStore().delete(grant.getPermissionId());
        }
        grant.setPermissionId(null);
    }

    /** The resource server of an environment, if it was made. */
    ResourceServer existingResourceServer(Environment env) {
        ClientModel broker = realm.getClientByClientId(brokerClientId(env));
        return broker == null ? null : store.getResourceServerStore().findByClient(broker);
    }

    private ResourceServer resourceServer(Environment env) {
        String brokerClientId = brokerClientId(env);
        return shared(stores -> {
            ClientModel broker = realm.getClientByClientId(brokerClientId);
            return broker == null ? null : stores.getResourceServerStore().findByClient(broker);
        }, job -> {
            RealmModel jobRealm = job.getContext().getRealm();
            StoreFactory jobStore = job.getProvider(AuthorizationProvider.class).getStoreFactory();
            ClientModel broker = jobRealm.getClientByClientId(brokerClientId);
            if (broker == null) {
                broker = ClientManager.createClient(job, jobRealm, brokerRepresentation(env));
            }
            ResourceServer server = jobStore.getResourceServerStore().findByClient(broker);
            if (server == null) {
                server = jobStore.getResourceServerStore().create(broker);
                server.setPolicyEnforcementMode(PolicyEnforcementMode.ENFORCING);
                server.setDecisionStrategy(DecisionStrategy.AFFIRMATIVE);
                for (String scope : SCOPES) {
                    jobStore.getScopeStore().create(server, scope);
                }
            }
            createTopicPermissions(jobStore, server, env);
        });
    }

    /**
     * Per scope, a policy of the extension's type and a scope permission over it (no resource named: a scope
     * permission without resources applies to every resource with that scope). Part of making the resource server;
     * also run by {@link PermissionModelUpgrade} on servers made before.
     */
    static void createTopicPermissions(StoreFactory stores, ResourceServer server, Environment env) {
        for (String scope : SCOPES) {
            Policy policy = stores.getPolicyStore().findByName(server, TopicGrantPolicy.name(scope));
            if (policy == null) {
                policy = stores.getPolicyStore().create(server, TopicGrantPolicy.representation(env, scope));
            }
            String name = "ensync-" + scope;
            if (stores.getPolicyStore().findByName(server, name) == null) {
                ScopePermissionRepresentation permission = new ScopePermissionRepresentation();
                permission.setName(name);
                permission.setDescription("EnSync: '" + scope + "' on a topic resource for partner clients with that topic approved");
                permission.setDecisionStrategy(DecisionStrategy.AFFIRMATIVE);
                permission.addScope(stores.getScopeStore().findByName(server, scope).getId());
                permission.addPolicy(policy.getId());
                stores.getPolicyStore().create(server, permission);
            }
        }
    }

    private static ClientRepresentation brokerRepresentation(Environment env) {
        ClientRepresentation rep = new ClientRepresentation();
        rep.setClientId(brokerClientId(env));
        rep.setName("EnSync broker (" + env.id() + ")");
        rep.setDescription("Resource server of EnSync topic permissions in " + env.id()
                + ". Managed by the EnSync extension: grants are kept in step by it.");
        rep.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        rep.setPublicClient(false);
        rep.setBearerOnly(false);
        rep.setStandardFlowEnabled(false);
        rep.setImplicitFlowEnabled(false);
        rep.setDirectAccessGrantsEnabled(false);
        rep.setServiceAccountsEnabled(false);
        rep.setFullScopeAllowed(false);
        rep.setRedirectUris(List.of());
        return rep;
    }

    private Resource resource(ResourceServer server, String pattern) {
        String serverId = server.getId();
        return shared(stores -> stores.getResourceStore().findByName(server, pattern), job -> {
            StoreFactory jobStore = job.getProvider(AuthorizationProvider.class).getStoreFactory();
            ResourceServer jobServer = jobStore.getResourceServerStore().findById(serverId);
            if (jobStore.getResourceStore().findByName(jobServer, pattern) == null) {
                Resource resource = jobStore.getResourceStore().create(jobServer, pattern, jobServer.getClientId());
                resource.setType(RESOURCE_TYPE);
                Set<Scope> scopes = new HashSet<>();
                for (String scope : SCOPES) {
                    scopes.add(jobStore.getScopeStore().findByName(jobServer, scope));
                }
                resource.updateScopes(scopes);
            }
        });
    }

    /**
     * An authorization object that concurrent requests share (the broker client with its resource server and topic
     * permissions, a topic's resource), found or made. Each is made in a transaction of its own: two requests
     * racing to make it would otherwise fail one transaction on the unique name. The loser's attempt fails, and both
     * then read the winner's object from the database (Keycloak's cache may not have heard of it yet); only its id is
     * used from there. An object made for a grant whose transaction later rolls back stays, unused.
     */
    private <T> T shared(Function<StoreFactory, T> find, KeycloakSessionTask make) {
        T found = find.apply(store);
        if (found != null) {
            return found;
        }
        RuntimeException failure = null;
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), session.getContext(), make);
        } catch (RuntimeException e) {
            failure = e;
        }
        found = find.apply(database);
        if (found != null) {
            return found;
        }
        throw failure != null ? failure : new IllegalStateException("An authorization object made in its own transaction cannot be read back");
    }
}
