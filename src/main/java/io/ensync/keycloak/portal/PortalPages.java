package io.ensync.keycloak.portal;

import io.ensync.keycloak.common.Secrets;
import io.ensync.keycloak.integration.IntegrationEntity;
import jakarta.ws.rs.core.Response;
import org.keycloak.common.Version;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.BrowserSecurityHeaders;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.theme.FreeMarkerException;
import org.keycloak.theme.Theme;
import org.keycloak.theme.freemarker.FreeMarkerProvider;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Renders portal pages through Keycloak's theme machinery (theme {@value #THEME}, FreeMarker with HTML
 * auto-escaping) from typed page models and sets the headers every portal answer carries: CSP with the integration's frame ancestors,
 * no-store, no-referrer, nosniff, {@code X-Robots-Tag: none}, the realm's HSTS on https, and the portal cookies.
 */
public class PortalPages {

    public static final String THEME = "ensync-portal";
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final List<String> cookies = new ArrayList<>();
    private IntegrationEntity integration;

    public PortalPages(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** Whose embedding rules apply: the integration's allowedEmbedOrigins may frame the page; unknown → none. */
    public PortalPages framedFor(IntegrationEntity integration) {
        this.integration = integration;
        return this;
    }

    public String portalPath() {
        return session.getContext().getUri().getBaseUriBuilder()
                .path("realms").path(realm.getName()).path("ensync").path("portal").build().getRawPath();
    }

    public String portalUrl() {
        return session.getContext().getUri().getBaseUriBuilder()
                .path("realms").path(realm.getName()).path("ensync").path("portal").build().toString();
    }

    private boolean https() {
        return "https".equalsIgnoreCase(session.getContext().getUri().getBaseUri().getScheme());
    }

    /**
     * HttpOnly always. On https {@code SameSite=None; Secure; Partitioned}, so that the portal works in an allowed
     * cross-site iframe (CHIPS keeps it working where third-party cookies are blocked); on plain http browsers refuse
     * SameSite=None without Secure, so {@code Lax}.
     */
    public PortalPages cookie(String name, String value) {
        cookies.add(cookieHeader(name, value, false));
        return this;
    }

    public PortalPages clearCookie(String name) {
        cookies.add(cookieHeader(name, "", true));
        return this;
    }

    private String cookieHeader(String name, String value, boolean clear) {
        StringBuilder header = new StringBuilder(name).append('=').append(value)
                .append("; Path=").append(portalPath()).append("; HttpOnly");
        header.append(https() ? "; Secure; SameSite=None; Partitioned" : "; SameSite=Lax");
        if (clear) {
            header.append("; Max-Age=0");
        }
        return header.toString();
    }

    /**
     * Keycloak's own choice, as on its login pages: ui_locales, kc_locale, the locale cookie, Accept-Language, the
     * realm's default locale, among the realm's supported locales (theme.properties' locales: en, de).
     */
    public Locale locale() {
        Locale resolved = session.getContext().resolveLocale(null);
        return resolved == null ? Locale.ENGLISH : resolved;
    }

    /** A time as the pages show it. */
    public static String shown(String iso) {
        return iso == null ? null : SHOWN.format(Instant.parse(iso));
    }

    /**
     * A rendered page with the given status. Its values are the components of the models (typed records), later
     * ones winning; a nested record becomes a hash of its components, a list a sequence, and a null is left out.
     */
    public Response page(int status, String template, Record... models) {
        String nonce = Secrets.newSecret("");
        Theme theme;
        Properties messages;
        Locale locale = locale();
        try {
            theme = session.theme().getTheme(THEME, Theme.Type.LOGIN);
            messages = theme.getEnhancedMessages(realm, locale);
        } catch (IOException e) {
            throw new IllegalStateException("The portal theme " + THEME + " cannot be loaded", e);
        }
        Map<String, Object> data = new HashMap<>();
        for (Record model : models) {
            data.putAll(templateValues(model));
        }
        Map<String, String> msg = new HashMap<>();
        messages.forEach((k, v) -> msg.put(String.valueOf(k), String.valueOf(v)));
        data.put("msg", msg);
        data.put("lang", locale.toLanguageTag());
        data.put("nonce", nonce);
        data.put("resourcesUrl", session.getContext().getUri().getBaseUriBuilder()
                .path("resources").path(Version.RESOURCES_VERSION).path("login").path(THEME).build().toString());
        data.put("portalUrl", portalUrl());
        String html;
        try {
            html = session.getProvider(FreeMarkerProvider.class).processTemplate(data, template, theme);
        } catch (FreeMarkerException e) {
            throw new IllegalStateException("The portal template " + template + " failed", e);
        }
        Response.ResponseBuilder builder = Response.status(status).type("text/html; charset=utf-8").entity(html);
        return withHeaders(builder, nonce).build();
    }

    /**
     * A message page: {@code key}Title and {@code key}Text of the bundle, with an optional detail line (the API's
     * English sentence, for what the bundle cannot name).
     */
    public Response message(int status, String key, String detail) {
        return page(status, "portal-message.ftl", new Message(key + "Title", key + "Text", detail, status));
    }

    private record Message(String titleKey, String textKey, String detail, int status) {
    }

    private static Map<String, Object> templateValues(Record model) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (RecordComponent component : model.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(model);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("The page model " + model.getClass().getName() + " cannot be read", e);
            }
            if (value != null) {
                values.put(component.getName(), templateValue(value));
            }
        }
        return values;
    }

    private static Object templateValue(Object value) {
        if (value instanceof Record model) {
            return templateValues(model);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(PortalPages::templateValue).toList();
        }
        return value;
    }

    /** A 303 to another portal page (after a POST that shows nothing once). */
    public Response redirect(String relativePath) {
        return withHeaders(Response.seeOther(java.net.URI.create(portalUrl() + "/" + relativePath)), null).build();
    }

    private Response.ResponseBuilder withHeaders(Response.ResponseBuilder builder, String nonce) {
        // Keycloak's default security headers would replace our CSP (and its frame-ancestors) with the realm's.
        session.getProvider(SecurityHeadersProvider.class).options().skipHeaders();
        builder.header("Content-Security-Policy", csp(nonce))
                .header("Cache-Control", "no-store, no-cache")
                .header("Pragma", "no-cache")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Robots-Tag", "none");
        // The two of Keycloak's headers that skipping them would otherwise lose; HSTS as the realm configures it.
        String hsts = realm.getBrowserSecurityHeaders().get(BrowserSecurityHeaders.STRICT_TRANSPORT_SECURITY.getKey());
        if (https() && hsts != null && !hsts.isBlank()) {
            builder.header(BrowserSecurityHeaders.STRICT_TRANSPORT_SECURITY.getHeaderName(), hsts);
        }
        for (String cookie : cookies) {
            builder.header("Set-Cookie", cookie);
        }
        return builder;
    }

    /**
     * Everything from our own origin only; images may also be https (the partner's icon is an https URL); the one
     * inline style element (the partner's validated colour) carries a per-answer nonce.
     */
    private String csp(String nonce) {
        List<String> origins = integration == null ? List.of() : integration.getEmbedOrigins();
        String ancestors = origins.isEmpty() ? "'none'" : String.join(" ", origins);
        return "default-src 'self'; script-src 'self'; style-src 'self'" + (nonce == null ? "" : " 'nonce-" + nonce + "'")
                + "; img-src 'self' https: data:; connect-src 'self'; object-src 'none'; base-uri 'none'"
                + "; form-action 'self'; frame-ancestors " + ancestors;
    }
}
