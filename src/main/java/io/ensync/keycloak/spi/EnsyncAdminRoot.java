package io.ensync.keycloak.spi;

import io.ensync.keycloak.access.AccessRequestAdminResource;
import io.ensync.keycloak.admin.AdminAccess;
import io.ensync.keycloak.common.MalformedContentType;
import io.ensync.keycloak.integration.IntegrationAdminResource;
import io.ensync.keycloak.partner.PartnerAdminResource;
import io.ensync.keycloak.permission.GrantAdminResource;
import io.ensync.keycloak.permission.PromotionAdminResource;
import io.ensync.keycloak.webhook.WebhookAdminResource;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** {@code /admin/realms/{realm}/ensync}: Keycloak has authenticated the admin; each resource checks the rights. */
public class EnsyncAdminRoot {

    /** {@code admin/realms/{realm}/ensync} */
    static final int PATH_SEGMENTS = 4;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminAccess access;

    EnsyncAdminRoot(KeycloakSession session, RealmModel realm, AdminAccess access) {
        this.session = session;
        this.realm = realm;
        this.access = access;
        MalformedContentType.refuse(session);
    }

    @Path("integrations")
    public IntegrationAdminResource integrations() {
        return new IntegrationAdminResource(session, realm, access);
    }

    /** Routed here, not by the integration resource: the integration package does not know webhooks. */
    @Path("integrations/{id}/webhooks")
    public WebhookAdminResource webhooks(@PathParam("id") String integrationId) {
        return new WebhookAdminResource(session, realm, access, integrationId);
    }

    @Path("grants")
    public GrantAdminResource grants() {
        return new GrantAdminResource(session, realm, access);
    }

    @Path("promotions")
    public PromotionAdminResource promotions() {
        return new PromotionAdminResource(session, realm, access);
    }

    @Path("access-requests")
    public AccessRequestAdminResource accessRequests() {
        return new AccessRequestAdminResource(session, realm, access);
    }

    @Path("partners")
    public PartnerAdminResource partners() {
        return new PartnerAdminResource(session, realm, access);
    }
}
