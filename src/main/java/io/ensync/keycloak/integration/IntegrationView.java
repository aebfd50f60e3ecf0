package io.ensync.keycloak.integration;

import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.Times;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An integration as the admin API shows it. {@code key} is set only in the answer that creates the integration. */
public record IntegrationView(String id, String name, String description, List<String> environments,
                              int linkTtlSeconds, List<String> allowedEmbedOrigins, List<TopicView> topics,
                              SecretPolicyView secretPolicy, boolean enabled, int maxGrantsPerEnvironment,
                              String createdAt, String updatedAt, String key, List<String> jwksUrlHosts,
                              String accessRequests, String joinSlug, List<JoinField> joinFields, String color, String icon) {

    public record TopicView(String pattern, boolean send, boolean receive, List<String> autoApprove) {
    }

    public record SecretPolicyView(Map<String, Integer> maxAgeDays, int rotationGraceSeconds) {
    }

    public static IntegrationView of(IntegrationEntity e) {
        return of(e, null);
    }

    public static IntegrationView of(IntegrationEntity e, String key) {
        List<TopicView> topics = e.getTopics().stream()
                .map(t -> new TopicView(t.getPattern(), t.isSend(), t.isReceive(), Environment.ids(Environment.split(t.getAutoApprove()))))
                .toList();
        Map<String, Integer> maxAge = new LinkedHashMap<>();
        for (Environment env : Environment.values()) {
            if (e.getMaxSecretAgeDays(env) != null) {
                maxAge.put(env.id(), e.getMaxSecretAgeDays(env));
            }
        }
        return new IntegrationView(e.getId(), e.getName(), e.getDescription(),
                Environment.ids(e.getEnvironments()), e.getLinkTtlSeconds(), e.getEmbedOrigins(), topics,
                new SecretPolicyView(maxAge, e.getRotationGraceSeconds()), e.isEnabled(), e.getMaxGrantsPerEnvironment(),
                Times.iso(e.getCreatedAt()), Times.iso(e.getUpdatedAt()), key, e.getJwksUrlHosts(),
                e.getAccessRequests(), e.getJoinSlug(), e.getJoinFields(), e.getColor(), e.getIcon());
    }
}
