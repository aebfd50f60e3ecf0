package io.ensync.keycloak.common;

import io.ensync.keycloak.spi.EnsyncRealmRoot;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.ensync.keycloak.common.ApiErrors.assertError;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Unknown paths and wrong methods as the API's 404 and 405 (with {@code Allow}), read from JAX-RS annotations. */
class RoutesTest {

    /** A root like the extension's: resource methods, parameters, a sub-resource locator. */
    public static class Root {
        @GET @Path("items") public String list() { return null; }
        @POST @Path("items") public String create() { return null; }
        @GET @Path("items/{id}") public String get() { return null; }
        @PUT @Path("items/{id}") public String put() { return null; }
        @DELETE @Path("items/{id}") public String delete() { return null; }
        @Path("items/{id}/keys") public Keys keys() { return null; }
        @GET @Path("/status/") public String status() { return null; }
        @POST @Path("items/{id}/actions/suspend") public String suspend() { return null; }
        public String notARoute() { return null; }
    }

    public static class Keys {
        @GET public String list() { return null; }
        @POST public String create() { return null; }
        @DELETE @Path("{keyId}") public String revoke() { return null; }
        @Path("{keyId}/history") public History history() { return null; }
    }

    public static class History {
        @GET public String list() { return null; }
    }

    /** {@code realms/{realm}/ensync}: three segments below Keycloak's base lead to the root. */
    private static final int ROOT = 3;

    @ParameterizedTest(name = "{1} {0}")
    @CsvSource({
            "realms/r/ensync/items,                        GET",
            "realms/r/ensync/items,                        POST",
            "realms/r/ensync/items/,                       GET",      // a trailing slash is the same path
            "realms/r/ensync/items/42,                     GET",
            "realms/r/ensync/items/42,                     PUT",
            "realms/r/ensync/items/42,                     DELETE",
            "realms/r/ensync/items/a%2Fb,                  GET",      // an encoded slash stays in its segment
            "realms/r/ensync/items/42/keys,                GET",
            "realms/r/ensync/items/42/keys,                POST",
            "realms/r/ensync/items/42/keys/k1,             DELETE",
            "realms/r/ensync/items/42/keys/k1/history,     GET",
            "realms/r/ensync/items/42/actions/suspend,     POST",
            "realms/r/ensync/status,                       GET",      // a template's own slashes do not count
            "realms/r/ensync/items,                        HEAD",     // HEAD is answered by GET
            "realms/r/ensync/items/42/keys/k1/history,     HEAD",
            "realms/r/ensync/items/42/keys/k1,             OPTIONS",  // OPTIONS on any path that exists
            "realms/r/ensync/items/42/actions/suspend,     OPTIONS",
    })
    void leavesWhatExistsToTheFramework(String path, String method) {
        assertDoesNotThrow(() -> Routes.require(Root.class, ROOT, path, method));
    }

    @ParameterizedTest(name = "{1} {0} -> 405, Allow: {2}")
    @CsvSource(delimiter = '|', value = {
            "realms/r/ensync/items|PUT|GET, POST",
            "realms/r/ensync/items|DELETE|GET, POST",
            "realms/r/ensync/items|PATCH|GET, POST",
            "realms/r/ensync/items/42|POST|DELETE, GET, PUT",
            "realms/r/ensync/items/42|PATCH|DELETE, GET, PUT",
            "realms/r/ensync/items/42/keys|DELETE|GET, POST",
            "realms/r/ensync/items/42/keys/k1|GET|DELETE",
            "realms/r/ensync/items/42/keys/k1|HEAD|DELETE",         // HEAD needs a GET
            "realms/r/ensync/items/42/actions/suspend|GET|POST",
            "realms/r/ensync/status|POST|GET",
            "realms/r/ensync/items|get|GET, POST",                    // methods are case-sensitive
    })
    void answersAWrongMethodWith405(String path, String method, String allow) {
        ApiException e = assertError(405, "method_not_allowed", null, () -> Routes.require(Root.class, ROOT, path, method));
        assertEquals(allow, e.getResponse().getHeaderString("Allow"));
    }

    @ParameterizedTest(name = "{1} {0} -> 404")
    @CsvSource({
            "realms/r/ensync,                              GET",      // the root itself has no resource method
            "realms/r/ensync/,                             GET",
            "realms/r/ensync/nope,                         GET",
            "realms/r/ensync/Items,                        GET",      // literal segments are case-sensitive
            "realms/r/ensync/items/42/extra,               GET",
            "realms/r/ensync/items/42/keys/k1/history/x,   GET",
            "realms/r/ensync/items/42/actions,             POST",
            "realms/r/ensync/items/42/actions/resume,      POST",
            "realms/r/ensync/status/x,                     GET",
            "realms/r/ensync/notARoute,                    GET",
            "realms/r/ensync/nope,                         OPTIONS",  // OPTIONS only where a path exists
            "realms/r/ensync/nope,                         HEAD",
    })
    void answersAnUnknownPathWith404(String path, String method) {
        assertError(404, "not_found", null, () -> Routes.require(Root.class, ROOT, path, method));
    }

    /** The extension's real realm root, as Keycloak hands its path over. */
    @ParameterizedTest(name = "{1} {0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "realms/r/ensync/api/v1/openapi.json|GET|ok",
            "realms/r/ensync/api/v1/openapi.json|HEAD|ok",
            "realms/r/ensync/api/v1/openapi.json|POST|405 GET",
            "realms/r/ensync/api/v1/openapi.yaml|GET|404",
            "realms/r/ensync/api/v2/openapi.json|GET|404",
            "realms/r/ensync/nothing|GET|404",
    })
    void theRealmRoot(String path, String method, String outcome) {
        switch (outcome.split(" ")[0]) {
            case "ok" -> assertDoesNotThrow(() -> Routes.require(EnsyncRealmRoot.class, ROOT, path, method));
            case "405" -> assertEquals(outcome.substring(4), assertError(405, "method_not_allowed", null,
                    () -> Routes.require(EnsyncRealmRoot.class, ROOT, path, method)).getResponse().getHeaderString("Allow"));
            default -> assertError(404, "not_found", null, () -> Routes.require(EnsyncRealmRoot.class, ROOT, path, method));
        }
    }
}
