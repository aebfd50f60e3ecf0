package io.ensync.keycloak.spi;

import io.ensync.keycloak.access.AccessRequestEntity;
import io.ensync.keycloak.integration.IntegrationEntity;
import io.ensync.keycloak.integration.IntegrationKeyEntity;
import io.ensync.keycloak.integration.TopicRuleEntity;
import io.ensync.keycloak.link.LinkEntity;
import io.ensync.keycloak.partner.IdempotencyEntity;
import io.ensync.keycloak.partner.PartnerClientEntity;
import io.ensync.keycloak.partner.PartnerEntity;
import io.ensync.keycloak.permission.GrantEntity;
import io.ensync.keycloak.permission.PromotionEntity;
import io.ensync.keycloak.permission.PromotionGrantEntity;
import io.ensync.keycloak.portal.PortalSessionEntity;
import io.ensync.keycloak.throttle.FailedAttemptEntity;
import io.ensync.keycloak.webhook.WebhookEndpointEntity;
import io.ensync.keycloak.webhook.WebhookMessageEntity;
import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

import java.util.List;

/** Registers the extension's JPA entities and Liquibase changelog with Keycloak's persistence unit. */
public class EnsyncJpaEntityProviderFactory implements JpaEntityProviderFactory, JpaEntityProvider {

    public static final String ID = "ensync";

    private static final List<Class<?>> ENTITIES = List.of(
            IntegrationEntity.class, TopicRuleEntity.class, IntegrationKeyEntity.class,
            PartnerEntity.class, PartnerClientEntity.class, IdempotencyEntity.class, LinkEntity.class,
            GrantEntity.class, PromotionEntity.class, PromotionGrantEntity.class, PortalSessionEntity.class, FailedAttemptEntity.class,
            WebhookEndpointEntity.class, WebhookMessageEntity.class, AccessRequestEntity.class);

    @Override
    public List<Class<?>> getEntities() {
        return ENTITIES;
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/ensync-changelog.xml";
    }

    @Override
    public String getFactoryId() {
        return ID;
    }

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
