package io.ensync.keycloak.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.common.Json;
import io.ensync.keycloak.common.Times;

import java.util.LinkedHashMap;
import java.util.Map;

/** An access request as deciders see it: never its verification token. */
public record AccessRequestView(String id, String integrationId, String status, String appName, String appDescription,
                                String contactEmail, Map<String, String> fields, String createdAt, String verifiedAt,
                                String decidedAt, String decidedBy, String reason, String partnerId) {

    static AccessRequestView of(AccessRequestEntity e) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (e.getFields() != null) {
            Json.readStored(e.getFields(), JsonNode.class).fields()
                    .forEachRemaining(entry -> fields.put(entry.getKey(), entry.getValue().asText()));
        }
        return new AccessRequestView(e.getId(), e.getIntegrationId(), e.getStatus().id(), e.getAppName(), e.getAppDescription(),
                e.getContactEmail(), fields, Times.iso(e.getCreatedAt()), Times.iso(e.getVerifiedAt()),
                Times.iso(e.getDecidedAt()), e.getDecidedBy(), e.getReason(), e.getPartnerId());
    }
}
