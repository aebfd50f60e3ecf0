package io.ensync.keycloak.common;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * A client error answered with the JSON error body of the API ({@code {"status":"error","error":{...}}}).
 * <p>
 * Building one changes nothing: the request is rolled back where the error is answered — by
 * {@code spi.ApiExceptionMapper} for the JSON APIs (JAX-RS hands it every ApiException that leaves a resource) and by
 * the portal's guard ({@code PortalRequest.run}) for its pages — so a request answered with an error changes nothing,
 * wherever in the request the error was found, and code that catches one and carries on is not rolled back behind its
 * back. The exception's own response has the status and headers but no entity ({@link #answer()} has both): JAX-RS
 * sends an exception's response that has an entity as it is, past every mapper.
 */
public class ApiException extends WebApplicationException {

    private final ErrorCode error;
    private final String field;
    private final transient Response answer;

    private ApiException(ErrorCode error, String message, String field) {
        this(message, ApiResponses.error(error, message, field), error, field);
    }

    private ApiException(String message, Response answer, ErrorCode error, String field) {
        super(message, Response.fromResponse(answer).entity(null).build());
        this.answer = answer;
        this.error = error;
        this.field = field;
    }

    /** The response that answers it: status, headers and the error body. */
    public Response answer() {
        return answer;
    }

    public String code() {
        return error.code();
    }

    public String field() {
        return field;
    }

    public static ApiException of(ErrorCode error, String message) {
        return new ApiException(error, message, null);
    }

    /** The error with the body member or parameter it is about ({@code error.field}). */
    public static ApiException of(ErrorCode error, String message, String field) {
        return new ApiException(error, message, field);
    }

    public static ApiException invalid(String field, String message) {
        return of(ErrorCode.INVALID_VALUE, message, field);
    }

    public static ApiException notFound(String what) {
        return of(ErrorCode.NOT_FOUND, what + " not found.");
    }

    /** 429 with {@code Retry-After}. */
    public static ApiException tooManyAttempts(String message, long retryAfterSeconds) {
        Response response = Response.fromResponse(ApiResponses.error(ErrorCode.TOO_MANY_ATTEMPTS, message, null))
                .header("Retry-After", String.valueOf(retryAfterSeconds))
                .build();
        return new ApiException(message, response, ErrorCode.TOO_MANY_ATTEMPTS, null);
    }

    /** 405 with {@code Allow}: the path exists, for other methods only. */
    public static ApiException methodNotAllowed(String method, String allow) {
        String message = method + " is not allowed on this path; it allows " + allow + ".";
        Response response = Response.fromResponse(ApiResponses.error(ErrorCode.METHOD_NOT_ALLOWED, message, null))
                .header(HttpHeaders.ALLOW, allow)
                .build();
        return new ApiException(message, response, ErrorCode.METHOD_NOT_ALLOWED, null);
    }

    /** 403 {@code insufficient_scope} with the challenge of RFC 6750 §3.1 naming the scope the token lacks. */
    public static ApiException insufficientScope(String realmName, String scope, String message) {
        Response response = Response.fromResponse(ApiResponses.error(ErrorCode.INSUFFICIENT_SCOPE, message, null))
                .header(HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer realm=\"" + realmName + "\", error=\"insufficient_scope\", scope=\"" + scope + "\"")
                .build();
        return new ApiException(message, response, ErrorCode.INSUFFICIENT_SCOPE, null);
    }

    /** 401 with the {@code WWW-Authenticate: Bearer} challenge of RFC 6750. */
    public static ApiException unauthorized(String realmName, ErrorCode error, String message) {
        String challenge = "Bearer realm=\"" + realmName + "\"" + (error == ErrorCode.MISSING_CREDENTIALS ? "" : ", error=\"invalid_token\"");
        Response response = Response.fromResponse(ApiResponses.error(error, message, null))
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .build();
        return new ApiException(message, response, error, null);
    }
}
