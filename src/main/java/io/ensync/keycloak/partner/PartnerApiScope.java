package io.ensync.keycloak.partner;

import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.mappers.AudienceProtocolMapper;

import java.util.Map;
import java.util.Set;

/**
 * The optional client scope {@value #NAME} of a realm: the one way to a token that the partner API accepts. A
 * partner client asks for it ({@code scope=ensync-partner-api}) and gets a token whose audience is
 * {@value #NAME}; its default token, the one it hands to the broker, never carries that audience. Partner clients
 * have it as their only optional scope, and {@code basic} (subject, auth time) and Keycloak's own
 * {@code service_account} as their only default ones.
 */
public final class PartnerApiScope {

    public static final String NAME = "ensync-partner-api";
    /** Keycloak's built-in scope with the {@code sub} claim; every other realm default is left off partner clients. */
    static final String BASIC = "basic";
    /** What Keycloak itself gives a client when it turns its service account on (the {@code client_id} claim). */
    static final String SERVICE_ACCOUNT = "service_account";

    private PartnerApiScope() {
    }

    /** The realm's scope, made in a transaction of its own when missing (two first redemptions may race for it). */
    public static ClientScopeModel ensure(KeycloakSession session, RealmModel realm) {
        ClientScopeModel scope = find(realm);
        if (scope != null) {
            return scope;
        }
        String realmId = realm.getId();
        RuntimeException failure = null;
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(),
                    job -> create(job.realms().getRealm(realmId)));
        } catch (RuntimeException e) {
            failure = e;
        }
        scope = session.clientScopes().getClientScopesStream(realm).filter(s -> NAME.equals(s.getName())).findFirst().orElse(null);
        if (scope == null) {
            throw failure != null ? failure : new IllegalStateException("The client scope " + NAME + " cannot be read back");
        }
        return scope;
    }

    private static void create(RealmModel realm) {
        if (find(realm) != null) {
            return;
        }
        ClientScopeModel scope = realm.addClientScope(NAME);
        scope.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        scope.setDescription("EnSync partner API: a partner client asks for this scope to get a token for its own "
                + "management API. Managed by the EnSync extension.");
        scope.setAttribute(ClientScopeModel.INCLUDE_IN_TOKEN_SCOPE, "true");
        scope.setAttribute(ClientScopeModel.DISPLAY_ON_CONSENT_SCREEN, "false");
        ProtocolMapperModel audience = new ProtocolMapperModel();
        audience.setName("ensync-partner-api audience");
        audience.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        audience.setProtocolMapper(AudienceProtocolMapper.PROVIDER_ID);
        audience.setConfig(Map.of(
                AudienceProtocolMapper.INCLUDED_CUSTOM_AUDIENCE, NAME,
                "access.token.claim", "true",
                "introspection.token.claim", "true",
                "id.token.claim", "false"));
        scope.addProtocolMapper(audience);
    }

    /** Gives a partner client exactly its scopes: {@code basic} by default, {@value #NAME} on request. */
    static void apply(KeycloakSession session, RealmModel realm, ClientModel client) {
        ClientScopeModel partnerApi = ensure(session, realm);
        for (boolean defaultScope : new boolean[] {true, false}) {
            Set<String> keep = defaultScope ? Set.of(BASIC, SERVICE_ACCOUNT) : Set.of(NAME);
            client.getClientScopes(defaultScope).values().stream()
                    .filter(scope -> !keep.contains(scope.getName()))
                    .toList()
                    .forEach(client::removeClientScope);
        }
        if (!client.getClientScopes(false).containsKey(NAME)) {
            client.addClientScope(partnerApi, false);
        }
        if (!client.getClientScopes(true).containsKey(BASIC)) {
            realm.getClientScopesStream().filter(scope -> BASIC.equals(scope.getName())).findFirst()
                    .ifPresent(basic -> client.addClientScope(basic, true));
        }
    }

    private static ClientScopeModel find(RealmModel realm) {
        return realm.getClientScopesStream().filter(scope -> NAME.equals(scope.getName())).findFirst().orElse(null);
    }
}
