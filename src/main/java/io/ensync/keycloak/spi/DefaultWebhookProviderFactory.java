package io.ensync.keycloak.spi;

import io.ensync.keycloak.partner.SecretExpiryScan;
import io.ensync.keycloak.webhook.WebhookDelivery;
import io.ensync.keycloak.webhook.WebhookOutbox;
import io.ensync.keycloak.webhook.WebhookQueueMetrics;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.timer.TimerProvider;

import java.util.List;

/**
 * Provider {@code default} of {@link WebhookSpi}: subscribes the outbox to the lifecycle events, starts this node's
 * delivery worker and schedules its poll on Keycloak's timer every second, and the {@code secret.expiring} scan.
 */
public class DefaultWebhookProviderFactory implements WebhookSpi.WebhookProviderFactory {

    static final String ALLOW_PRIVATE_TARGETS = "allow-private-targets";
    static final String SECRET_EXPIRY_SCAN_INTERVAL = "secret-expiry-scan-interval-seconds";
    static final int DEFAULT_SCAN_SECONDS = (int) (SecretExpiryScan.DEFAULT_INTERVAL_MILLIS / 1000);

    private boolean allowPrivateTargets;
    private long scanIntervalMillis;

    @Override
    public WebhookSpi.WebhookProvider create(KeycloakSession session) {
        return () -> {
        };
    }

    @Override
    public void init(Config.Scope config) {
        allowPrivateTargets = config.getBoolean(ALLOW_PRIVATE_TARGETS, false);
        int scanSeconds = config.getInt(SECRET_EXPIRY_SCAN_INTERVAL, DEFAULT_SCAN_SECONDS);
        if (scanSeconds < 1) {
            throw new IllegalArgumentException(SECRET_EXPIRY_SCAN_INTERVAL + " must be at least 1, not " + scanSeconds);
        }
        scanIntervalMillis = scanSeconds * 1000L;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(new WebhookOutbox());
        WebhookDelivery.start(factory, allowPrivateTargets);
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            TimerProvider timer = session.getProvider(TimerProvider.class);
            timer.scheduleTask(new WebhookDelivery(), WebhookDelivery.INTERVAL_MILLIS, WebhookDelivery.TASK_NAME);
            timer.scheduleTask(new SecretExpiryScan(scanIntervalMillis), scanIntervalMillis, SecretExpiryScan.TASK_NAME);
            timer.scheduleTask(new WebhookQueueMetrics(), WebhookQueueMetrics.INTERVAL_MILLIS, WebhookQueueMetrics.TASK_NAME);
        });
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create().property().name(ALLOW_PRIVATE_TARGETS).type("boolean")
                .helpText("Let webhooks reach loopback, link-local and private addresses (off by default).")
                .defaultValue(false).add()
                .property().name(SECRET_EXPIRY_SCAN_INTERVAL).type("int")
                .helpText("Seconds between two runs of the scan that sends secret.expiring (default 900). Lower it where "
                        + "secrets live only days (a short maxAgeDays) or the notice must come sooner after a secret "
                        + "enters its last 7 days; each run reads every partner client.")
                .defaultValue(DEFAULT_SCAN_SECONDS).add().build();
    }

    @Override
    public void close() {
        WebhookDelivery.stop();
    }

    @Override
    public String getId() {
        return "default";
    }
}
