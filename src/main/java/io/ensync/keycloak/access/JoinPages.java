package io.ensync.keycloak.access;

import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Secrets;
import io.ensync.keycloak.integration.IntegrationEntity;
import io.ensync.keycloak.integration.IntegrationService;
import io.ensync.keycloak.integration.JoinField;
import io.ensync.keycloak.portal.PortalPages;
import io.ensync.keycloak.portal.PortalSessions;
import io.ensync.keycloak.throttle.FailureThrottle;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /realms/{realm}/ensync/portal/join}: an integration's public join page and the contact's verification page
 * (SPEC §15). Opening a page changes nothing (mail scanners open links); each form is CSRF-protected by the portal's
 * start cookie. Submissions are throttled per address and per integration, verification tokens like link ids.
 */
public class JoinPages {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final PortalSessions sessions;
    private final AccessRequestService requests;

    public JoinPages(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.sessions = new PortalSessions(session, realm);
        this.requests = new AccessRequestService(session, realm);
    }

    @GET
    @Path("{ref}")
    public Response page(@PathParam("ref") String ref) {
        PortalPages pages = new PortalPages(session, realm);
        return guard(pages, "joinNotFound", () -> form(pages, integration(pages, ref), 200, Map.of(), null));
    }

    @POST
    @Path("{ref}")
    public Response submit(@PathParam("ref") String ref) {
        PortalPages pages = new PortalPages(session, realm);
        return guard(pages, "joinNotFound", () -> {
            FailureThrottle.refuseIfBlocked(session, realm, FailureThrottle.Kind.JOIN_FROM_ADDRESS);
            IntegrationEntity integration = integration(pages, ref);
            FailureThrottle.refuseIfBlocked(session, realm, FailureThrottle.Kind.JOIN_OF_INTEGRATION, integration.getId());
            MultivaluedMap<String, String> form = form();
            if (!sessions.startTokenMatches(form.getFirst("csrf"))) {
                return pages.message(403, "formExpired", null);
            }
            FailureThrottle.attempt(session, realm, FailureThrottle.Kind.JOIN_FROM_ADDRESS);
            FailureThrottle.attempt(session, realm, FailureThrottle.Kind.JOIN_OF_INTEGRATION, integration.getId());
            Map<String, String> answers = new HashMap<>();
            for (JoinField question : integration.getJoinFields()) {
                answers.put(question.key(), form.getFirst("field." + question.key()));
            }
            AccessRequestService.Submission submission = new AccessRequestService.Submission(form.getFirst("appName"),
                    form.getFirst("appDescription"), form.getFirst("contactEmail"), answers);
            try {
                requests.submit(integration, submission, locale(), pages.portalUrl() + "/join/verify");
            } catch (ApiException e) {
                if (e.getResponse().getStatus() != 400) {
                    throw e;
                }
                return form(pages, integration, 400, form, e);
            }
            return pages.message(200, "joinSent", null);
        });
    }

    @GET
    @Path("verify/{token}")
    public Response verifyPage(@PathParam("token") String token) {
        PortalPages pages = new PortalPages(session, realm);
        return guard(pages, "verifyNotFound", () -> {
            AccessRequestEntity request = ofToken(pages, token);
            if (request.getStatus() != AccessRequestStatus.UNVERIFIED) {
                return pages.message(200, "verifyUsed", null);
            }
            Map<String, Object> data = branding(integrationOf(request));
            data.put("appName", request.getAppName());
            data.put("startToken", PortalSessions.startToken(startSecret(pages)));
            data.put("formAction", pages.portalUrl() + "/join/verify/" + token);
            return pages.page(200, "portal-join-verify.ftl", data);
        });
    }

    @POST
    @Path("verify/{token}")
    public Response verify(@PathParam("token") String token) {
        PortalPages pages = new PortalPages(session, realm);
        return guard(pages, "verifyNotFound", () -> {
            ofToken(pages, token);
            if (!sessions.startTokenMatches(form().getFirst("csrf"))) {
                return pages.message(403, "formExpired", null);
            }
            requests.verify(token);
            return pages.message(200, "verified", null);
        });
    }

    /** The integration of a join page, framed for it; 404 unless it takes access requests. */
    private IntegrationEntity integration(PortalPages pages, String ref) {
        IntegrationEntity integration = new IntegrationService(session, realm).findForJoinPage(ref);
        AccessRequestService.requireAccepting(integration);
        pages.framedFor(integration);
        return integration;
    }

    /** The request of a verification token, blocked addresses refused first and unknown tokens counted as guesses. */
    private AccessRequestEntity ofToken(PortalPages pages, String token) {
        FailureThrottle.refuseIfBlocked(session, realm, FailureThrottle.Kind.LINK);
        AccessRequestEntity request;
        try {
            request = requests.ofToken(token);
        } catch (ApiException e) {
            // A well-formed unknown token is a guess, counted like an unknown link id; anything else is just unknown.
            throw e.getResponse().getStatus() == 404 && Secrets.looksLike(AccessRequestService.TOKEN_PREFIX, token)
                    ? FailureThrottle.failed(session, realm, FailureThrottle.Kind.LINK, e) : e;
        }
        pages.framedFor(integrationOf(request));
        return request;
    }

    private IntegrationEntity integrationOf(AccessRequestEntity request) {
        return Jpa.em(session).find(IntegrationEntity.class, request.getIntegrationId());
    }

    private Response form(PortalPages pages, IntegrationEntity integration, int status, Map<String, ?> given, ApiException error) {
        Map<String, Object> data = branding(integration);
        data.put("startToken", PortalSessions.startToken(startSecret(pages)));
        data.put("formAction", pages.portalUrl() + "/join/" + (integration.getJoinSlug() == null ? integration.getId() : integration.getJoinSlug()));
        data.put("appNameValue", value(given, "appName"));
        data.put("appDescriptionValue", value(given, "appDescription"));
        data.put("contactEmailValue", value(given, "contactEmail"));
        List<Map<String, Object>> questions = new ArrayList<>();
        for (JoinField question : integration.getJoinFields()) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("name", "field." + question.key());
            q.put("label", question.label());
            q.put("required", question.required());
            q.put("value", value(given, "field." + question.key()));
            q.put("error", error != null && ("fields." + question.key()).equals(error.field()));
            questions.add(q);
        }
        data.put("questions", questions);
        if (error != null) {
            data.put("errorField", error.field() == null ? "" : error.field());
            data.put("errorMessage", error.getMessage());
        }
        return pages.page(status, "portal-join.ftl", data);
    }

    private String startSecret(PortalPages pages) {
        String secret = sessions.startSecret();
        pages.cookie(PortalSessions.START_COOKIE, secret);
        return secret;
    }

    private static String value(Map<String, ?> given, String name) {
        Object value = given.get(name);
        if (value instanceof List<?> list) {
            value = list.isEmpty() ? null : list.get(0);
        }
        return value == null ? "" : value.toString();
    }

    /** The integration as its join page shows it: name, description, colour and icon (validated when set). */
    private static Map<String, Object> branding(IntegrationEntity integration) {
        Map<String, Object> data = new HashMap<>();
        data.put("integrationName", integration.getName());
        data.put("integrationDescription", integration.getDescription() == null ? "" : integration.getDescription());
        data.put("byKey", "joinBy");
        data.put("appName", "");
        if (integration.getColor() != null) {
            data.put("color", integration.getColor());
        }
        if (integration.getIcon() != null) {
            data.put("icon", integration.getIcon());
        }
        data.put("signedIn", false);
        return data;
    }

    private Locale locale() {
        Locale resolved = session.getContext().resolveLocale(null);
        return resolved == null ? Locale.ENGLISH : resolved;
    }

    private MultivaluedMap<String, String> form() {
        return session.getContext().getHttpRequest().getDecodedFormParameters();
    }

    /** Runs a handler; a service error answers its message page (with Retry-After where it has one), nothing of it kept. */
    private Response guard(PortalPages pages, String notFoundKey, Supplier<Response> handler) {
        Response response;
        try {
            response = handler.get();
        } catch (ApiException e) {
            Response page = pages.message(e.getResponse().getStatus(),
                    "not_found".equals(e.code()) ? notFoundKey : messageKey(e.code()), null);
            String retryAfter = e.getResponse().getHeaderString("Retry-After");
            return retryAfter == null ? page : Response.fromResponse(page).header("Retry-After", retryAfter).build();
        }
        if (response.getStatus() >= 400) {
            session.getTransactionManager().setRollbackOnly();
        }
        return response;
    }

    private static String messageKey(String code) {
        return switch (code == null ? "" : code) {
            case "link_expired" -> "verifyExpired";
            case "link_used" -> "verifyUsed";
            case "too_many_attempts" -> "tooManyAttempts";
            case "mail_unavailable" -> "mailUnavailable";
            case "access_request_limit" -> "accessRequestLimit";
            default -> "requestFailed";
        };
    }
}
