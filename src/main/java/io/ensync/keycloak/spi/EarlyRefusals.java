package io.ensync.keycloak.spi;

import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.ApiResponses;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.representations.JsonWebToken;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refusals of requests to the extension's paths that Keycloak would otherwise answer with a 500 before any of the
 * extension's code runs (docs/reliability.md, "What it found"). A global request filter runs once the request is
 * matched to Keycloak's root resource, on the worker thread and before the matched method, a sub-resource locator:
 * so before AdminRoot authenticates the admin, and before the form-body handler Keycloak puts in front of every POST,
 * PUT and PATCH method of the extension's resources. (Not {@code @PreMatching}: those run on the event loop, where
 * reading the body is refused.)
 * <ul>
 * <li>a {@code multipart/*} or wildcard {@code Content-Type} on a request that may carry a body: no endpoint of the extension takes one (the form-body
 * handler would parse a multipart body and fail on a malformed one): 415 {@code unsupported_media_type};</li>
 * <li>a form body ({@code application/x-www-form-urlencoded}) with a broken {@code %}-escape: the form-body handler
 * fails to decode it: 400 {@code invalid_form}. The filter reads the body and hands it on unchanged, so the handler
 * parses it as before;</li>
 * <li>on {@code /admin/realms/{realm}/ensync/…}, a bearer token that is a JWT without {@code iss}: AdminRoot reads the
 * realm from the issuer without a null check: 401 {@code invalid_token}.</li>
 * </ul>
 * Every other request passes untouched, outside the extension's paths always.
 */
@Provider
public final class EarlyRefusals implements ContainerRequestFilter {

    /** {@code [admin/]realms/{realm}/ensync[/…]}, after Keycloak's relative path if any. */
    private static final Pattern OWN_PATH = Pattern.compile("(?:^|/)(admin/)?realms/([^/]+)/ensync(?:/|$)");
    /** More than any form of the extension takes (the API's body limit). */
    private static final int MAX_CHECKED = 64 * 1024 + 1;
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+(\\S+)\\s*");

    @Override
    public void filter(ContainerRequestContext request) {
        Matcher own = OWN_PATH.matcher(request.getUriInfo().getRequestUri().getRawPath());
        if (!own.find()) {
            return;
        }
        MediaType type = mediaType(request.getHeaderString(HttpHeaders.CONTENT_TYPE));
        boolean body = type != null && !List.of("GET", "HEAD", "OPTIONS").contains(request.getMethod());
        if (body && (type.isWildcardType() || type.isWildcardSubtype() || type.getType().equalsIgnoreCase("multipart"))) {
            request.abortWith(ApiResponses.error(415, "unsupported_media_type",
                    "This endpoint takes application/json (forms: application/x-www-form-urlencoded).", "Content-Type"));
            return;
        }
        if (body && type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE) && brokenEscape(request)) {
            request.abortWith(ApiResponses.error(400, "invalid_form",
                    "The form body is not URL-encoded: every '%' must be followed by two hexadecimal digits.", null));
            return;
        }
        if (own.group(1) != null && issuerMissing(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            request.abortWith(ApiException.unauthorized(own.group(2), "invalid_token", "The access token has no issuer.").getResponse());
        }
    }

    /** Whether the form body holds a '%' without two hex digits after it; the body is handed on as it was. */
    private static boolean brokenEscape(ContainerRequestContext request) {
        byte[] read;
        InputStream rest = request.getEntityStream();
        try {
            read = rest.readNBytes(MAX_CHECKED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean whole = read.length < MAX_CHECKED;
        request.setEntityStream(whole ? new ByteArrayInputStream(read) : new SequenceInputStream(new ByteArrayInputStream(read), rest));
        if (!whole) {
            return false;   // too large for any form of the extension: its limit answers it
        }
        for (int i = 0; i < read.length; i++) {
            if (read[i] == '%' && (i + 2 >= read.length || Character.digit(read[i + 1], 16) < 0 || Character.digit(read[i + 2], 16) < 0)) {
                return true;
            }
        }
        return false;
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
