package io.ensync.keycloak.portal;

import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.partner.PartnerEntity;
import jakarta.ws.rs.core.Response;

import java.util.EnumSet;
import java.util.Set;

/** A request of a portal session, as {@link PortalRequest#signedIn} opened it: the session and its partner. */
record SignedIn(PortalRequest request, PortalSessions.Current current, PartnerEntity partner) {

    PortalPages pages() {
        return request.pages();
    }

    /** The page's frame: who invites and who is invited, and the session's CSRF token for its forms. */
    PartnerFrame frame() {
        return PartnerFrame.signedIn(partner, current);
    }

    Actor actor() {
        return new Actor.Partner(partner.getId(), null);
    }

    /** The portal acts on every environment of the partner (the API on its token's one). */
    Set<Environment> scope() {
        Set<Environment> envs = partner.getIntegration().getEnvironments();
        return envs.isEmpty() ? EnumSet.noneOf(Environment.class) : EnumSet.copyOf(envs);
    }

    /** Ends the session and its cookie. */
    Response signOut() {
        request.sessions().end(current);
        pages().clearCookie(PortalSessions.SESSION_COOKIE);
        return pages().message(200, "signedOut", null);
    }
}
