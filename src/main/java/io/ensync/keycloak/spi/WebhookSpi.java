package io.ensync.keycloak.spi;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * The SPI {@code ensync-webhooks} (provider {@code default}): lifecycle webhooks to the integrator. Its one option,
 * {@code --spi-ensync-webhooks--default--allow-private-targets=true}, lets webhooks reach loopback and private
 * addresses (tests, private networks); off by default.
 */
public class WebhookSpi implements Spi {

    public static final String NAME = "ensync-webhooks";

    /** The provider's type; nothing asks for instances, the factory only starts and stops the worker. */
    public interface WebhookProvider extends Provider {
    }

    public interface WebhookProviderFactory extends ProviderFactory<WebhookProvider> {
    }

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return WebhookProvider.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return WebhookProviderFactory.class;
    }
}
