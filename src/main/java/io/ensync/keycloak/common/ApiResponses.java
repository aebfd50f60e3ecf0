package io.ensync.keycloak.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** The JSON envelope of every API answer (SPEC §3). */
public final class ApiResponses {

    public static final MediaType JSON = MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8");

    /**
     * What the API's resources declare to consume: any application/ or text/ type, so that {@code Json.read} answers
     * a wrong one with the API's own 415. Multipart bodies are left out on purpose: the framework would parse them
     * before the resource runs (and fail on a malformed one); it refuses them with its own 415 instead.
     */
    public static final String ANY_APPLICATION = "application/*";
    public static final String ANY_TEXT = "text/*";

    /** Answers can carry secrets shown once: no cache may keep them. */
    private static final CacheControl NO_STORE;

    static {
        NO_STORE = new CacheControl();
        NO_STORE.setNoStore(true);
        NO_STORE.setNoCache(true);
    }

    private ApiResponses() {
    }

    public record Success(String status, Object data) {
    }

    public record Page(String status, Object data, int first, int max) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorBody(String code, String message, String field) {
    }

    public record Failure(String status, ErrorBody error) {
    }

    public static Response ok(Object data) {
        return json(200, new Success("success", data));
    }

    public static Response created(Object data) {
        return json(201, new Success("success", data));
    }

    /** 201 with a {@code Location} of the new resource, as Keycloak's admin API answers (kcadm reads it). */
    public static Response created(java.net.URI location, Object data) {
        return Response.fromResponse(created(data)).location(location).build();
    }

    public static Response page(List<?> items, Paging paging) {
        return json(200, new Page("success", items, paging.first(), paging.max()));
    }

    public static Response error(ErrorCode error, String message, String field) {
        return json(error.status(), new Failure("error", new ErrorBody(error.code(), message, field)));
    }

    public static Response json(int status, Object body) {
        return Response.status(status).type(JSON).cacheControl(NO_STORE).entity(Json.write(body)).build();
    }
}
