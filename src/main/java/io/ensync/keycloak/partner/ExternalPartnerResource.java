package io.ensync.keycloak.partner;

import io.ensync.keycloak.common.ApiResponses;
import io.ensync.keycloak.common.Json;
import io.ensync.keycloak.common.NoFields;
import io.ensync.keycloak.common.Paging;
import io.ensync.keycloak.integration.IntegrationKeyService;
import io.ensync.keycloak.link.LinkService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.io.InputStream;

/**
 * {@code /realms/{realm}/ensync/api/v1/external}: the integrator's backend, authenticated by an Integration Key,
 * acting on its own integration's partners only.
 */
@Consumes({ApiResponses.ANY_APPLICATION, ApiResponses.ANY_TEXT})
public class ExternalPartnerResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final HttpHeaders headers;

    public ExternalPartnerResource(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.headers = session.getContext().getRequestHeaders();
    }

    /** The partner endpoint's answer: exactly these two fields, in this order. */
    record PartnerLink(String id, String url) {
    }

    private IntegrationKeyService.Authenticated authenticate() {
        return new IntegrationKeyService(session, realm).authenticate(headers);
    }

    @POST
    @Path("partner")
    public Response create(@HeaderParam("Idempotency-Key") String idempotencyKey, InputStream body) {
        IntegrationKeyService.Authenticated caller = authenticate();
        PartnerInput input = Json.read(headers, body, PartnerInput.class);
        PartnerService.Created created = new PartnerService(session, realm)
                .create(caller.integration(), input, idempotencyKey, caller.actor());
        Response response = ApiResponses.created(new PartnerLink(created.id(), created.url()));
        return created.replayed() ? Response.fromResponse(response).header("Idempotent-Replayed", "true").build() : response;
    }

    @GET
    @Path("partner")
    public Response list(@QueryParam("first") String first, @QueryParam("max") String max) {
        IntegrationKeyService.Authenticated caller = authenticate();
        Paging paging = Paging.of(first, max);
        return ApiResponses.page(new PartnerService(session, realm).list(caller.integration().getId(), null, null, null, paging), paging);
    }

    @GET
    @Path("partner/{id}")
    public Response get(@PathParam("id") String id) {
        IntegrationKeyService.Authenticated caller = authenticate();
        PartnerService partners = new PartnerService(session, realm);
        return ApiResponses.ok(partners.view(partners.getOf(caller.integration(), id)));
    }

    @POST
    @Path("partner/{id}/link")
    public Response newLink(@PathParam("id") String id, InputStream body) {
        IntegrationKeyService.Authenticated caller = authenticate();
        NoFields.require(session, body);
        PartnerService partners = new PartnerService(session, realm);
        LinkService.IssuedLink link = partners.newLink(partners.getOf(caller.integration(), id), caller.actor());
        return ApiResponses.created(new PartnerLink(id, link.url()));
    }

    @DELETE
    @Path("partner/{id}")
    public Response offboard(@PathParam("id") String id, InputStream body) {
        IntegrationKeyService.Authenticated caller = authenticate();
        NoFields.require(session, body);
        PartnerService partners = new PartnerService(session, realm);
        PartnerEntity partner = partners.getOf(caller.integration(), id);
        partners.offboard(partner, caller.actor());
        return ApiResponses.ok(partners.view(partner));
    }
}
