package io.ensync.keycloak.partner;

import io.ensync.keycloak.admin.AdminAccess;
import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.common.ApiResponses;
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

/** {@code /admin/realms/{realm}/ensync/partners}: every partner of the realm, for realm admins. */
@Consumes({ApiResponses.ANY_APPLICATION, ApiResponses.ANY_TEXT})
public class PartnerAdminResource {

    private final KeycloakSession session;
    private final AdminAccess access;
    private final PartnerService partners;

    public PartnerAdminResource(KeycloakSession session, RealmModel realm, AdminAccess access) {
        this.session = session;
        this.access = access;
        this.partners = new PartnerService(session, realm);
    }

    @GET
    public Response list(@QueryParam("integration") String integration, @QueryParam("status") String status,
                         @QueryParam("stage") String stage, @QueryParam("search") String search, @QueryParam("first") String first,
                         @QueryParam("max") String max) {
        access.requireView();
        Paging paging = Paging.of(first, max);
        return ApiResponses.page(partners.list(integration, status, stage, search, paging), paging);
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        access.requireView();
        return ApiResponses.ok(partners.view(partners.get(id)));
    }

    @POST
    @Path("{id}/suspend")
    public Response suspend(@PathParam("id") String id, InputStream body) {
        Actor actor = access.requireManage();
        NoFields.require(session, body);
        return ApiResponses.ok(partners.suspend(partners.get(id), actor));
    }

    @POST
    @Path("{id}/resume")
    public Response resume(@PathParam("id") String id, InputStream body) {
        Actor actor = access.requireManage();
        NoFields.require(session, body);
        return ApiResponses.ok(partners.resume(partners.get(id), actor));
    }

    @DELETE
    @Path("{id}")
    public Response offboard(@PathParam("id") String id, InputStream body) {
        Actor actor = access.requireManage();
        NoFields.require(session, body);
        PartnerEntity partner = partners.get(id);
        partners.offboard(partner, actor);
        return ApiResponses.ok(partners.view(partner));
    }
}
