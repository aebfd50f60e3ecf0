package io.ensync.keycloak.partner;

import io.ensync.keycloak.common.ApiResponses;
import io.ensync.keycloak.common.Json;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.io.InputStream;

/** {@code /realms/{realm}/ensync/api/v1/partner}: the partner application's own API. */
public class PartnerApiResource {

    /** The redeem call takes no fields; an empty object (or no body) is what it accepts. */
    record NoFields() {
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
        Json.readOptional(session.getContext().getRequestHeaders(), body, NoFields.class);
        return ApiResponses.ok(new PartnerService(session, realm).redeem(linkId));
    }
}
