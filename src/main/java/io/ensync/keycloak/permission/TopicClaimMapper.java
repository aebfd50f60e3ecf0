package io.ensync.keycloak.permission;

import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.partner.PartnerApiScope;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.AccessToken;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a partner client's approved grants into its broker tokens:
 * {@code "ensync": {"partner", "env", "send": [...], "receive": [...]}} and the audience {@code ensync-broker-{env}},
 * so a broker decides from the token alone. The grants come from {@link TopicClaims} (the sealed copy on the client,
 * or the grant table), never from Authorization Services' policy evaluation, and never from anything else on the
 * client. A partner-API token ({@code scope=ensync-partner-api}) is for the partner API only: it gets neither.
 */
public class TopicClaimMapper extends AbstractOIDCProtocolMapper implements OIDCAccessTokenMapper, TokenIntrospectionTokenMapper {

    public static final String PROVIDER_ID = "ensync-topic-claim";
    public static final String CLAIM = "ensync";
    /**
     * Runs after every other mapper of the client (Keycloak orders mappers by priority, lowest first), so that a
     * mapper added by hand cannot put its own {@code ensync} claim over ours.
     */
    private static final int LAST = 1_000_000;

    /** The mapper as every partner client carries it. */
    static ProtocolMapperModel model() {
        ProtocolMapperModel model = new ProtocolMapperModel();
        model.setName("ensync topic grants");
        model.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        model.setProtocolMapper(PROVIDER_ID);
        model.setConfig(new HashMap<>());
        return model;
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
        token.getOtherClaims().remove(CLAIM);
        if (clientSessionCtx.getClientScopesStream().anyMatch(scope -> PartnerApiScope.NAME.equals(scope.getName()))) {
            return token;
        }
        ClientModel client = clientSessionCtx.getClientSession().getClient();
        SealedClaim grants = TopicClaims.of(session, client.getRealm(), client);
        if (grants == null) {
            return token;
        }
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("partner", grants.partner());
        claim.put("env", grants.env());
        claim.put("send", grants.send());
        claim.put("receive", grants.receive());
        token.getOtherClaims().put(CLAIM, claim);
        token.addAudience(AuthzModel.brokerClientId(Environment.parse("environment", grants.env())));
        return token;
    }

    @Override
    public int getPriority() {
        return LAST;
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
