package io.ensync.keycloak.integration;

/** A question of an integration's join page: the answer's key (in the partner's metadata), its label, whether it must be answered. */
public record JoinField(String key, String label, boolean required) {
}
