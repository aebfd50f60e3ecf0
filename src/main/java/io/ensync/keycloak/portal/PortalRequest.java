package io.ensync.keycloak.portal;

import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.partner.PartnerEntity;
import io.ensync.keycloak.partner.PartnerService;
import io.ensync.keycloak.partner.PartnerUsability;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one guard of every portal and join page: {@link #run} answers a handler's refusal with its page and a service
 * error with its message page (Retry-After kept), and rolls back whatever a refused request did (any answer of 400
 * or more); {@link #signedIn} opens a signed-in page the same way for every handler of a kind.
 */
public record PortalRequest(KeycloakSession session, RealmModel realm, PortalPages pages, PortalSessions sessions,
                            Messages messages) {

    /** How a signed-in handler opens: its session, its partner (usable unless signing out), the form's CSRF token. */
    enum Kind {
        /** A GET: the session and a usable partner. */
        VIEW,
        /** A POST: also the session's CSRF token. */
        ACTION,
        /** Signing out: the session and its token, whatever the partner's state. */
        SIGN_OUT
    }

    /** The message page of each service error code; any other is requestFailed, with the API's sentence if wanted. */
    public record Messages(Map<String, String> keyOfCode, boolean detailOnFallback) {
    }

    /** A refusal with its page: thrown inside a handler, answered by {@link #run}. */
    private static final class Refusal extends RuntimeException {
        private final transient Response response;

        Refusal(Response response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    public PortalRequest(KeycloakSession session, RealmModel realm, Messages messages) {
        this(session, realm, new PortalPages(session, realm), new PortalSessions(session, realm), messages);
    }

    /** Runs a handler; a refusal answers its page, a service error its message page, with nothing of it kept. */
    public Response run(Supplier<Response> handler) {
        Response response;
        try {
            response = handler.get();
        } catch (Refusal r) {
            response = r.response;
        } catch (ApiException e) {
            response = errorPage(e);
        }
        if (response.getStatus() >= 400) {
            session.getTransactionManager().setRollbackOnly();
        }
        return response;
    }

    /** Runs a handler of a portal session, opened as its kind says. */
    Response signedIn(Kind kind, Function<SignedIn, Response> handler) {
        return run(() -> {
            PortalSessions.Current current = sessions.current();
            if (current == null) {
                throw refusal(401, "sessionEnded");
            }
            PartnerEntity partner = new PartnerService(session, realm).get(current.entity().getPartnerId());
            pages.framedFor(partner.getIntegration());
            if (kind != Kind.SIGN_OUT) {
                PartnerUsability.requireUsable(partner);
            }
            // Constant-time comparison of the form's token with the session's; a mismatch changes nothing.
            if (kind != Kind.VIEW && !current.csrfMatches(form().getFirst("csrf"))) {
                throw refusal(403, "formExpired");
            }
            return handler.apply(new SignedIn(this, current, partner));
        });
    }

    /** A refusal answered with a message page (no detail). */
    public RuntimeException refusal(int status, String key) {
        return new Refusal(pages.message(status, key, null));
    }

    public MultivaluedMap<String, String> form() {
        return session.getContext().getHttpRequest().getDecodedFormParameters();
    }

    /** A new start secret in its cookie, and the token its form carries (login CSRF before a session exists). */
    public String startToken() {
        String secret = sessions.startSecret();
        pages.cookie(PortalSessions.START_COOKIE, secret);
        return PortalSessions.startToken(secret);
    }

    /** The form's token must fit the start cookie; a mismatch (a lost cookie, another browser's form) changes nothing. */
    public void requireStartToken() {
        if (!sessions.startTokenMatches(form().getFirst("csrf"))) {
            throw refusal(403, "formExpired");
        }
    }

    private Response errorPage(ApiException e) {
        String key = messages.keyOfCode().getOrDefault(e.code(), "requestFailed");
        String detail = messages.detailOnFallback() && "requestFailed".equals(key) ? e.getMessage() : null;
        Response page = pages.message(e.getResponse().getStatus(), key, detail);
        String retryAfter = e.getResponse().getHeaderString("Retry-After");
        return retryAfter == null ? page : Response.fromResponse(page).header("Retry-After", retryAfter).build();
    }
}
