package io.ensync.keycloak.admin;

import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.ErrorCode;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * A realm admin's rights over the extension, as Keycloak's own: reading needs {@code view-clients}, changing
 * {@code manage-clients} (partners are clients). Refusals are the API's JSON 403.
 */
public record AdminAccess(AdminPermissionEvaluator auth, AdminEventBuilder events) {

    public void requireView() {
        if (!auth.clients().canView()) {
            throw ApiException.of(ErrorCode.FORBIDDEN, "Reading EnSync settings needs the view-clients role.");
        }
    }

    /** Checks the right to change and answers the admin as the audit trail's actor. */
    public Actor requireManage() {
        if (!auth.clients().canManage()) {
            throw ApiException.of(ErrorCode.FORBIDDEN, "Changing EnSync settings needs the manage-clients role.");
        }
        return new Actor.Admin(events);
    }
}
