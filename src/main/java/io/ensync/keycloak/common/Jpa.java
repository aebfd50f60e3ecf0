package io.ensync.keycloak.common;

import jakarta.persistence.EntityManager;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/** The request's entity manager: Keycloak's own, in the request's transaction. */
public final class Jpa {

    private Jpa() {
    }

    public static EntityManager em(KeycloakSession session) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }
}
