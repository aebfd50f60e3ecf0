package io.ensync.keycloak.spi;

import io.ensync.keycloak.access.ExternalAccessRequestResource;
import io.ensync.keycloak.access.JoinPages;
import io.ensync.keycloak.common.MalformedContentType;
import io.ensync.keycloak.partner.ExternalPartnerResource;
import io.ensync.keycloak.partnerapi.PartnerApiResource;
import io.ensync.keycloak.portal.PortalResource;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** {@code /realms/{realm}/ensync}: the integration API, the partner API and the portal. */
public class EnsyncRealmRoot {

    /** {@code realms/{realm}/ensync} */
    static final int PATH_SEGMENTS = 3;

    private final KeycloakSession session;
    private final RealmModel realm;

    EnsyncRealmRoot(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        MalformedContentType.refuse(session);
    }

    @Path("api/v1/external")
    public ExternalPartnerResource external() {
        return new ExternalPartnerResource(session, realm);
    }

    /** Routed here (the longer literal path wins): the partner package does not know access requests. */
    @Path("api/v1/external/access-requests")
    public ExternalAccessRequestResource externalAccessRequests() {
        return new ExternalAccessRequestResource(session, realm);
    }

    @Path("api/v1/partner")
    public PartnerApiResource partner() {
        return new PartnerApiResource(session, realm);
    }

    /** The OpenAPI 3.1 document of the extension's JSON APIs (also {@code src/main/resources/ensync/openapi.json}). */
    @GET
    @Path("api/v1/openapi.json")
    public Response openApi() {
        return Response.ok(OpenApiDocument.TEXT, MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8")).build();
    }

    /** The public join pages of integrations that take access requests (SPEC §15). */
    @Path("portal/join")
    public JoinPages join() {
        return new JoinPages(session, realm);
    }

    @Path("portal")
    public PortalResource portal() {
        return new PortalResource(session, realm);
    }
}
