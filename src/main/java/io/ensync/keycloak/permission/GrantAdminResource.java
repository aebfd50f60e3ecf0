package io.ensync.keycloak.permission;

import io.ensync.keycloak.admin.AdminAccess;
import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.common.ApiResponses;
import io.ensync.keycloak.common.DenialReason;
import io.ensync.keycloak.common.NoFields;
import io.ensync.keycloak.common.Paging;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.io.InputStream;

/** {@code /admin/realms/{realm}/ensync/grants}: grant requests and grants, for realm admins. */
@Consumes({ApiResponses.ANY_APPLICATION, ApiResponses.ANY_TEXT})
public class GrantAdminResource {

    private final KeycloakSession session;
    private final AdminAccess access;
    private final GrantService grants;

    public GrantAdminResource(KeycloakSession session, RealmModel realm, AdminAccess access) {
        this.session = session;
        this.access = access;
        this.grants = new GrantService(session, realm);
    }

    @GET
    public Response list(@QueryParam("status") String status, @QueryParam("partner") String partner,
                         @QueryParam("env") String env, @QueryParam("first") String first, @QueryParam("max") String max) {
        access.requireView();
        Paging paging = Paging.of(first, max);
        return ApiResponses.page(grants.list(status, partner, env, paging), paging);
    }

    @POST
    @Path("{id}/approve")
    public Response approve(@PathParam("id") String id, InputStream body) {
        Actor actor = access.requireManage();
        NoFields.require(session, body);
        return ApiResponses.ok(grants.approve(id, actor));
    }

    @POST
    @Path("{id}/deny")
    public Response deny(@PathParam("id") String id, InputStream body) {
        Actor actor = access.requireManage();
        String reason = DenialReason.read(session, body);
        return ApiResponses.ok(grants.deny(id, reason, actor));
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String id, InputStream body) {
        Actor actor = access.requireManage();
        NoFields.require(session, body);
        return ApiResponses.ok(grants.revoke(id, actor));
    }
}
