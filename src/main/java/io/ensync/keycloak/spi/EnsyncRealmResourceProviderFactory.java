package io.ensync.keycloak.spi;

import io.ensync.keycloak.common.Routes;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Mounts {@link EnsyncRealmRoot} at {@code /realms/{realm}/ensync}. */
public class EnsyncRealmResourceProviderFactory implements RealmResourceProviderFactory {

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                Routes.require(session, EnsyncRealmRoot.class, EnsyncRealmRoot.PATH_SEGMENTS);
                return new EnsyncRealmRoot(session);
            }

            @Override
            public void close() {
            }
        };
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
        return EnsyncJpaEntityProviderFactory.ID;
    }
}
