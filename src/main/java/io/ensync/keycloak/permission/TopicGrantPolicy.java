package io.ensync.keycloak.permission;

import io.ensync.keycloak.common.Environment;
import org.keycloak.Config;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.authorization.model.Policy;
import org.keycloak.authorization.model.Resource;
import org.keycloak.authorization.policy.evaluation.Evaluation;
import org.keycloak.authorization.policy.evaluation.EvaluationContext;
import org.keycloak.authorization.policy.provider.PolicyProvider;
import org.keycloak.authorization.policy.provider.PolicyProviderFactory;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.authorization.DecisionStrategy;
import org.keycloak.representations.idm.authorization.Logic;
import org.keycloak.representations.idm.authorization.PolicyRepresentation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy type {@value #TYPE}: grants its scope ({@code send} or {@code receive}, from its configuration) on a
 * topic resource when the calling partner client has the resource's pattern approved with that scope in the policy's
 * environment. One policy per scope: Keycloak caches a policy's decision per resource within an answer, whatever
 * permission asked, so one policy for both scopes would answer both alike. It reads the same approved set as the
 * token claim ({@link TopicClaims}: the sealed copy on the client, served by Keycloak's client cache, or the grant
 * table), so the standard UMA answer and the claim cannot differ, and an answer costs a look-up per resource instead
 * of the evaluation of every partner's permissions. Made and owned by the extension, two per broker resource server
 * ({@link AuthzModel}); internal, so the admin console offers no form to make more.
 */
public final class TopicGrantPolicy implements PolicyProviderFactory<PolicyRepresentation>, PolicyProvider {

    public static final String TYPE = "ensync-topic-grants";
    private static final String ENVIRONMENT = "environment";
    private static final String SCOPE = "scope";
    /** Keycloak's evaluation attribute holding the token's {@code azp}: the client the caller's token was issued to. */
    private static final String CLIENT_ATTRIBUTE = "kc.client.id";
    private static final String MEMO = TopicGrantPolicy.class.getName() + ".claim";

    /** One evaluation context's caller and claim: a UMA answer evaluates this policy once per resource and scope. */
    private record Memo(EvaluationContext context, SealedClaim claim) {
    }

    static String name(String scope) {
        return "ensync-topic-grants-" + scope;
    }

    static PolicyRepresentation representation(Environment env, String scope) {
        PolicyRepresentation rep = new PolicyRepresentation();
        rep.setName(name(scope));
        rep.setType(TYPE);
        rep.setDescription("EnSync: '" + scope + "' where the calling partner client has the topic approved in " + env.id());
        rep.setLogic(Logic.POSITIVE);
        rep.setDecisionStrategy(DecisionStrategy.UNANIMOUS);
        rep.setConfig(new HashMap<>(Map.of(ENVIRONMENT, env.id(), SCOPE, scope)));
        return rep;
    }

    @Override
    public void evaluate(Evaluation evaluation) {
        Resource resource = evaluation.getPermission().getResource();
        if (resource == null || !AuthzModel.RESOURCE_TYPE.equals(resource.getType())) {
            return;
        }
        Map<String, String> config = evaluation.getPolicy().getConfig();
        SealedClaim claim = callerClaim(evaluation);
        if (claim == null || !claim.env().equals(config.get(ENVIRONMENT))) {
            return;
        }
        List<String> patterns = switch (String.valueOf(config.get(SCOPE))) {
            case "send" -> claim.send();
            case "receive" -> claim.receive();
            default -> List.of();
        };
        if (patterns.contains(resource.getName())) {
            evaluation.grant();
        }
    }

    private static SealedClaim callerClaim(Evaluation evaluation) {
        AuthorizationProvider authorization = evaluation.getAuthorizationProvider();
        KeycloakSession session = authorization.getKeycloakSession();
        EvaluationContext context = evaluation.getContext();
        Memo memo = session.getAttribute(MEMO, Memo.class);
        if (memo != null && memo.context() == context) {
            return memo.claim();
        }
        RealmModel realm = authorization.getRealm();
        var clientId = context.getAttributes().getValue(CLIENT_ATTRIBUTE);
        ClientModel client = clientId == null ? null : realm.getClientByClientId(clientId.asString(0));
        SealedClaim claim = client == null ? null : TopicClaims.of(session, realm, client);
        session.setAttribute(MEMO, new Memo(context, claim));
        return claim;
    }

    @Override
    public PolicyProvider create(AuthorizationProvider authorization) {
        return this;
    }

    @Override
    public PolicyProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public PolicyRepresentation toRepresentation(Policy policy, AuthorizationProvider authorization) {
        PolicyRepresentation rep = new PolicyRepresentation();
        rep.setConfig(new HashMap<>(policy.getConfig()));
        return rep;
    }

    @Override
    public Class<PolicyRepresentation> getRepresentationType() {
        return PolicyRepresentation.class;
    }

    @Override
    public String getName() {
        return "EnSync topic grants";
    }

    @Override
    public String getGroup() {
        return "EnSync";
    }

    @Override
    public boolean isInternal() {
        return true;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return TYPE;
    }
}
