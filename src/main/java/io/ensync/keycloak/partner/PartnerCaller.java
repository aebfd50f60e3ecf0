package io.ensync.keycloak.partner;

import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.ErrorCode;
import io.ensync.keycloak.common.Jpa;
import jakarta.ws.rs.NotAuthorizedException;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AuthenticationManager;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * A partner acting through the partner API with a partner-API token of one of its own clients (audience and scope
 * {@code ensync-partner-api}). Keycloak validates the token as it validates its own (signature, expiry, realm, client
 * enabled); the token's client ({@code azp}) decides the partner and the one environment the call may act on.
 */
public record PartnerCaller(PartnerEntity partner, Environment environment, ClientModel client) {

    public Actor actor() {
        return new Actor.Partner(partner.getId(), client);
    }

    /** The environments this caller may read or change: only its token's own. */
    public Set<Environment> scope() {
        return EnumSet.of(environment);
    }

    public static PartnerCaller authenticate(KeycloakSession session, RealmModel realm) {
        AuthenticationManager.AuthResult auth;
        try {
            String presented = AppAuthManager.extractAuthorizationHeaderToken(session.getContext().getRequestHeaders());
            if (presented != null && !signedWithAKnownAlgorithm(session, presented)) {
                // Keycloak 26.4 meets such a token (alg "none") with a NullPointerException: a 500 (FuzzIT on 26.4.7)
                throw ApiException.unauthorized(realm.getName(), ErrorCode.INVALID_TOKEN, "The access token's signature algorithm is not supported.");
            }
            auth = new AppAuthManager.BearerTokenAuthenticator(session)
                    .setRealm(realm)
                    .setUriInfo(session.getContext().getUri())
                    .setConnection(session.getContext().getConnection())
                    .setHeaders(session.getContext().getRequestHeaders())
                    .authenticate();
        } catch (NotAuthorizedException malformed) {
            // Keycloak's own answer to an Authorization header that is not "Bearer <token>": ours has the envelope.
            throw ApiException.unauthorized(realm.getName(), ErrorCode.INVALID_TOKEN,
                    "The Authorization header must be 'Bearer <access token>'.");
        }
        if (auth == null) {
            throw ApiException.unauthorized(realm.getName(), ErrorCode.INVALID_TOKEN,
                    "A valid access token of one of the partner's clients is required.");
        }
        // Only a token asked for with scope=ensync-partner-api: the default one goes to the broker and manages nothing.
        // getClient()/getToken(): AuthResult became a record in 26.5; its record accessors do not exist on 26.4.
        AccessToken token = auth.getToken();
        if (!token.hasAudience(PartnerApiScope.NAME) || !hasScope(token, PartnerApiScope.NAME)) {
            throw ApiException.insufficientScope(realm.getName(), PartnerApiScope.NAME,
                    "The partner API needs a token asked for with scope=" + PartnerApiScope.NAME + ".");
        }
        ClientModel client = auth.getClient() != null ? auth.getClient() : realm.getClientByClientId(token.getIssuedFor());
        if (client == null || !client.isEnabled()) {
            throw ApiException.unauthorized(realm.getName(), ErrorCode.INVALID_TOKEN, "The token's client is unknown or disabled.");
        }
        PartnerClientEntity partnerClient = Jpa.em(session)
                .createNamedQuery("ensync.partnerClient.byClientUuid", PartnerClientEntity.class)
                .setParameter("clientUuid", client.getId())
                .getResultStream().findFirst().orElse(null);
        if (partnerClient == null) {
            throw ApiException.of(ErrorCode.NOT_A_PARTNER, "The token does not belong to a partner client.");
        }
        PartnerEntity partner = partnerClient.getPartner();
        PartnerUsability.requireUsable(partner);
        return new PartnerCaller(partner, Environment.parse("environment", partnerClient.getEnvironment()), client);
    }

    private static boolean hasScope(AccessToken token, String scope) {
        return token.getScope() != null && Arrays.asList(token.getScope().split(" ")).contains(scope);
    }

    /** Whether the token's JWS header names an algorithm this Keycloak can verify; an unreadable token is Keycloak's. */
    private static boolean signedWithAKnownAlgorithm(KeycloakSession session, String token) {
        try {
            String algorithm = new JWSInput(token).getHeader().getRawAlgorithm();
            return algorithm != null && session.getProvider(SignatureProvider.class, algorithm) != null;
        } catch (JWSInputException | RuntimeException unreadable) {
            return true;
        }
    }
}
