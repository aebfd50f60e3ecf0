package io.ensync.keycloak.spi;

import io.ensync.keycloak.common.ApiException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.utils.KeycloakSessionUtil;

/**
 * Where the JSON APIs answer an error: every {@link ApiException} that leaves a resource. It rolls the request's
 * transaction back — what Keycloak's own error handler, which this one is more specific than, does for the exceptions
 * it answers — and answers the API's error body.
 */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<ApiException> {

    @Override
    public Response toResponse(ApiException error) {
        KeycloakSession session = KeycloakSessionUtil.getKeycloakSession();
        if (session != null && session.getTransactionManager().isActive()) {
            session.getTransactionManager().setRollbackOnly();
        }
        return error.answer();
    }
}
