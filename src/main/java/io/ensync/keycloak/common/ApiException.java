package io.ensync.keycloak.common;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.utils.KeycloakSessionUtil;

/**
 * A client error answered with the JSON error body of the API ({@code {"status":"error","error":{...}}}).
 * <p>
 * The response carries its entity, so JAX-RS sends it as it is — and Keycloak's error handler, which would roll the
 * request's transaction back, never sees it. So creating one marks the transaction rollback-only: a request that is
 * answered with an error changes nothing, wherever in the request the error was found.
 */
public class ApiException extends WebApplicationException {

    private final String code;
    private final String field;

    public ApiException(Response.Status status, String code, String message, String field) {
        this(status.getStatusCode(), code, message, field);
    }

    public ApiException(int status, String code, String message, String field) {
        super(message, ApiResponses.error(status, code, message, field));
        this.code = code;
        this.field = field;
        rollBackRequest();
    }

    private ApiException(String message, Response response, String code) {
        super(message, response);
        this.code = code;
        this.field = null;
        rollBackRequest();
    }

    private static void rollBackRequest() {
        KeycloakSession session = KeycloakSessionUtil.getKeycloakSession();
        if (session != null && session.getTransactionManager().isActive()) {
            session.getTransactionManager().setRollbackOnly();
        }
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public static ApiException badRequest(String code, String message, String field) {
        return new ApiException(Response.Status.BAD_REQUEST, code, message, field);
    }

    public static ApiException invalid(String field, String message) {
        return badRequest("invalid_value", message, field);
    }

    public static ApiException notFound(String what) {
        return new ApiException(Response.Status.NOT_FOUND, "not_found", what + " not found.", null);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(Response.Status.CONFLICT, code, message, null);
    }

    public static ApiException forbidden(String code, String message) {
        return new ApiException(Response.Status.FORBIDDEN, code, message, null);
    }

    public static ApiException gone(String code, String message) {
        return new ApiException(Response.Status.GONE, code, message, null);
    }

    /** 429 with {@code Retry-After}. */
    public static ApiException tooManyAttempts(String message, long retryAfterSeconds) {
        Response response = Response.fromResponse(ApiResponses.error(429, "too_many_attempts", message, null))
                .header("Retry-After", String.valueOf(retryAfterSeconds))
                .build();
        return new ApiException(message, response, "too_many_attempts");
    }

    /** 405 with {@code Allow}: the path exists, for other methods only. */
    public static ApiException methodNotAllowed(String method, String allow) {
        String message = method + " is not allowed on this path; it allows " + allow + ".";
        Response response = Response.fromResponse(ApiResponses.error(405, "method_not_allowed", message, null))
                .header(HttpHeaders.ALLOW, allow)
                .build();
        return new ApiException(message, response, "method_not_allowed");
    }

    /** 403 {@code insufficient_scope} with the challenge of RFC 6750 §3.1 naming the scope the token lacks. */
    public static ApiException insufficientScope(String realmName, String scope, String message) {
        Response response = Response.fromResponse(ApiResponses.error(403, "insufficient_scope", message, null))
                .header(HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer realm=\"" + realmName + "\", error=\"insufficient_scope\", scope=\"" + scope + "\"")
                .build();
        return new ApiException(message, response, "insufficient_scope");
    }

    /** 401 with the {@code WWW-Authenticate: Bearer} challenge of RFC 6750. */
    public static ApiException unauthorized(String realmName, String code, String message) {
        String challenge = "Bearer realm=\"" + realmName + "\"" + ("missing_credentials".equals(code) ? "" : ", error=\"invalid_token\"");
        Response response = Response.fromResponse(ApiResponses.error(401, code, message, null))
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .build();
        return new ApiException(message, response, code);
    }
}
