package io.ensync.keycloak.integration;

import java.util.List;
import java.util.Map;

/** Body of {@code POST} and {@code PUT /integrations}: on PUT, fields left out keep their value. */
public record IntegrationInput(String name, String description, List<String> environments, Integer linkTtlSeconds,
                               List<String> allowedEmbedOrigins, List<Topic> topics, SecretPolicy secretPolicy,
                               Boolean enabled, Integer maxGrantsPerEnvironment, List<String> jwksUrlHosts,
                               String accessRequests, String joinSlug, List<JoinFieldInput> joinFields,
                               String color, String icon) {

    public record Topic(String pattern, Boolean send, Boolean receive, List<String> autoApprove) {
    }

    public record SecretPolicy(Map<String, Integer> maxAgeDays, Integer rotationGraceSeconds) {
    }

    public record JoinFieldInput(String key, String label, Boolean required) {
    }
}
