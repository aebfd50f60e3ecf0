package io.ensync.keycloak.portal;

import io.ensync.keycloak.common.ErrorCode;
import io.ensync.keycloak.portal.PortalRequest.Kind;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.Map;
import java.util.function.Function;

/**
 * {@code /realms/{realm}/ensync/portal}: the partner person's pages, routed to their page classes ({@link LinkPage},
 * {@link EnvironmentsPage}, {@link EventsPage}, {@link HistoryPage}) through the one guard of {@link PortalRequest}.
 * Opening a link (GET) never consumes it; the page's form (POST, CSRF-protected) redeems it and opens a
 * database-backed session. Every action goes through the same services as the partner API, acting on all of the
 * partner's environments.
 */
public class PortalResource {

    private static final PortalRequest.Messages MESSAGES = new PortalRequest.Messages(Map.of(
            ErrorCode.NOT_FOUND.code(), "notFound",
            ErrorCode.LINK_USED.code(), "linkUsed",
            ErrorCode.LINK_EXPIRED.code(), "linkExpired",
            ErrorCode.PARTNER_SUSPENDED.code(), "partnerSuspended",
            ErrorCode.PARTNER_OFFBOARDED.code(), "partnerOffboarded"), true);

    private final KeycloakSession session;
    private final RealmModel realm;

    public PortalResource(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    @GET
    @Path("links/{linkId}")
    public Response link(@PathParam("linkId") String linkId) {
        return link(page -> page.show(linkId));
    }

    @POST
    @Path("links/{linkId}")
    public Response start(@PathParam("linkId") String linkId) {
        return link(page -> page.start(linkId));
    }

    @GET
    @Path("environments")
    public Response environments() {
        return signedIn(Kind.VIEW, s -> new EnvironmentsPage(s).show());
    }

    @POST
    @Path("environments/{env}/secret")
    public Response rotate(@PathParam("env") String env) {
        return signedIn(Kind.ACTION, s -> new EnvironmentsPage(s).rotate(env));
    }

    @POST
    @Path("environments/{env}/keys")
    public Response registerKeys(@PathParam("env") String env) {
        return signedIn(Kind.ACTION, s -> new EnvironmentsPage(s).registerKeys(env));
    }

    @POST
    @Path("environments/{env}/keys/remove")
    public Response removeKeys(@PathParam("env") String env) {
        return signedIn(Kind.ACTION, s -> new EnvironmentsPage(s).removeKeys(env));
    }

    @GET
    @Path("history")
    public Response history(@QueryParam("first") String first, @QueryParam("max") String max) {
        return signedIn(Kind.VIEW, s -> new HistoryPage(s).show(first, max));
    }

    @GET
    @Path("events")
    public Response events() {
        return signedIn(Kind.VIEW, s -> new EventsPage(s).show());
    }

    @POST
    @Path("events/grants")
    public Response requestGrant() {
        return signedIn(Kind.ACTION, s -> new EventsPage(s).requestGrant());
    }

    @POST
    @Path("events/grants/{grantId}/withdraw")
    public Response withdrawGrant(@PathParam("grantId") String grantId) {
        return signedIn(Kind.ACTION, s -> new EventsPage(s).withdrawGrant(grantId));
    }

    @POST
    @Path("events/promotion/{env}")
    public Response requestPromotion(@PathParam("env") String env) {
        return signedIn(Kind.ACTION, s -> new EventsPage(s).requestPromotion(env));
    }

    @POST
    @Path("logout")
    public Response logout() {
        return signedIn(Kind.SIGN_OUT, SignedIn::signOut);
    }

    private Response link(Function<LinkPage, Response> handler) {
        PortalRequest request = new PortalRequest(session, realm, MESSAGES);
        return request.run(() -> handler.apply(new LinkPage(request)));
    }

    private Response signedIn(Kind kind, Function<SignedIn, Response> handler) {
        return new PortalRequest(session, realm, MESSAGES).signedIn(kind, handler);
    }
}
