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
import org.keycloak.models.RealmModel;
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

/**
 * The Keycloak Authorization Services mirror of the approved grants (SPEC §8): per environment a resource server
 * client {@code ensync-broker-{env}}; per topic pattern a resource of type {@code urn:ensync:topic} with the scopes
 * {@code send} and {@code receive}; per partner client a client policy; per approved grant a scope permission over
 * the grant's resource and scopes with that policy. Written in the same transaction as the grant itself.
 */
public class AuthzModel {

    public static final String RESOURCE_TYPE = "urn:ensync:topic";
    public static final List<String> SCOPES = List.of("send", "receive");

    private final RealmModel realm;
    private final KeycloakSession session;
    private final StoreFactory store;

    public AuthzModel(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.store = session.getProvider(AuthorizationProvider.class).getStoreFactory();
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
        ClientModel broker = realm.getClientByClientId(brokerClientId(env));
        if (broker == null) {
            broker = ClientManager.createClient(session, realm, brokerRepresentation(env));
        }
        ResourceServer server = store.getResourceServerStore().findByClient(broker);
        if (server == null) {
            server = store.getResourceServerStore().create(broker);
            server.setPolicyEnforcementMode(PolicyEnforcementMode.ENFORCING);
            server.setDecisionStrategy(DecisionStrategy.AFFIRMATIVE);
            for (String scope : SCOPES) {
                store.getScopeStore().create(server, scope);
            }
        }
        return server;
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
        Resource resource = store.getResourceStore().findByName(server, pattern);
        if (resource == null) {
            resource = store.getResourceStore().create(server, pattern, server.getClientId());
            resource.setType(RESOURCE_TYPE);
            Set<Scope> scopes = new HashSet<>();
            for (String scope : SCOPES) {
                scopes.add(store.getScopeStore().findByName(server, scope));
            }
            resource.updateScopes(scopes);
        }
        return resource;
    }

    private Policy clientPolicy(ResourceServer server, ClientModel partnerClient) {
        String name = "ensync-client-" + partnerClient.getClientId();
        Policy policy = store.getPolicyStore().findByName(server, name);
        if (policy == null) {
            ClientPolicyRepresentation rep = new ClientPolicyRepresentation();
            rep.setName(name);
            rep.setDescription("The partner client " + partnerClient.getClientId());
            rep.addClient(partnerClient.getId());
            policy = store.getPolicyStore().create(server, rep);
        }
        return policy;
    }
}
