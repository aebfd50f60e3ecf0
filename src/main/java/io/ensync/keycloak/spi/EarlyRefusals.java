package io.ensync.keycloak.spi;

import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.ApiResponses;
import io.ensync.keycloak.common.ErrorCode;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.representations.JsonWebToken;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refusals of requests to the extension's paths that Keycloak would otherwise answer with a 500 before any of the
 * extension's code runs (docs/reliability.md, "What it found"), from their headers alone. A pre-matching filter runs
 * before the resource matching (on the event loop: it reads no body), so before AdminRoot authenticates the admin
 * in its sub-resource locator and before the form-body handler Keycloak puts in front of every POST, PUT and PATCH:
 * <ul>
 * <li>a {@code multipart/*} or wildcard {@code Content-Type} on a request that may carry a body: no endpoint of the
 * extension takes one (the form-body handler would parse a multipart body and fail on a malformed one): 415
 * {@code unsupported_media_type};</li>
 * <li>on {@code /admin/realms/{realm}/ensync/…}, a bearer token that is a JWT without {@code iss}: AdminRoot reads the
 * realm from the issuer without a null check: 401 {@code invalid_token}.</li>
 * </ul>
 * A broken {@code %}-escape in a form body needs the body: {@link FormEscapes}. Every other request passes untouched,
 * outside the extension's paths always.
 */
@Provider
@PreMatching
public final class EarlyRefusals implements ContainerRequestFilter {

    /** {@code [admin/]realms/{realm}/ensync[/…]}, after Keycloak's relative path if any. */
    private static final Pattern OWN_PATH = Pattern.compile("(?:^|/)(admin/)?realms/([^/]+)/ensync(?:/|$)");
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+(\\S+)\\s*");

    @Override
    public void filter(ContainerRequestContext request) {
        Matcher own = ownPath(request);
        if (!own.find()) {
            return;
        }
        MediaType type = bodyType(request);
        if (type != null && (type.isWildcardType() || type.isWildcardSubtype() || type.getType().equalsIgnoreCase("multipart"))) {
            request.abortWith(ApiResponses.error(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "This endpoint takes application/json (forms: application/x-www-form-urlencoded).", "Content-Type"));
            return;
        }
        if (own.group(1) != null && issuerMissing(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            request.abortWith(ApiException.unauthorized(own.group(2), ErrorCode.INVALID_TOKEN, "The access token has no issuer.").answer());
        }
    }

    /** Matches (find) when the request is to the extension's paths; group 1 is {@code admin/} on the admin ones. */
    static Matcher ownPath(ContainerRequestContext request) {
        return OWN_PATH.matcher(request.getUriInfo().getRequestUri().getRawPath());
    }

    /** The media type of a request that may carry a body; null for GET, HEAD, OPTIONS, none or one that is no type. */
    static MediaType bodyType(ContainerRequestContext request) {
        return List.of("GET", "HEAD", "OPTIONS").contains(request.getMethod()) ? null : mediaType(request.getHeaderString(HttpHeaders.CONTENT_TYPE));
    }

    /** The request's media type, or null when there is none or it is no media type (the roots refuse that one). */
    private static MediaType mediaType(String header) {
        if (header == null) {
            return null;
        }
        try {
            return MediaType.valueOf(header);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    /** Whether the header holds a bearer JWT that Keycloak can read but that names no issuer. */
    private static boolean issuerMissing(String authorization) {
        Matcher bearer = authorization == null ? null : BEARER.matcher(authorization);
        if (bearer == null || !bearer.matches()) {
            return false;
        }
        try {
            return new JWSInput(bearer.group(1)).readJsonContent(JsonWebToken.class).getIssuer() == null;
        } catch (JWSInputException | RuntimeException unreadable) {
            return false;   // Keycloak refuses it with its own 401
        }
    }
}
