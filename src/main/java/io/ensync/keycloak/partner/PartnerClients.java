package io.ensync.keycloak.partner;

import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.integration.IntegrationEntity;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.services.managers.ClientManager;
import org.keycloak.services.managers.RealmManager;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The partner's Keycloak clients: one confidential client per environment, service account on, client credentials
 * only. A client is enabled when its environment is one the partner may use (see {@link #mayUse}).
 */
public final class PartnerClients {

    /** For people reading the client in Keycloak's console; the extension never reads them (see TopicClaims). */
    static final String ATTR_PARTNER = "ensync.partner";
    static final String ATTR_ENVIRONMENT = "ensync.environment";
    private static final String ATTR_SECRET_CREATION_TIME = "client.secret.creation.time";
    private static final String ATTR_SECRET_EXPIRATION_TIME = "client.secret.expiration.time";

    private PartnerClients() {
    }

    public static String clientIdOf(String partnerId, Environment env) {
        return "ensync-" + partnerId + "-" + env.id();
    }

    /** Lower environments are open from onboarding on; prod only once the partner is promoted to it. */
    public static boolean mayUse(Environment env, Environment stage) {
        return env != Environment.PROD || stage == Environment.PROD;
    }

    /** A provisioned client with its secret, which exists in plain text only for the answer being built. */
    public record Provisioned(Environment environment, ClientModel client, String secret) {
    }

    /** Creates the clients; those of the environments in {@code keys} authenticate with these keys and get no secret. */
    static Map<Environment, Provisioned> provision(KeycloakSession session, RealmModel realm, PartnerEntity partner,
                                                   Map<Environment, List<Jwks.Key>> keys) {
        Environment stage = PartnerView.stageOf(partner);
        Map<Environment, Provisioned> result = new LinkedHashMap<>();
        ClientManager clientManager = new ClientManager(new RealmManager(session));
        ClientScopeModel partnerApi = PartnerApiScope.ensure(session, realm);
        for (Environment env : partner.getIntegration().getEnvironments()) {
            ClientModel client = ClientManager.createClient(session, realm, representation(partner, env, mayUse(env, stage)));
            PartnerApiScope.applyToNew(session, realm, client, partnerApi);
            clientManager.enableServiceAccount(client);
            List<Jwks.Key> envKeys = keys.get(env);
            if (envKeys == null) {
                applySecretPolicy(client, partner.getIntegration(), env);
            } else {
                PartnerKeys.useKeys(client, envKeys);
            }
            partner.getClients().add(new PartnerClientEntity(KeycloakModelUtils.generateId(), partner, env.id(),
                    client.getId(), client.getClientId()));
            result.put(env, new Provisioned(env, client, envKeys == null ? client.getSecret() : null));
        }
        return result;
    }

    private static ClientRepresentation representation(PartnerEntity partner, Environment env, boolean enabled) {
        ClientRepresentation rep = new ClientRepresentation();
        rep.setClientId(clientIdOf(partner.getId(), env));
        String name = partner.getAppName() == null ? "Partner " + partner.getId() : partner.getAppName();
        rep.setName(name + " (" + env.id() + ")");
        rep.setDescription("EnSync partner client of integration '" + partner.getIntegration().getName()
                + "'. Managed by the EnSync extension.");
        rep.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        rep.setEnabled(enabled);
        rep.setPublicClient(false);
        rep.setBearerOnly(false);
        rep.setClientAuthenticatorType("client-secret");
        rep.setServiceAccountsEnabled(true);
        rep.setStandardFlowEnabled(false);
        rep.setImplicitFlowEnabled(false);
        rep.setDirectAccessGrantsEnabled(false);
        rep.setConsentRequired(false);
        rep.setFrontchannelLogout(false);
        rep.setFullScopeAllowed(false);
        rep.setRedirectUris(List.of());
        rep.setWebOrigins(List.of());
        Map<String, String> attributes = new HashMap<>();
        attributes.put(ATTR_PARTNER, partner.getId());
        attributes.put(ATTR_ENVIRONMENT, env.id());
        attributes.put("oauth2.device.authorization.grant.enabled", "false");
        attributes.put("oidc.ciba.grant.enabled", "false");
        attributes.put("client_credentials.use_refresh_token", "false");
        rep.setAttributes(attributes);
        // No client scopes here: least privilege (no realm default scope but the subject, the partner API on request)
        // is applied to the new client by PartnerApiScope, at less cost than createClient's own way.
        // No mapper of Keycloak's; the topic claim's is added at onboarding by the permission package.
        rep.setProtocolMappers(List.of());
        return rep;
    }

    /** The partner's Keycloak client in an environment, or null. */
    public static ClientModel clientOf(RealmModel realm, PartnerEntity partner, Environment env) {
        PartnerClientEntity pc = byEnvironment(partner).get(env.id());
        return pc == null ? null : realm.getClientById(pc.getClientUuid());
    }

    static Map<String, PartnerClientEntity> byEnvironment(PartnerEntity partner) {
        Map<String, PartnerClientEntity> result = new HashMap<>();
        for (PartnerClientEntity client : partner.getClients()) {
            result.put(client.getEnvironment(), client);
        }
        return result;
    }

    /** Enables exactly the clients of the environments the partner may use now; all off when {@code allOff}. */
    public static void applyEnabled(RealmModel realm, PartnerEntity partner, boolean allOff) {
        Environment stage = PartnerView.stageOf(partner);
        for (PartnerClientEntity pc : partner.getClients()) {
            ClientModel client = realm.getClientById(pc.getClientUuid());
            if (client != null) {
                client.setEnabled(!allOff && mayUse(Environment.parse("environment", pc.getEnvironment()), stage));
            }
        }
    }

    static void removeAll(KeycloakSession session, RealmModel realm, PartnerEntity partner) {
        List<String> clientUuids = partner.getClients().stream().map(PartnerClientEntity::getClientUuid).toList();
        // Rows first: removing a client fires ClientRemovedEvent, whose cleanup must then find nothing left to delete.
        partner.getClients().clear();
        Jpa.em(session).flush();
        ClientManager clientManager = new ClientManager(new RealmManager(session));
        for (String clientUuid : clientUuids) {
            ClientModel client = realm.getClientById(clientUuid);
            if (client != null) {
                clientManager.removeClient(realm, client);
            }
        }
    }

    /** Sets the secret's expiry from the integration's secret policy; answers it (epoch seconds), or null for none. */
    static Long applySecretPolicy(ClientModel client, IntegrationEntity integration, Environment env) {
        Integer days = integration.getMaxSecretAgeDays(env);
        if (days == null) {
            // Removing an absent attribute still marks the client changed (a write and a cache invalidation).
            if (client.getAttribute(ATTR_SECRET_EXPIRATION_TIME) != null) {
                client.removeAttribute(ATTR_SECRET_EXPIRATION_TIME);
            }
            return null;
        }
        long expires = Times.now() / 1000 + days * 86400L;
        SecretTimes.set(client, SecretTimes.EXPIRATION, expires);
        return expires;
    }

    public static String tokenUrl(KeycloakSession session, RealmModel realm) {
        return session.getContext().getUri().getBaseUriBuilder()
                .path("realms").path(realm.getName()).path("protocol/openid-connect/token").build().toString();
    }

    static String secretCreatedAt(ClientModel client) {
        String seconds = client.getAttribute(ATTR_SECRET_CREATION_TIME);
        if (seconds == null) {
            return null;
        }
        try {
            return Times.iso(Long.parseLong(seconds) * 1000);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
