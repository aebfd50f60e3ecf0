package io.ensync.keycloak.common;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.UriInfo;
import org.keycloak.models.KeycloakSession;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unknown paths and wrong methods under the extension's roots, answered with the API's JSON error (SPEC §3) instead
 * of the framework's generic 404/405 body. Checked when Keycloak asks a root provider for its resource — for the
 * admin root that is after Keycloak's admin authentication — and nowhere else, so no other Keycloak endpoint changes.
 * <p>
 * The routes are read from the same JAX-RS annotations the framework routes by (resource methods and sub-resource
 * locators, templates of literal segments and {@code {name}} parameters), so they cannot drift from the resources.
 * The check errs on the side of the framework: whatever might match is left to it.
 */
public final class Routes {

    private static final Map<Class<?>, List<Route>> ROUTES = new ConcurrentHashMap<>();

    private Routes() {
    }

    /** A resource method ({@code method} set) or a sub-resource locator (into {@code target}). */
    private record Route(List<String> template, String method, Class<?> target) {
    }

    /**
     * Throws 404 {@code not_found} when no resource under {@code root} has the request's path, 405
     * {@code method_not_allowed} with {@code Allow} when it has the path for other methods only.
     *
     * @param rootSegments how many path segments below Keycloak's base lead to the root (its last is the root's own)
     */
    public static void require(KeycloakSession session, Class<?> root, int rootSegments) {
        // The framework's own view of the request (no hostname rewriting), encoded as it matches: "a%2Fb" is one
        // segment (an id), not two.
        UriInfo uri = session.getContext().getUri().getDelegate();
        require(root, rootSegments, uri.getBaseUri().relativize(uri.getRequestUri()).getRawPath(),
                session.getContext().getHttpRequest().getHttpMethod());
    }

    /** {@link #require(KeycloakSession, Class, int)} for a raw path below Keycloak's base and an HTTP method. */
    static void require(Class<?> root, int rootSegments, String rawPath, String method) {
        // split() drops a trailing empty segment: "a/b/" is "a/b", as to the framework.
        List<String> all = List.of(rawPath.split("/"));
        List<String> rest = all.subList(rootSegments, all.size());
        Set<String> allowed = new TreeSet<>();
        collect(root, rest, allowed);
        // HEAD is answered by GET; OPTIONS by the framework, on any path that exists.
        if (allowed.contains(method) || ("HEAD".equals(method) && allowed.contains("GET"))
                || ("OPTIONS".equals(method) && !allowed.isEmpty())) {
            return;
        }
        if (allowed.isEmpty()) {
            throw ApiException.notFound("Path");
        }
        throw ApiException.methodNotAllowed(method, String.join(", ", allowed));
    }

    /** Adds the HTTP methods of every resource method under {@code resource} whose template matches {@code path}. */
    private static void collect(Class<?> resource, List<String> path, Collection<String> methods) {
        for (Route route : ROUTES.computeIfAbsent(resource, Routes::read)) {
            int n = route.template().size();
            if (n > path.size() || !matches(route.template(), path.subList(0, n))) {
                continue;
            }
            if (route.method() == null) {
                collect(route.target(), path.subList(n, path.size()), methods);
            } else if (n == path.size()) {
                methods.add(route.method());
            }
        }
    }

    private static boolean matches(List<String> template, List<String> segments) {
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            if (!(t.startsWith("{") && t.endsWith("}")) && !t.equals(segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static List<Route> read(Class<?> resource) {
        List<Route> routes = new ArrayList<>();
        for (Method m : resource.getMethods()) {
            Path path = m.getAnnotation(Path.class);
            String method = httpMethod(m);
            if (method != null || path != null) {
                List<String> template = path == null ? List.of()
                        : Arrays.stream(path.value().split("/")).filter(s -> !s.isEmpty()).toList();
                routes.add(new Route(template, method, method == null ? m.getReturnType() : null));
            }
        }
        return routes;
    }

    private static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod designator = a.annotationType().getAnnotation(HttpMethod.class);
            if (designator != null) {
                return designator.value();
            }
        }
        return null;
    }
}
