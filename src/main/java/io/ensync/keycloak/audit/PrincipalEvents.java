package io.ensync.keycloak.audit;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Sends the admin event of a principal that is not a Keycloak admin (an integration, a partner). Keycloak's
 * {@code AdminEventBuilder} can only be built for an admin's user and client, and the constructor that takes a
 * prepared event is private before 26.7; this sends through the public SPIs exactly as that builder's
 * {@code send()} does on every supported version (26.4 to 26.7): a copy of the event with its time and a new id,
 * stored when the realm stores admin events, and handed to the realm's event listeners and the global ones, the
 * representation included only when the realm includes it.
 */
final class PrincipalEvents {

    private static final Logger LOG = Logger.getLogger(PrincipalEvents.class);

    private PrincipalEvents() {
    }

    static void send(KeycloakSession session, RealmModel realm, AdminEvent event) {
        boolean includeRepresentation = realm.isAdminEventsDetailsEnabled();
        AdminEvent copy = new AdminEvent(event);
        copy.setTime(Time.currentTimeMillis());
        copy.setId(UUID.randomUUID().toString());

        if (realm.isAdminEventsEnabled()) {
            EventStoreProvider store = session.getProvider(EventStoreProvider.class);
            if (store == null) {
                LOG.warn("Admin events are enabled but there is no event store provider");
            } else {
                store.onEvent(copy, includeRepresentation);
            }
        }

        // The realm's enabled listeners, and the global ones (EventListenerProviderFactory.isGlobal), once each.
        Set<String> enabled = new HashSet<>(realm.getEventsListenersStream().toList());
        session.getKeycloakSessionFactory().getProviderFactoriesStream(EventListenerProvider.class)
                .filter(factory -> enabled.contains(factory.getId()) || ((EventListenerProviderFactory) factory).isGlobal())
                .forEach(factory -> {
                    enabled.remove(factory.getId());
                    EventListenerProvider listener = session.getProvider(EventListenerProvider.class, factory.getId());
                    if (listener == null) {
                        return;
                    }
                    try {
                        listener.onEvent(copy, includeRepresentation);
                    } catch (Throwable t) {
                        LOG.errorf(t, "Failed to send admin event to %s", factory.getId());
                    }
                });
        enabled.forEach(id -> LOG.warnf("Event listener provider %s is enabled in realm %s but not found", id, realm.getName()));
    }
}
