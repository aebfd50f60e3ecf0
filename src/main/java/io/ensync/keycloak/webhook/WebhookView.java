package io.ensync.keycloak.webhook;

import io.ensync.keycloak.common.Times;

import java.util.List;

/**
 * A webhook endpoint as the admin API shows it: {@code secret} only in the answers that create or rotate it;
 * {@code disabledReason} says when the server turned it off ({@code gone}, {@code failing}).
 */
public record WebhookView(String id, String integrationId, String url, String description, List<String> eventTypes,
                   boolean enabled, String disabledReason, String disabledAt, String previousSecretValidUntil,
                   String createdAt, String updatedAt, String secret) {

    static WebhookView of(WebhookEndpointEntity e, String secret) {
        return new WebhookView(e.id, e.integrationId, e.url, e.description, WebhookService.types(e), e.enabled,
                e.disabledReason, Times.iso(e.disabledAt),
                e.previousSecret == null || e.previousSecretUntil == null || e.previousSecretUntil <= Times.now() ? null : Times.iso(e.previousSecretUntil),
                Times.iso(e.createdAt), Times.iso(e.updatedAt), secret);
    }
}
