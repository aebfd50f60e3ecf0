package io.ensync.keycloak.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.keycloak.models.RealmModel;

import java.util.List;

/**
 * Counters on Keycloak's metrics endpoint ({@code /metrics} of the management interface, with
 * {@code --metrics-enabled=true}), tagged by realm: partners created, links redeemed, Integration Keys rejected,
 * grants decided. Registered in Micrometer's global registry, which Keycloak's Quarkus runtime exports. Each node
 * counts its own requests; a scraper sums the nodes of a cluster. The webhook queue's gauges are read from the
 * database, the same on every node: a scraper takes one node's value (or the maximum), not the sum.
 */
public final class EnsyncMetrics {

    private static final MultiGauge WEBHOOK_PENDING = MultiGauge.builder("ensync_webhook_pending_messages")
            .description("Webhook messages not delivered yet (nor given up), by realm; the same on every node")
            .register(Metrics.globalRegistry);
    private static final MultiGauge WEBHOOK_OLDEST = MultiGauge.builder("ensync_webhook_oldest_pending_seconds")
            .description("Age of the oldest webhook message not delivered yet, by realm (0 when none); the same on every node")
            .register(Metrics.globalRegistry);

    /** A realm's webhook queue: how many messages wait, and for how long the oldest has. */
    public record WebhookQueue(String realm, long pending, double oldestSeconds) {
    }

    private EnsyncMetrics() {
    }

    public static void partnerCreated(RealmModel realm) {
        counter("ensync_partners_created", "Partners created through the partner endpoint", realm).increment();
    }

    public static void linkRedeemed(RealmModel realm, String purpose) {
        Counter.builder("ensync_links_redeemed").description("One-time links redeemed")
                .tag("realm", realm.getName()).tag("purpose", purpose)
                .register(Metrics.globalRegistry).increment();
    }

    public static void keyRejected(RealmModel realm, String reason) {
        Counter.builder("ensync_keys_rejected").description("Calls refused for a missing, unknown, revoked or expired Integration Key")
                .tag("realm", realm.getName()).tag("reason", reason)
                .register(Metrics.globalRegistry).increment();
    }

    public static void grantDecided(RealmModel realm, String decision) {
        Counter.builder("ensync_grants_decided").description("Grant decisions: approved (by an admin, a catalog rule or a promotion), denied, revoked, withdrawn")
                .tag("realm", realm.getName()).tag("decision", decision)
                .register(Metrics.globalRegistry).increment();
    }

    /** One webhook delivery attempt of this node: {@code delivered}, {@code retry}, {@code failed} (given up) or {@code gone} (410). */
    public static void webhookAttempt(String outcome) {
        Counter.builder("ensync_webhook_attempts").description("Webhook delivery attempts by outcome")
                .tag("outcome", outcome).register(Metrics.globalRegistry).increment();
    }

    /** Whether any registry takes the metrics (Keycloak runs with {@code --metrics-enabled=true}). */
    public static boolean enabled() {
        return !Metrics.globalRegistry.getRegistries().isEmpty();
    }

    /** Sets the webhook queue's gauges to {@code realms}; a realm left out loses its series. */
    public static void webhookQueues(List<WebhookQueue> realms) {
        WEBHOOK_PENDING.register(realms.stream().map(q -> MultiGauge.Row.of(Tags.of("realm", q.realm()), q.pending())).toList(), true);
        WEBHOOK_OLDEST.register(realms.stream().map(q -> MultiGauge.Row.of(Tags.of("realm", q.realm()), q.oldestSeconds())).toList(), true);
    }

    private static Counter counter(String name, String description, RealmModel realm) {
        return Counter.builder(name).description(description).tag("realm", realm.getName()).register(Metrics.globalRegistry);
    }
}
