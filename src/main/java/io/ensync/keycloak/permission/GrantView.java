package io.ensync.keycloak.permission;

import io.ensync.keycloak.common.Times;

import java.util.List;

/** A grant as partners and admins see it. */
public record GrantView(String id, String partnerId, String environment, String topic, List<String> scopes,
                        String status, String requestedAt, String decidedAt, String decidedBy, String reason) {

    static GrantView of(GrantEntity g) {
        return new GrantView(g.getId(), g.getPartnerId(), g.getEnvironment(), g.getTopic(), List.of(g.getScopes().split(",")),
                g.getStatus().id(), Times.iso(g.getRequestedAt()), Times.iso(g.getDecidedAt()), g.getDecidedBy(), g.getReason());
    }
}
