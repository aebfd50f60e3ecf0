package io.ensync.keycloak.webhook;

import java.util.List;

/** Body of {@code POST/PUT .../webhooks}; a PUT keeps what it leaves out. */
record WebhookInput(String url, List<String> eventTypes, Boolean enabled, String description) {
}
