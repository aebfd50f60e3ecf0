package io.ensync.keycloak.portal;

import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.Secrets;
import io.ensync.keycloak.link.LinkEntity;
import io.ensync.keycloak.link.LinkPurpose;
import io.ensync.keycloak.link.LinkService;
import io.ensync.keycloak.partner.PartnerEntity;
import io.ensync.keycloak.partner.PartnerService;
import io.ensync.keycloak.partner.PartnerUsability;
import io.ensync.keycloak.throttle.FailureThrottle;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * A partner link's page (portal-link.ftl): opening it (GET) never consumes the link; its form (POST, tied to the
 * browser by the start cookie) redeems it, opens a session and shows a first onboarding's credentials once
 * (portal-onboarded.ftl), or goes to the environments page.
 */
final class LinkPage {

    record Model(boolean reentry, String startToken, String formAction) {
    }

    record Onboarded(List<Credentials> credentials) {
    }

    record Credentials(String name, String clientId, String clientSecret, String tokenUrl, boolean enabled) {
    }

    private final PortalRequest request;
    private final LinkService links;

    LinkPage(PortalRequest request) {
        this.request = request;
        this.links = new LinkService(request.session(), request.realm());
    }

    Response show(String linkId) {
        PartnerEntity partner = partnerOfLink(linkId);
        LinkEntity link = links.find(linkId);
        PartnerUsability.requireUsable(partner);
        Model model = new Model(link.getPurpose() == LinkPurpose.REENTRY, request.startToken(),
                request.pages().portalUrl() + "/links/" + linkId);
        return request.pages().page(200, "portal-link.ftl", PartnerFrame.signedOut(partner), model);
    }

    Response start(String linkId) {
        partnerOfLink(linkId);
        // A used or expired link says so before anything else (a second tab's form may have lost its cookie).
        links.find(linkId);
        request.requireStartToken();
        PortalSessions sessions = request.sessions();
        PortalSessions.Current previous = sessions.current();
        if (previous != null) {
            sessions.end(previous);
        }
        PartnerService.Redeemed redeemed = new PartnerService(request.session(), request.realm()).redeemForPortal(linkId);
        PortalSessions.Current opened = sessions.open(redeemed.partner().getId());
        PortalPages pages = request.pages();
        pages.cookie(PortalSessions.SESSION_COOKIE, opened.secret()).clearCookie(PortalSessions.START_COOKIE);
        if (redeemed.onboarded() == null) {
            return pages.redirect("environments");
        }
        List<Credentials> credentials = redeemed.onboarded().environments().stream()
                .map(c -> new Credentials(c.name(), c.clientId(), c.clientSecret(), c.tokenUrl(), c.enabled()))
                .toList();
        return pages.page(200, "portal-onboarded.ftl", PartnerFrame.signedIn(redeemed.partner(), opened),
                new Onboarded(credentials));
    }

    /** The partner a link belongs to (any state of the link), so that even its error page is framed for its integration. */
    private PartnerEntity partnerOfLink(String linkId) {
        LinkEntity link = links.lookup(linkId);
        if (link == null) {
            // A well-formed unknown id is a guess: counted like the API's (429 after too many).
            throw Secrets.looksLike("", linkId)
                    ? FailureThrottle.failed(request.session(), request.realm(), FailureThrottle.Kind.LINK, ApiException.notFound("Link"))
                    : ApiException.notFound("Link");
        }
        PartnerEntity partner = new PartnerService(request.session(), request.realm()).get(link.getPartnerId());
        request.pages().framedFor(partner.getIntegration());
        return partner;
    }
}
