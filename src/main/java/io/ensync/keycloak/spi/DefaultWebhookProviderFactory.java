package io.ensync.keycloak.spi;

import io.ensync.keycloak.partner.SecretExpiryScan;
import io.ensync.keycloak.webhook.WebhookDelivery;
import io.ensync.keycloak.webhook.WebhookOutbox;
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

    private boolean allowPrivateTargets;

    @Override
    public WebhookSpi.WebhookProvider create(KeycloakSession session) {
        return () -> {
        };
    }

    @Override
    public void init(Config.Scope config) {
        allowPrivateTargets = config.getBoolean(ALLOW_PRIVATE_TARGETS, false);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(new WebhookOutbox());
        WebhookDelivery.start(factory, allowPrivateTargets);
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            TimerProvider timer = session.getProvider(TimerProvider.class);
            timer.scheduleTask(new WebhookDelivery(), WebhookDelivery.INTERVAL_MILLIS, WebhookDelivery.TASK_NAME);
            timer.scheduleTask(new SecretExpiryScan(), SecretExpiryScan.INTERVAL_MILLIS, SecretExpiryScan.TASK_NAME);
        });
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create().property().name(ALLOW_PRIVATE_TARGETS).type("boolean")
                .helpText("Let webhooks reach loopback, link-local and private addresses (off by default).")
                .defaultValue(false).add().build();
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
