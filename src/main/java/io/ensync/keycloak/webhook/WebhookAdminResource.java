package io.ensync.keycloak.webhook;

import io.ensync.keycloak.admin.AdminAccess;
import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.common.ApiResponses;
import io.ensync.keycloak.common.Json;
import io.ensync.keycloak.common.Paging;
import io.ensync.keycloak.integration.IntegrationEntity;
import io.ensync.keycloak.integration.IntegrationService;
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

/**
 * {@code /admin/realms/{realm}/ensync/integrations/{id}/webhooks}: an integration's webhook endpoints (SPEC §13).
 * Reading needs view-clients, changing manage-clients; the rights are checked before the integration is looked up.
 */
@Consumes({ApiResponses.ANY_APPLICATION, ApiResponses.ANY_TEXT})
public class WebhookAdminResource {

    /** Body of {@code POST .../{wid}/secret}; optional. */
    record RotateInput(Integer overlapSeconds) {
    }

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminAccess access;
    private final String integrationId;
    private final HttpHeaders headers;

    public WebhookAdminResource(KeycloakSession session, RealmModel realm, AdminAccess access, String integrationId) {
        this.session = session;
        this.realm = realm;
        this.access = access;
        this.integrationId = integrationId;
        this.headers = session.getContext().getRequestHeaders();
    }

    private IntegrationEntity integration() {
        return new IntegrationService(session, realm).get(integrationId);
    }

    private WebhookService webhooks() {
        return new WebhookService(session, realm);
    }

    @POST
    public Response create(InputStream body) {
        Actor actor = access.requireManage();
        IntegrationEntity integration = integration();
        WebhookInput input = Json.read(headers, body, WebhookInput.class);
        WebhookView created = webhooks().create(integration, input, actor);
        return ApiResponses.created(session.getContext().getUri().getAbsolutePathBuilder().path(created.id()).build(), created);
    }

    @GET
    public Response list() {
        access.requireView();
        return ApiResponses.ok(webhooks().list(integration()));
    }

    @GET
    @Path("{wid}")
    public Response get(@PathParam("wid") String wid) {
        access.requireView();
        WebhookService webhooks = webhooks();
        return ApiResponses.ok(WebhookView.of(webhooks.get(integration(), wid), null));
    }

    @PUT
    @Path("{wid}")
    public Response update(@PathParam("wid") String wid, InputStream body) {
        Actor actor = access.requireManage();
        WebhookService webhooks = webhooks();
        WebhookEndpointEntity endpoint = webhooks.get(integration(), wid);
        WebhookInput input = Json.read(headers, body, WebhookInput.class);
        return ApiResponses.ok(webhooks.update(endpoint, input, actor));
    }

    @DELETE
    @Path("{wid}")
    public Response delete(@PathParam("wid") String wid) {
        Actor actor = access.requireManage();
        WebhookService webhooks = webhooks();
        webhooks.delete(webhooks.get(integration(), wid), actor);
        return ApiResponses.ok(Map.of("id", wid, "deleted", true));
    }

    @POST
    @Path("{wid}/secret")
    public Response rotateSecret(@PathParam("wid") String wid, InputStream body) {
        Actor actor = access.requireManage();
        WebhookService webhooks = webhooks();
        WebhookEndpointEntity endpoint = webhooks.get(integration(), wid);
        RotateInput input = Json.readOptional(headers, body, RotateInput.class);
        return ApiResponses.ok(webhooks.rotate(endpoint, input == null ? null : input.overlapSeconds(), actor));
    }

    @GET
    @Path("{wid}/deliveries")
    public Response deliveries(@PathParam("wid") String wid, @QueryParam("first") String first, @QueryParam("max") String max) {
        access.requireView();
        Paging paging = Paging.of(first, max);
        WebhookService webhooks = webhooks();
        return ApiResponses.page(webhooks.deliveries(webhooks.get(integration(), wid), paging), paging);
    }

    @POST
    @Path("{wid}/deliveries/{mid}/replay")
    public Response replay(@PathParam("wid") String wid, @PathParam("mid") String mid) {
        Actor actor = access.requireManage();
        WebhookService webhooks = webhooks();
        return ApiResponses.json(202, new ApiResponses.Success("success", webhooks.replay(webhooks.get(integration(), wid), mid, actor)));
    }

    @POST
    @Path("{wid}/test")
    public Response test(@PathParam("wid") String wid) {
        Actor actor = access.requireManage();
        WebhookService webhooks = webhooks();
        return ApiResponses.json(202, new ApiResponses.Success("success", webhooks.test(webhooks.get(integration(), wid), actor)));
    }
}
