package io.ensync.keycloak.spi;

import io.ensync.keycloak.access.AccessRequestService;
import io.ensync.keycloak.admin.AdminAccess;
import io.ensync.keycloak.common.Routes;
import io.ensync.keycloak.partner.IntegrationChanges;
import io.ensync.keycloak.partner.PartnerClientsUpgrade;
import io.ensync.keycloak.permission.ClientEdits;
import io.ensync.keycloak.permission.PartnerChanges;
import io.ensync.keycloak.permission.PermissionModelUpgrade;
import io.ensync.keycloak.permission.TopicClaims;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.timer.TimerProvider;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** Mounts {@link EnsyncAdminRoot} at {@code /admin/realms/{realm}/ensync}, and owns the extension's lifecycle hooks. */
public class EnsyncAdminResourceProviderFactory implements AdminRealmResourceProviderFactory, AdminRealmResourceProvider {

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        Routes.require(session, EnsyncAdminRoot.class, EnsyncAdminRoot.PATH_SEGMENTS);
        return new EnsyncAdminRoot(session, realm, new AdminAccess(auth, adminEvent));
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(new RealmCleanup());
        factory.register(new IntegrationChanges());
        factory.register(new PartnerChanges());
        factory.register(new ClientEdits());
        factory.register(AccessRequestService::onIntegrationDeleted);
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                PartnerClientsUpgrade.run(factory, TopicClaims::sealIfNeeded);
                PermissionModelUpgrade.run(factory);
            }
        });
        KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(TimerProvider.class)
                .scheduleTask(new ExpiredDataCleanup(), ExpiredDataCleanup.INTERVAL_MILLIS, "ensync-expired-data-cleanup"));
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return EnsyncJpaEntityProviderFactory.ID;
    }
}
