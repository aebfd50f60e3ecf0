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
import org.keycloak.representations.idm.authorization.ClientPolicyRepresentation;
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
 * {@code send} and {@code receive}; per partner client a client policy; per approved grant a scope permission over
 * the grant's resource and scopes with that policy. The permission is written in the same transaction as the grant
 * itself; the shared objects it points to are made once, each in its own transaction (see {@link #shared}).
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

    /** Creates the permission for an approved grant and answers its id. */
    public String grant(GrantEntity grant, ClientModel partnerClient) {
        ResourceServer server = resourceServer(Environment.parse("environment", grant.getEnvironment()));
        Resource resource = resource(server, grant.getTopic());
        Policy clientPolicy = clientPolicy(server, partnerClient);
        ScopePermissionRepresentation permission = new ScopePermissionRepresentation();
        permission.setName("ensync-grant-" + grant.getId());
        permission.setDescription("EnSync grant " + grant.getScopes() + " on " + grant.getTopic() + " to " + partnerClient.getClientId());
        permission.setDecisionStrategy(DecisionStrategy.AFFIRMATIVE);
        permission.addResource(resource.getId());
        for (String scope : grant.getScopes().split(",")) {
            permission.addScope(store.getScopeStore().findByName(server, scope).getId());
        }
        permission.addPolicy(clientPolicy.getId());
        return store.getPolicyStore().create(server, permission).getId();
    }

    /** Removes the permission of a grant that is no longer approved. */
    public void revoke(GrantEntity grant) {
        if (grant.getPermissionId() == null) {
            return;
        }
        ClientModel broker = realm.getClientByClientId(brokerClientId(Environment.parse("environment", grant.getEnvironment())));
        ResourceServer server = broker == null ? null : store.getResourceServerStore().findByClient(broker);
        if (server != null && store.getPolicyStore().findById(server, grant.getPermissionId()) != null) {
            store.getPolicyStore().delete(grant.getPermissionId());
        }
        grant.setPermissionId(null);
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
            if (jobStore.getResourceServerStore().findByClient(broker) == null) {
                ResourceServer server = jobStore.getResourceServerStore().create(broker);
                server.setPolicyEnforcementMode(PolicyEnforcementMode.ENFORCING);
                server.setDecisionStrategy(DecisionStrategy.AFFIRMATIVE);
                for (String scope : SCOPES) {
                    jobStore.getScopeStore().create(server, scope);
                }
            }
        });
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

    private Policy clientPolicy(ResourceServer server, ClientModel partnerClient) {
        String name = "ensync-client-" + partnerClient.getClientId();
        String serverId = server.getId();
        String clientUuid = partnerClient.getId();
        String clientId = partnerClient.getClientId();
        return shared(stores -> stores.getPolicyStore().findByName(server, name), job -> {
            StoreFactory jobStore = job.getProvider(AuthorizationProvider.class).getStoreFactory();
            ResourceServer jobServer = jobStore.getResourceServerStore().findById(serverId);
            if (jobStore.getPolicyStore().findByName(jobServer, name) == null) {
                ClientPolicyRepresentation rep = new ClientPolicyRepresentation();
                rep.setName(name);
                rep.setDescription("The partner client " + clientId);
                rep.addClient(clientUuid);
                jobStore.getPolicyStore().create(jobServer, rep);
            }
        });
    }

    /**
     * An authorization object that concurrent requests share (the broker client and its resource server, a topic's
     * resource, a partner client's policy), found or made. Each is made in a transaction of its own: two requests
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
