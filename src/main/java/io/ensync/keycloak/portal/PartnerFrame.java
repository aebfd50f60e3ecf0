package io.ensync.keycloak.portal;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.common.Checks;
import io.ensync.keycloak.common.Json;
import io.ensync.keycloak.partner.PartnerEntity;

/**
 * The model every partner page starts with (portal-layout.ftl): who invites and who is invited, names, colour and
 * icon re-checked before they reach a page; signed in, the session's CSRF token for the navigation's sign-out form.
 */
record PartnerFrame(String integrationName, String appName, String appDescription, String color, String icon,
                    boolean signedIn, String csrf) {

    static PartnerFrame signedOut(PartnerEntity partner) {
        return of(partner, false, null);
    }

    static PartnerFrame signedIn(PartnerEntity partner, PortalSessions.Current current) {
        return of(partner, true, current.csrfToken());
    }

    private static PartnerFrame of(PartnerEntity partner, boolean signedIn, String csrf) {
        JsonNode metadata = partner.getMetadata() == null ? null : Json.readStored(partner.getMetadata(), JsonNode.class);
        String color = metadata == null ? null : metadata.path("color").asText(null);
        String icon = metadata == null ? null : metadata.path("icon").asText(null);
        return new PartnerFrame(partner.getIntegration().getName(),
                partner.getAppName() == null ? "" : partner.getAppName(),
                partner.getAppDescription() == null ? "" : partner.getAppDescription(),
                Checks.isColor(color) ? color : null,
                icon != null && icon.startsWith("https://") ? icon : null,
                signedIn, csrf);
    }
}
