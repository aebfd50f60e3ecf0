package io.ensync.keycloak.access;

import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.ErrorCode;
import io.ensync.keycloak.common.Secrets;
import io.ensync.keycloak.integration.IntegrationEntity;
import io.ensync.keycloak.integration.IntegrationService;
import io.ensync.keycloak.integration.JoinField;
import io.ensync.keycloak.portal.PortalPages;
import io.ensync.keycloak.portal.PortalRequest;
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
import java.util.List;
import java.util.Map;

/**
 * {@code /realms/{realm}/ensync/portal/join}: an integration's public join page and the contact's verification page
 * (SPEC §15). Opening a page changes nothing (mail scanners open links); each form is CSRF-protected by the portal's
 * start cookie. Submissions are throttled per address and per integration, verification tokens like link ids.
 */
public class JoinPages {

    /** The page model: the integration's frame, its form as given and the refusal of a submission, if any. */
    public record Frame(String integrationName, String integrationDescription, String byKey, String appName, String color,
                        String icon, boolean signedIn) {
    }

    public record Form(String startToken, String formAction, String appNameValue, String appDescriptionValue,
                       String contactEmailValue, List<Question> questions, String errorField, String errorMessage) {
    }

    public record Question(String name, String label, boolean required, String value, boolean error) {
    }

    public record Verify(String startToken, String formAction) {
    }

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AccessRequestService requests;

    public JoinPages(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.requests = new AccessRequestService(session, realm);
    }

    @GET
    @Path("{ref}")
    public Response page(@PathParam("ref") String ref) {
        PortalRequest request = request("joinNotFound");
        return request.run(() -> form(request, integration(request, ref), 200, Map.of(), null));
    }

    @POST
    @Path("{ref}")
    public Response submit(@PathParam("ref") String ref) {
        PortalRequest request = request("joinNotFound");
        return request.run(() -> {
            FailureThrottle.refuseIfBlocked(session, realm, FailureThrottle.Kind.JOIN_FROM_ADDRESS);
            IntegrationEntity integration = integration(request, ref);
            FailureThrottle.refuseIfBlocked(session, realm, FailureThrottle.Kind.JOIN_OF_INTEGRATION, integration.getId());
            MultivaluedMap<String, String> form = request.form();
            request.requireStartToken();
            FailureThrottle.attempt(session, realm, FailureThrottle.Kind.JOIN_FROM_ADDRESS);
            FailureThrottle.attempt(session, realm, FailureThrottle.Kind.JOIN_OF_INTEGRATION, integration.getId());
            Map<String, String> answers = new HashMap<>();
            for (JoinField question : integration.getJoinFields()) {
                answers.put(question.key(), form.getFirst("field." + question.key()));
            }
            AccessRequestService.Submission submission = new AccessRequestService.Submission(form.getFirst("appName"),
                    form.getFirst("appDescription"), form.getFirst("contactEmail"), answers);
            PortalPages pages = request.pages();
            try {
                requests.submit(integration, submission, pages.locale(), pages.portalUrl() + "/join/verify");
            } catch (ApiException e) {
                if (e.getResponse().getStatus() != 400) {
                    throw e;
                }
                return form(request, integration, 400, form, e);
            }
            return pages.message(200, "joinSent", null);
        });
    }

    @GET
    @Path("verify/{token}")
    public Response verifyPage(@PathParam("token") String token) {
        PortalRequest request = request("verifyNotFound");
        return request.run(() -> {
            AccessRequestEntity entity = ofToken(request, token);
            if (entity.getStatus() != AccessRequestStatus.UNVERIFIED) {
                return request.pages().message(200, "verifyUsed", null);
            }
            Frame frame = frame(requests.integrationOf(entity), entity.getAppName());
            Verify verify = new Verify(request.startToken(), request.pages().portalUrl() + "/join/verify/" + token);
            return request.pages().page(200, "portal-join-verify.ftl", frame, verify);
        });
    }

    @POST
    @Path("verify/{token}")
    public Response verify(@PathParam("token") String token) {
        PortalRequest request = request("verifyNotFound");
        return request.run(() -> {
            ofToken(request, token);
            request.requireStartToken();
            requests.verify(token);
            return request.pages().message(200, "verified", null);
        });
    }

    /** The one portal guard, with the join pages' messages: not_found names the page that was not found. */
    private PortalRequest request(String notFoundKey) {
        return new PortalRequest(session, realm, new PortalRequest.Messages(Map.of(
                ErrorCode.NOT_FOUND.code(), notFoundKey,
                ErrorCode.LINK_EXPIRED.code(), "verifyExpired",
                ErrorCode.LINK_USED.code(), "verifyUsed",
                ErrorCode.TOO_MANY_ATTEMPTS.code(), "tooManyAttempts",
                ErrorCode.MAIL_UNAVAILABLE.code(), "mailUnavailable",
                ErrorCode.ACCESS_REQUEST_LIMIT.code(), "accessRequestLimit"), false));
    }

    /** The integration of a join page, framed for it; 404 unless it takes access requests. */
    private IntegrationEntity integration(PortalRequest request, String ref) {
        IntegrationEntity integration = new IntegrationService(session, realm).findForJoinPage(ref);
        AccessRequestService.requireAccepting(integration);
        request.pages().framedFor(integration);
        return integration;
    }

    /** The request of a verification token, blocked addresses refused first and unknown tokens counted as guesses. */
    private AccessRequestEntity ofToken(PortalRequest request, String token) {
        FailureThrottle.refuseIfBlocked(session, realm, FailureThrottle.Kind.LINK);
        AccessRequestEntity entity;
        try {
            entity = requests.ofToken(token);
        } catch (ApiException e) {
            // A well-formed unknown token is a guess, counted like an unknown link id; anything else is just unknown.
            throw e.getResponse().getStatus() == 404 && Secrets.looksLike(AccessRequestService.TOKEN_PREFIX, token)
                    ? FailureThrottle.failed(session, realm, FailureThrottle.Kind.LINK, e) : e;
        }
        request.pages().framedFor(requests.integrationOf(entity));
        return entity;
    }


    private Response form(PortalRequest request, IntegrationEntity integration, int status, Map<String, ?> given, ApiException error) {
        String startToken = request.startToken();
        String formAction = request.pages().portalUrl() + "/join/"
                + (integration.getJoinSlug() == null ? integration.getId() : integration.getJoinSlug());
        List<Question> questions = new ArrayList<>();
        for (JoinField question : integration.getJoinFields()) {
            questions.add(new Question("field." + question.key(), question.label(), question.required(),
                    value(given, "field." + question.key()),
                    error != null && ("fields." + question.key()).equals(error.field())));
        }
        Form form = new Form(startToken, formAction, value(given, "appName"), value(given, "appDescription"),
                value(given, "contactEmail"), questions,
                error == null ? null : error.field() == null ? "" : error.field(), error == null ? null : error.getMessage());
        return request.pages().page(status, "portal-join.ftl", frame(integration, ""), form);
    }

    private static String value(Map<String, ?> given, String name) {
        Object value = given.get(name);
        if (value instanceof List<?> list) {
            value = list.isEmpty() ? null : list.get(0);
        }
        return value == null ? "" : value.toString();
    }

    /** The integration as its join page shows it: name, description, colour and icon (validated when set). */
    private static Frame frame(IntegrationEntity integration, String appName) {
        return new Frame(integration.getName(), integration.getDescription() == null ? "" : integration.getDescription(),
                "joinBy", appName, integration.getColor(), integration.getIcon(), false);
    }
}
