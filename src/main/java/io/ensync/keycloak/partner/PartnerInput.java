package io.ensync.keycloak.partner;

import com.fasterxml.jackson.databind.JsonNode;

/** Body of {@code POST /external/partner}: the only fields the partner endpoint accepts. */
public record PartnerInput(String appName, String appDescription, JsonNode metadata) {
}
