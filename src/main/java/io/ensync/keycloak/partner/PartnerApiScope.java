package io.ensync.keycloak.partner;

import io.ensync.keycloak.common.Jpa;
import jakarta.persistence.EntityManager;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.jpa.entities.ClientScopeClientMappingEntity;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.mappers.AudienceProtocolMapper;

import java.util.Map;

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

    /** Whether a partner client has the scope {@code name} as a default ({@code defaultScope}) or optional one. */
    private static boolean belongs(String name, boolean defaultScope) {
        return defaultScope ? BASIC.equals(name) || SERVICE_ACCOUNT.equals(name) : NAME.equals(name);
    }

    /**
     * Gives a client created in this transaction, before its service account is on, exactly its scopes
     * ({@code partnerApi} is the realm's, {@link #ensure}d). Keycloak's {@code createClient} adds the realm's default
     * scopes and removes each one a representation leaves out by a bulk delete and two flushes of the whole
     * persistence context: some twenty flushes a client, of a context that grows with each of a redemption's three
     * clients (over a third of a redemption's time). Here the new client's mappings are read once and those it must
     * not have are removed from the context, deleted by its next flush. The cache holds nothing of a client created
     * in this transaction, so there is nothing to invalidate.
     */
    static void applyToNew(KeycloakSession session, RealmModel realm, ClientModel client, ClientScopeModel partnerApi) {
        EntityManager em = Jpa.em(session);
        boolean hasBasic = false;
        boolean hasPartnerApi = false;
        for (ClientScopeClientMappingEntity mapping : em.createQuery("select m from ClientScopeClientMappingEntity m where m.clientId = :clientId",
                ClientScopeClientMappingEntity.class).setParameter("clientId", client.getId()).getResultList()) {
            ClientScopeModel scope = realm.getClientScopeById(mapping.getClientScopeId());
            if (scope == null || !belongs(scope.getName(), mapping.isDefaultScope())) {
                em.remove(mapping);
            } else {
                hasBasic |= BASIC.equals(scope.getName());
                hasPartnerApi |= NAME.equals(scope.getName());
            }
        }
        if (!hasPartnerApi) {
            client.addClientScope(partnerApi, false);
        }
        if (!hasBasic) {
            addBasic(realm, client);
        }
    }

    /** Gives an existing partner client exactly its scopes, through Keycloak's model (which keeps its cache right). */
    static void apply(KeycloakSession session, RealmModel realm, ClientModel client) {
        ClientScopeModel partnerApi = ensure(session, realm);
        for (boolean defaultScope : new boolean[] {true, false}) {
            client.getClientScopes(defaultScope).values().stream()
                    .filter(scope -> !belongs(scope.getName(), defaultScope))
                    .toList()
                    .forEach(client::removeClientScope);
        }
        if (!client.getClientScopes(false).containsKey(NAME)) {
            client.addClientScope(partnerApi, false);
        }
        if (!client.getClientScopes(true).containsKey(BASIC)) {
            addBasic(realm, client);
        }
    }

    private static void addBasic(RealmModel realm, ClientModel client) {
        ClientScopeModel basic = named(realm, BASIC);
        if (basic != null) {
            client.addClientScope(basic, true);
        }
    }

    private static ClientScopeModel find(RealmModel realm) {
        return named(realm, NAME);
    }

    // Not KeycloakModelUtils.getClientScopeByName: for a missing scope it falls back to the realm's clients.
    private static ClientScopeModel named(RealmModel realm, String name) {
        return realm.getClientScopesStream().filter(scope -> name.equals(scope.getName())).findFirst().orElse(null);
    }
}
