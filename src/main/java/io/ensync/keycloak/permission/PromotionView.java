package io.ensync.keycloak.permission;

import io.ensync.keycloak.common.Times;

import java.util.List;

/**
 * A promotion request as partners and admins see it; {@code grants} are the grants it recorded when it was made —
 * what its approval copies (those of them still approved then).
 */
public record PromotionView(String id, String partnerId, String from, String to, String status, String requestedAt,
                            String decidedAt, String decidedBy, String reason, List<RecordedGrant> grants) {

    /** A grant of the source environment as it was when the promotion was requested. */
    public record RecordedGrant(String grantId, String topic, List<String> scopes) {
        static RecordedGrant of(PromotionGrantEntity g) {
            return new RecordedGrant(g.getGrantId(), g.getTopic(), List.of(g.getScopes().split(",")));
        }
    }

    static PromotionView of(PromotionEntity p, List<PromotionGrantEntity> grants) {
        return new PromotionView(p.getId(), p.getPartnerId(), p.getFromEnvironment(), p.getToEnvironment(), p.getStatus().id(),
                Times.iso(p.getRequestedAt()), Times.iso(p.getDecidedAt()), p.getDecidedBy(), p.getReason(),
                grants.stream().map(RecordedGrant::of).toList());
    }
}
