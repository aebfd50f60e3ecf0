package io.ensync.keycloak.permission;

import io.ensync.keycloak.common.Times;

/** A promotion request as partners and admins see it. */
public record PromotionView(String id, String partnerId, String from, String to, String status, String requestedAt,
                            String decidedAt, String decidedBy, String reason) {

    static PromotionView of(PromotionEntity p) {
        return new PromotionView(p.getId(), p.getPartnerId(), p.getFromEnvironment(), p.getToEnvironment(), p.getStatus().id(),
                Times.iso(p.getRequestedAt()), Times.iso(p.getDecidedAt()), p.getDecidedBy(), p.getReason());
    }
}
