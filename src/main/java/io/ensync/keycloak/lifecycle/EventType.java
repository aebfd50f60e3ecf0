package io.ensync.keycloak.lifecycle;

import java.util.Arrays;
import java.util.Optional;

/** The lifecycle event types (SPEC §13), by their wire names. */
public enum EventType {
    PARTNER_CREATED("partner.created"),
    PARTNER_ONBOARDED("partner.onboarded"),
    PARTNER_SUSPENDED("partner.suspended"),
    PARTNER_RESUMED("partner.resumed"),
    PARTNER_OFFBOARDED("partner.offboarded"),
    GRANT_REQUESTED("grant.requested"),
    GRANT_APPROVED("grant.approved"),
    GRANT_DENIED("grant.denied"),
    GRANT_REVOKED("grant.revoked"),
    GRANT_WITHDRAWN("grant.withdrawn"),
    PROMOTION_REQUESTED("promotion.requested"),
    PROMOTION_APPROVED("promotion.approved"),
    PROMOTION_DENIED("promotion.denied"),
    SECRET_ROTATED("secret.rotated"),
    SECRET_EXPIRING("secret.expiring"),
    CREDENTIALS_CHANGED("credentials.changed"),
    ACCESS_REQUEST_RECEIVED("access_request.received"),
    ACCESS_REQUEST_APPROVED("access_request.approved"),
    ACCESS_REQUEST_DENIED("access_request.denied");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> of(String wireName) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(wireName)).findFirst();
    }
}
