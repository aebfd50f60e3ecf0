package io.ensync.keycloak.audit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.AuthDetails;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderFactory;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PrincipalEvents sends as Keycloak's AdminEventBuilder.send() does: stored only when the realm stores admin events,
 * the representation flag from the realm, to the realm's listeners and the global ones, each once, a copy with a
 * time and an id. (AuditIT and the matrix check the stored trail on a real Keycloak of each supported minor.)
 */
class PrincipalEventsTest {

    record Sent(String to, AdminEvent event, boolean includeRepresentation) {
    }

    @ParameterizedTest
    @CsvSource({"true, true", "true, false", "false, false", "false, true"})
    void storesWhenTheRealmStoresAndCallsEnabledAndGlobalListeners(boolean eventsEnabled, boolean detailsEnabled) {
        List<Sent> sent = new ArrayList<>();
        RealmModel realm = proxy(RealmModel.class, Map.of(
                "isAdminEventsEnabled", eventsEnabled,
                "isAdminEventsDetailsEnabled", detailsEnabled,
                "getName", "r",
                "getEventsListenersStream", (Supplier) () -> Stream.of("enabled", "missing")));
        List<ProviderFactory> factories = List.of(factory("enabled", false), factory("global", true), factory("other", false));
        KeycloakSessionFactory sessionFactory = proxy(KeycloakSessionFactory.class, Map.of(
                "getProviderFactoriesStream", (Supplier) factories::stream));
        KeycloakSession session = (KeycloakSession) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {KeycloakSession.class}, (p, method, args) -> switch (method.getName()) {
                    case "getKeycloakSessionFactory" -> sessionFactory;
                    case "getProvider" -> args.length == 1
                            ? proxy(EventStoreProvider.class, Map.of("onEvent", (Recorder) (a) -> sent.add(
                                    new Sent("store", (AdminEvent) a[0], (Boolean) a[1]))))
                            : proxy(EventListenerProvider.class, Map.of("onEvent", (Recorder) (a) -> sent.add(
                                    new Sent((String) args[1], (AdminEvent) a[0], (Boolean) a[1]))));
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        AdminEvent event = new AdminEvent();
        event.setResourcePath("ensync/partners/p1");
        event.setDetails(Map.of("principal", "integration"));
        AuthDetails auth = new AuthDetails();
        auth.setRealmId("r-id");
        event.setAuthDetails(auth);
        PrincipalEvents.send(session, realm, event);

        List<String> targets = sent.stream().map(Sent::to).sorted().toList();
        assertEquals(eventsEnabled ? List.of("enabled", "global", "store") : List.of("enabled", "global"), targets);
        for (Sent s : sent) {
            assertEquals(detailsEnabled, s.includeRepresentation(), s.to());
            assertNotEquals(event, s.event(), "a copy");
            assertEquals("ensync/partners/p1", s.event().getResourcePath());
            assertEquals("integration", s.event().getDetails().get("principal"));
            assertEquals("r-id", s.event().getAuthDetails().getRealmId());
            assertFalse(s.event().getId() == null || s.event().getId().isEmpty(), "an id");
            assertTrue(s.event().getTime() > 0, "a time");
        }
        assertEquals(1, sent.stream().map(s -> s.event().getId()).distinct().count(), "one event, the same copy to all");
    }

    @FunctionalInterface
    interface Supplier {
        Object get();
    }

    @FunctionalInterface
    interface Recorder {
        void record(Object[] args);
    }

    private static ProviderFactory factory(String id, boolean global) {
        return proxy(EventListenerProviderFactory.class, Map.of("getId", id, "isGlobal", global));
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(PrincipalEventsTest.class.getClassLoader(), new Class<?>[] {type},
                (p, method, args) -> {
                    Object answer = answers.get(method.getName());
                    if (answer instanceof Supplier supplier) {
                        return supplier.get();
                    }
                    if (answer instanceof Recorder recorder) {
                        recorder.record(args);
                        return null;
                    }
                    if (answer != null) {
                        return answer;
                    }
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName());
                });
    }
}
