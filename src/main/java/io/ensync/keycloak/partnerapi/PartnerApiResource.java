package io.ensync.keycloak.partnerapi;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.ApiResponses;
import io.ensync.keycloak.common.ErrorCode;
import io.ensync.keycloak.common.Json;
import io.ensync.keycloak.common.NoFields;
import io.ensync.keycloak.common.Paging;
import io.ensync.keycloak.partner.PartnerCaller;
import io.ensync.keycloak.partner.PartnerKeys;
import io.ensync.keycloak.partner.PartnerSelfService;
import io.ensync.keycloak.partner.PartnerService;
import io.ensync.keycloak.permission.GrantService;
import io.ensync.keycloak.permission.GrantView;
import io.ensync.keycloak.permission.PromotionService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.io.InputStream;
import java.util.List;
import java.util.function.Function;

/**
 * {@code /realms/{realm}/ensync/api/v1/partner}: the partner application's own API. Onboarding is authorised by the
 * one-time link; everything under {@code /me} by an access token of one of the partner's clients, and acts on that
 * client's environment only. Like the portal, it sits above the partner and permission packages and only routes to
 * their services.
 */
@Consumes({ApiResponses.ANY_APPLICATION, ApiResponses.ANY_TEXT})
public class PartnerApiResource {

    /** Body of {@code POST /me/secret}; optional. */
    record RotateInput(Boolean revokePrevious) {
    }

    /** {@code GET /me}: the partner as it sees itself, then the grants of the caller's environment. */
    record Me(@JsonUnwrapped PartnerSelfService.Me partner, List<GrantView> grants) {
    }

    private final KeycloakSession session;
    private final RealmModel realm;

    public PartnerApiResource(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    @POST
    @Path("links/{linkId}/redeem")
    public Response redeem(@PathParam("linkId") String linkId, InputStream body) {
        PartnerService.RedeemInput input = Json.readOptional(session.getContext().getRequestHeaders(), body,
                PartnerService.RedeemInput.class);
        return ApiResponses.ok(new PartnerService(session, realm).redeem(linkId, input));
    }

    @GET
    @Path("me")
    public Response me() {
        return ok(caller -> new Me(new PartnerSelfService(session, realm).me(caller.partner(), caller.scope()), grants(caller)));
    }

    @POST
    @Path("me/secret")
    public Response rotateSecret(InputStream body) {
        return ok(caller -> {
            RotateInput input = Json.readOptional(session.getContext().getRequestHeaders(), body, RotateInput.class);
            boolean revokePrevious = input != null && Boolean.TRUE.equals(input.revokePrevious());
            return new PartnerSelfService(session, realm).rotateSecret(caller.partner(), caller.environment(), revokePrevious, caller.actor());
        });
    }

    @GET
    @Path("me/keys")
    public Response keys() {
        return ok(caller -> new PartnerKeys(session, realm).status(caller.partner(), caller.environment()));
    }

    @PUT
    @Path("me/keys")
    public Response registerKeys(InputStream body) {
        return ok(caller -> new PartnerKeys(session, realm).register(caller.partner(), caller.environment(),
                Json.read(session.getContext().getRequestHeaders(), body, PartnerKeys.KeysInput.class), caller.actor()));
    }

    @DELETE
    @Path("me/keys")
    public Response removeKeys() {
        return ok(caller -> new PartnerKeys(session, realm).remove(caller.partner(), caller.environment(), caller.actor()));
    }

    @GET
    @Path("me/grants")
    public Response grants() {
        return ok(this::grants);
    }

    @POST
    @Path("me/grants")
    public Response requestGrant(InputStream body) {
        return ApiResponses.created(asCaller(caller -> new GrantService(session, realm).request(caller.partner(), caller.environment(),
                Json.read(session.getContext().getRequestHeaders(), body, GrantService.GrantInput.class), caller.actor())));
    }

    @DELETE
    @Path("me/grants/{id}")
    public Response withdrawGrant(@PathParam("id") String id, InputStream body) {
        return ok(caller -> {
            NoFields.require(session, body);
            return new GrantService(session, realm).withdraw(caller.partner(), caller.scope(), id, caller.actor());
        });
    }

    @POST
    @Path("me/promotion")
    public Response requestPromotion(InputStream body) {
        return ApiResponses.created(asCaller(caller -> {
            NoFields.require(session, body);
            return new PromotionService(session, realm).request(caller.partner(), caller.environment(), caller.actor());
        }));
    }

    @GET
    @Path("me/history")
    public Response history(@QueryParam("first") String first, @QueryParam("max") String max) {
        return asCaller(caller -> {
            Paging paging = Paging.of(first, max);
            List<PartnerSelfService.HistoryEntry> entries = new PartnerSelfService(session, realm).history(caller.partner(), caller.scope(), paging);
            if (entries == null) {
                throw ApiException.of(ErrorCode.AUDIT_NOT_STORED, "This realm does not store admin events, so there is no history to show. Ask the realm admin to turn them on.");
            }
            return ApiResponses.page(entries, paging);
        });
    }

    /** The grants of the caller's environment (in {@code GET /me} and {@code GET /me/grants}). */
    private List<GrantView> grants(PartnerCaller caller) {
        return new GrantService(session, realm).ofPartner(caller.partner(), caller.scope());
    }

    /**
     * The one opening of every {@code /me} handler: the caller authenticated by its token (401/403 before anything
     * is read), then the handler, which reads the body, if any, and acts for that caller.
     */
    private <T> T asCaller(Function<PartnerCaller, T> handler) {
        return handler.apply(PartnerCaller.authenticate(session, realm));
    }

    private Response ok(Function<PartnerCaller, ?> handler) {
        return ApiResponses.ok(asCaller(handler));
    }
}
