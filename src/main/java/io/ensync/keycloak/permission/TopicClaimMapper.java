package io.ensync.keycloak.permission;

import io.ensync.keycloak.common.Json;
import io.ensync.keycloak.partner.PartnerClients;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.AccessToken;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a partner client's approved grants into its access tokens:
 * {@code "ensync": {"partner", "env", "send": [...], "receive": [...]}} and the audience {@code ensync-broker-{env}},
 * so a broker decides from the token alone. Read from the grant table by one indexed query, never by running
 * Authorization Services' policy evaluation.
 */
public class TopicClaimMapper extends AbstractOIDCProtocolMapper implements OIDCAccessTokenMapper, TokenIntrospectionTokenMapper {

    public static final String PROVIDER_ID = "ensync-topic-claim";
    public static final String CLAIM = "ensync";
    /** The client attribute holding the approved patterns of the client's environment, as GrantService stores them. */
    public static final String ATTR_CLAIM = "ensync.claim";

    /** The stored form: {@code {"send":[...],"receive":[...]}}, sorted. */
    record StoredGrants(List<String> send, List<String> receive) {
    }

    @Override
    public AccessToken transformAccessToken(AccessToken token, ProtocolMapperModel mapping, KeycloakSession session,
                                            UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        return addClaim(token, session, clientSessionCtx);
    }

    @Override
    public AccessToken transformIntrospectionToken(AccessToken token, ProtocolMapperModel mapping, KeycloakSession session,
                                                   UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        return addClaim(token, session, clientSessionCtx);
    }

    private static AccessToken addClaim(AccessToken token, KeycloakSession session, ClientSessionContext clientSessionCtx) {
        ClientModel client = clientSessionCtx.getClientSession().getClient();
        String partnerId = client.getAttribute(PartnerClients.ATTR_PARTNER);
        String environment = client.getAttribute(PartnerClients.ATTR_ENVIRONMENT);
        if (partnerId == null || environment == null) {
            return token;
        }
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("partner", partnerId);
        claim.put("env", environment);
        // The stored copy (see GrantService#storeClaim) comes from Keycloak's client cache; clients made before it
        // existed fall back to the query.
        String stored = client.getAttribute(ATTR_CLAIM);
        if (stored != null) {
            StoredGrants grants = Json.readStored(stored, StoredGrants.class);
            claim.put("send", grants.send());
            claim.put("receive", grants.receive());
        } else {
            claim.putAll(GrantService.claimOf(session, partnerId, environment));
        }
        token.getOtherClaims().put(CLAIM, claim);
        token.addAudience("ensync-broker-" + environment);
        return token;
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getDisplayType() {
        return "EnSync topic grants";
    }

    @Override
    public String getHelpText() {
        return "Adds the partner's approved EnSync topic grants of the client's environment as the 'ensync' claim "
                + "and the audience ensync-broker-{env}. Added to partner clients by the EnSync extension.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
