package io.ensync.keycloak.integration;

import io.ensync.keycloak.admin.AdminAccess;
import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.common.ApiResponses;
import io.ensync.keycloak.common.Checks;
import io.ensync.keycloak.common.Json;
import io.ensync.keycloak.common.NoFields;
import io.ensync.keycloak.common.Paging;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.io.InputStream;
import java.util.Map;

/** {@code /admin/realms/{realm}/ensync/integrations}: integrations and their keys, for realm admins. */
@Consumes({ApiResponses.ANY_APPLICATION, ApiResponses.ANY_TEXT})
public class IntegrationAdminResource {

    /** Body of {@code POST .../keys}; optional. */
    record KeyInput(Integer expiresInDays) {
    }

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminAccess access;
    private final HttpHeaders headers;

    public IntegrationAdminResource(KeycloakSession session, RealmModel realm, AdminAccess access) {
        this.session = session;
        this.realm = realm;
        this.access = access;
        this.headers = session.getContext().getRequestHeaders();
    }

    private IntegrationService integrations() {
        return new IntegrationService(session, realm);
    }

    @POST
    public Response create(InputStream body) {
        Actor actor = access.requireManage();
        IntegrationInput input = Json.read(headers, body, IntegrationInput.class);
        IntegrationView created = integrations().create(input, actor);
        return ApiResponses.created(session.getContext().getUri().getAbsolutePathBuilder().path(created.id()).build(), created);
    }

    @GET
    public Response list(@QueryParam("first") String first, @QueryParam("max") String max) {
        access.requireView();
        Paging paging = Paging.of(first, max);
        return ApiResponses.page(integrations().list(paging), paging);
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        access.requireView();
        return ApiResponses.ok(IntegrationView.of(integrations().get(id)));
    }

    @PUT
    @Path("{id}")
    public Response update(@PathParam("id") String id, InputStream body) {
        Actor actor = access.requireManage();
        IntegrationService integrations = integrations();
        integrations.get(id);
        IntegrationInput input = Json.read(headers, body, IntegrationInput.class);
        return ApiResponses.ok(integrations.update(id, input, actor));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id, InputStream body) {
        Actor actor = access.requireManage();
        NoFields.require(session, body);
        integrations().delete(id, actor);
        return ApiResponses.ok(Map.of("id", id, "deleted", true));
    }

    @POST
    @Path("{id}/keys")
    public Response createKey(@PathParam("id") String id, InputStream body) {
        Actor actor = access.requireManage();
        IntegrationEntity integration = integrations().get(id);
        KeyInput input = Json.readOptional(headers, body, KeyInput.class);
        Integer days = input == null ? null : input.expiresInDays();
        if (days != null) {
            Checks.range("expiresInDays", days, 0, 1, 3650);
        }
        IntegrationKeyView created = new IntegrationKeyService(session, realm).create(integration, days, actor);
        return ApiResponses.created(session.getContext().getUri().getAbsolutePathBuilder().path(created.id()).build(), created);
    }

    @GET
    @Path("{id}/keys")
    public Response listKeys(@PathParam("id") String id) {
        access.requireView();
        return ApiResponses.ok(new IntegrationKeyService(session, realm).list(integrations().get(id)));
    }

    @DELETE
    @Path("{id}/keys/{keyId}")
    public Response revokeKey(@PathParam("id") String id, @PathParam("keyId") String keyId, InputStream body) {
        Actor actor = access.requireManage();
        NoFields.require(session, body);
        IntegrationKeyService keys = new IntegrationKeyService(session, realm);
        keys.revoke(integrations().get(id), keyId, actor);
        return ApiResponses.ok(Map.of("id", keyId, "revoked", true));
    }
}
