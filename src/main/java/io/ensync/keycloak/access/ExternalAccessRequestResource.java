package io.ensync.keycloak.access;

import io.ensync.keycloak.common.ApiResponses;
import io.ensync.keycloak.common.DenialReason;
import io.ensync.keycloak.common.NoFields;
import io.ensync.keycloak.common.Paging;
import io.ensync.keycloak.integration.IntegrationKeyService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.io.InputStream;

/**
 * {@code /realms/{realm}/ensync/api/v1/external/access-requests}: the integrator's backend deciding its own
 * integration's verified access requests with its Integration Key; another integration's are unknown (404).
 */
@Consumes({ApiResponses.ANY_APPLICATION, ApiResponses.ANY_TEXT})
public class ExternalAccessRequestResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AccessRequestService requests;

    public ExternalAccessRequestResource(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.requests = new AccessRequestService(session, realm);
    }

    private IntegrationKeyService.Authenticated authenticate() {
        return new IntegrationKeyService(session, realm).authenticate(session.getContext().getRequestHeaders());
    }

    @GET
    public Response list(@QueryParam("status") String status, @QueryParam("first") String first, @QueryParam("max") String max) {
        IntegrationKeyService.Authenticated caller = authenticate();
        Paging paging = Paging.of(first, max);
        return ApiResponses.page(requests.list(caller.integration().getId(), status, paging), paging);
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        IntegrationKeyService.Authenticated caller = authenticate();
        return ApiResponses.ok(AccessRequestView.of(requests.get(id, caller.integration().getId())));
    }

    @POST
    @Path("{id}/approve")
    public Response approve(@PathParam("id") String id, InputStream body) {
        IntegrationKeyService.Authenticated caller = authenticate();
        NoFields.require(session, body);
        return ApiResponses.ok(requests.approve(id, caller.integration().getId(), caller.actor()));
    }

    @POST
    @Path("{id}/deny")
    public Response deny(@PathParam("id") String id, InputStream body) {
        IntegrationKeyService.Authenticated caller = authenticate();
        return ApiResponses.ok(requests.deny(id, caller.integration().getId(), DenialReason.read(session, body), caller.actor()));
    }
}
