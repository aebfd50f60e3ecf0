package io.ensync.keycloak.access;

import io.ensync.keycloak.admin.AdminAccess;
import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.common.ApiResponses;
import io.ensync.keycloak.common.DenialReason;
import io.ensync.keycloak.common.Ids;
import io.ensync.keycloak.common.NoFields;
import io.ensync.keycloak.common.Paging;
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

/** {@code /admin/realms/{realm}/ensync/access-requests}: verified access requests, for realm admins (SPEC §15). */
@Consumes({ApiResponses.ANY_APPLICATION, ApiResponses.ANY_TEXT})
public class AccessRequestAdminResource {

    private final KeycloakSession session;
    private final AdminAccess access;
    private final AccessRequestService requests;

    public AccessRequestAdminResource(KeycloakSession session, RealmModel realm, AdminAccess access) {
        this.session = session;
        this.access = access;
        this.requests = new AccessRequestService(session, realm);
    }

    @GET
    public Response list(@QueryParam("status") String status, @QueryParam("integration") String integration,
                         @QueryParam("first") String first, @QueryParam("max") String max) {
        access.requireView();
        Paging paging = Paging.of(first, max);
        String integrationId = Ids.optionalFilter("integration", integration);
        return ApiResponses.page(requests.list(integrationId, status, paging), paging);
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        access.requireView();
        return ApiResponses.ok(AccessRequestView.of(requests.get(id, null)));
    }

    @POST
    @Path("{id}/approve")
    public Response approve(@PathParam("id") String id, InputStream body) {
        Actor actor = access.requireManage();
        NoFields.require(session, body);
        return ApiResponses.ok(requests.approve(id, null, actor));
    }

    @POST
    @Path("{id}/deny")
    public Response deny(@PathParam("id") String id, InputStream body) {
        Actor actor = access.requireManage();
        return ApiResponses.ok(requests.deny(id, null, DenialReason.read(session, body), actor));
    }
}
