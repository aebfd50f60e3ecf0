package io.ensync.keycloak.common;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The error envelope (SPEC §3) and the headers some errors carry. */
class ApiExceptionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "of with field|400|{\"status\":\"error\",\"error\":{\"code\":\"invalid_key\",\"message\":\"m\",\"field\":\"f\"}}",
            "invalid|400|{\"status\":\"error\",\"error\":{\"code\":\"invalid_value\",\"message\":\"m\",\"field\":\"f\"}}",
            "notFound|404|{\"status\":\"error\",\"error\":{\"code\":\"not_found\",\"message\":\"Partner not found.\"}}",
            "of|409|{\"status\":\"error\",\"error\":{\"code\":\"partner_suspended\",\"message\":\"m\"}}",
            "of 403|403|{\"status\":\"error\",\"error\":{\"code\":\"partner_suspended\",\"message\":\"m\"}}",
            "of 410|410|{\"status\":\"error\",\"error\":{\"code\":\"link_used\",\"message\":\"m\"}}",
    })
    void envelope(String kind, int status, String body) {
        ApiException e = switch (kind) {
            case "of with field" -> ApiException.of(ErrorCode.MALFORMED_KEY, "m", "f");
            case "invalid" -> ApiException.invalid("f", "m");
            case "notFound" -> ApiException.notFound("Partner");
            case "of" -> ApiException.of(ErrorCode.PARTNER_SUSPENDED_CONFLICT, "m");
            case "of 403" -> ApiException.of(ErrorCode.PARTNER_SUSPENDED, "m");
            default -> ApiException.of(ErrorCode.LINK_USED, "m");
        };
        Response response = e.answer();
        assertEquals(status, response.getStatus());
        assertEquals(body, response.getEntity());
        // Its own response has no entity: JAX-RS sends one with an entity as it is, past ApiExceptionMapper (the rollback).
        assertEquals(status, e.getResponse().getStatus());
        assertNull(e.getResponse().getEntity());
        assertEquals("application/json;charset=UTF-8", response.getMediaType().toString().replace(" ", ""));
        // Answers can carry secrets shown once (its rendering is the JAX-RS runtime's).
        List<String> cacheControl = List.of(response.getHeaderString("Cache-Control").split(",\\s*"));
        assertTrue(cacheControl.containsAll(List.of("no-store", "no-cache")), cacheControl.toString());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "MISSING_CREDENTIALS|Bearer realm=\"acme\"",
            "INVALID_TOKEN|Bearer realm=\"acme\", error=\"invalid_token\"",
            "INVALID_KEY|Bearer realm=\"acme\", error=\"invalid_token\"",
    })
    void unauthorizedChallenges(ErrorCode error, String challenge) {
        ApiException e = ApiException.unauthorized("acme", error, "m");
        assertEquals(401, e.getResponse().getStatus());
        assertEquals(error.code(), e.code());
        assertEquals(challenge, e.getResponse().getHeaderString("WWW-Authenticate"));
    }

    @Test
    void tooManyAttemptsSaysWhenToRetry() {
        ApiException e = ApiException.tooManyAttempts("m", 42);
        assertEquals(429, e.getResponse().getStatus());
        assertEquals("too_many_attempts", e.code());
        assertEquals("42", e.getResponse().getHeaderString("Retry-After"));
    }

    @Test
    void methodNotAllowedSaysWhatIsAllowed() {
        ApiException e = ApiException.methodNotAllowed("PATCH", "GET, PUT");
        assertEquals(405, e.getResponse().getStatus());
        assertEquals("GET, PUT", e.getResponse().getHeaderString("Allow"));
        assertEquals("PATCH is not allowed on this path; it allows GET, PUT.", e.getMessage());
    }

    @Test
    void pagesCarryTheirBounds() {
        Response response = ApiResponses.page(List.of("a"), new Paging(10, 20));
        assertEquals("{\"status\":\"success\",\"data\":[\"a\"],\"first\":10,\"max\":20}", response.getEntity());
    }
}
