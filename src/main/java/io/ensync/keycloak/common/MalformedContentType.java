package io.ensync.keycloak.common;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.BrowserSecurityHeaders;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.List;
import java.util.Map;

/**
 * A {@code Content-Type} that is not a media type at all ({@code application/json, text/plain}, {@code ;;}) is refused
 * at the extension's roots with the API's 415, before any resource runs.
 * <p>
 * Why here and not in {@link Json}: Keycloak's security-headers response filter parses the request's content type for
 * every answer and turns the parse failure into a 500, whatever the resource answered. So the refusal tells that
 * filter to skip, and adds the headers it would have added to a JSON answer itself.
 */
public final class MalformedContentType {

    private static final List<BrowserSecurityHeaders> REST_HEADERS = List.of(BrowserSecurityHeaders.STRICT_TRANSPORT_SECURITY,
            BrowserSecurityHeaders.X_FRAME_OPTIONS, BrowserSecurityHeaders.X_CONTENT_TYPE_OPTIONS,
            BrowserSecurityHeaders.REFERRER_POLICY, BrowserSecurityHeaders.X_ROBOTS_TAG);

    private MalformedContentType() {
    }

    /** Throws the 415 when the request's {@code Content-Type} cannot be parsed; does nothing otherwise. */
    public static void refuse(KeycloakSession session) {
        String raw = session.getContext().getRequestHeaders().getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (raw == null) {
            return;
        }
        try {
            MediaType.valueOf(raw);
            return;
        } catch (IllegalArgumentException malformed) {
            // answered below
        }
        SecurityHeadersProvider headers = session.getProvider(SecurityHeadersProvider.class);
        if (headers != null) {
            headers.options().skipHeaders();
        }
        Response.ResponseBuilder answer = Response.fromResponse(ApiResponses.error(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The Content-Type header is not a media type; send Content-Type: application/json.", "Content-Type"));
        RealmModel realm = session.getContext().getRealm();
        Map<String, String> configured = realm == null ? Map.of() : realm.getBrowserSecurityHeaders();
        for (BrowserSecurityHeaders header : REST_HEADERS) {
            String value = configured.getOrDefault(header.getKey(), header.getDefaultValue());
            if (value != null && !value.isEmpty()) {
                answer.header(header.getHeaderName(), value);
            }
        }
        throw new WebApplicationException(answer.build());
    }
}
