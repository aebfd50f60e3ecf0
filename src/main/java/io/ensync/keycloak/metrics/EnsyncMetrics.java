package io.ensync.keycloak.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import org.keycloak.models.RealmModel;

/**
 * Counters on Keycloak's metrics endpoint ({@code /metrics} of the management interface, with
 * {@code --metrics-enabled=true}), tagged by realm: partners created, links redeemed, Integration Keys rejected,
 * grants decided. Registered in Micrometer's global registry, which Keycloak's Quarkus runtime exports. Each node
 * counts its own requests; a scraper sums the nodes of a cluster.
 */
public final class EnsyncMetrics {

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

    private static Counter counter(String name, String description, RealmModel realm) {
        return Counter.builder(name).description(description).tag("realm", realm.getName()).register(Metrics.globalRegistry);
    }
}
