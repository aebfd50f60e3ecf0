package io.ensync.keycloak.partner;

import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.Times;
import org.keycloak.events.Event;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Recent failed token requests of a partner's clients, from Keycloak's own login events ({@code CLIENT_LOGIN_ERROR}).
 * Only what Keycloak stores: nothing when the realm does not save login events.
 */
public final class PartnerLoginFailures {

    public record Failure(String time, String environment, String clientId, String error, String ipAddress) {
    }

    private PartnerLoginFailures() {
    }

    /** Whether the realm stores login events at all; without them there is nothing to show. */
    public static boolean stored(RealmModel realm) {
        return realm.isEventsEnabled();
    }

    /** The newest {@code max} failures over the partner's clients in {@code scope}, newest first. */
    public static List<Failure> recent(KeycloakSession session, RealmModel realm, PartnerEntity partner,
                                       Set<Environment> scope, int max) {
        List<Failure> result = new ArrayList<>();
        if (!stored(realm)) {
            return result;
        }
        EventStoreProvider store = session.getProvider(EventStoreProvider.class);
        for (PartnerClientEntity pc : partner.getClients()) {
            if (!scope.contains(Environment.parse("environment", pc.getEnvironment()))) {
                continue;
            }
            store.createQuery().realm(realm.getId()).client(pc.getClientId()).type(EventType.CLIENT_LOGIN_ERROR)
                    .orderByDescTime().maxResults(max).getResultStream()
                    .forEach(e -> result.add(failure(pc.getEnvironment(), e)));
        }
        result.sort(Comparator.comparing(Failure::time).reversed());
        return result.size() > max ? result.subList(0, max) : result;
    }

    private static Failure failure(String environment, Event event) {
        return new Failure(Times.iso(event.getTime()), environment, event.getClientId(), event.getError(), event.getIpAddress());
    }
}
