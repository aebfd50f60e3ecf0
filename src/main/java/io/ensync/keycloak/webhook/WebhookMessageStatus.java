package io.ensync.keycloak.webhook;

import java.util.Locale;

/** A webhook message's delivery state: waiting for its (next) attempt, delivered, or given up on. */
enum WebhookMessageStatus {
    PENDING, DELIVERED, FAILED;

    /** The value the delivery log shows. */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
