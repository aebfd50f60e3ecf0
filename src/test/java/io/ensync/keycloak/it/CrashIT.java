package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.Invariants;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import io.ensync.keycloak.it.support.SecretLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code kill -9} of Keycloak in the middle of 500 partner creations and redemptions: after the restart, every 201
 * and 200 the clients saw is there in full, and nothing half-made exists ({@link Invariants}, after every test).
 * PostgreSQL only: Keycloak's dev-file H2 flushes commits up to half a second late (H2's WRITE_DELAY), so a kill can
 * lose a transaction H2 had already reported committed — H2 is the development store, not one to crash-test.
 */
@Order(Integer.MAX_VALUE - 3)
@ExtendWith(KeycloakExtension.class)
class CrashIT {

    private static final int PARTNERS = 250;
    private String realm;

    @AfterEach
    void nothingHalfMade() {
        if (realm != null) {
            Invariants.check(realm);
        }
    }

    @Test
    void everyAnswerSurvivesAKillInTheMiddle(KeycloakServer server) throws Exception {
        assumeTrue("postgres".equals(server.db()), "crash durability is PostgreSQL's (see the class comment)");
        realm = KeycloakApi.createRealm();
        String key = Ensync.createIntegration(realm).path("key").asText();
        Map<String, String> created = new ConcurrentHashMap<>();   // partner id → link id, for every 201
        Map<String, JsonNode> redeemed = new ConcurrentHashMap<>(); // partner id → dev credentials, for every 200
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger unanswered = new AtomicInteger();

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < PARTNERS; i++) {
            work.add(pool.submit(() -> {
                try {
                    Http.Response r = Http.keycloak().postJson(Ensync.externalBase(realm) + "/partner", key, Map.of("appName", "Crash"));
                    answered.incrementAndGet();
                    if (r.status() != 201) {
                        return;
                    }
                    String id = r.data().path("id").asText();
                    String link = SecretLedger.record(Ensync.linkIdOf(r.data().path("url").asText()));
                    created.put(id, link);
                    Http.Response redemption = Http.keycloak().request("POST", Ensync.partnerApiBase(realm) + "/links/" + link + "/redeem").send();
                    answered.incrementAndGet();
                    if (redemption.status() == 200) {
                        JsonNode dev = redemption.data().path("environments").get(0);
                        redemption.data().path("environments").forEach(e -> SecretLedger.record(e.path("clientSecret").asText()));
                        redeemed.put(id, dev);
                    }
                } catch (UncheckedIOException killed) {
                    unanswered.incrementAndGet(); // the server died under this request
                }
            }));
        }
        // Kill once a good part of the work has been answered, with more of it in flight.
        while (answered.get() < 2 * PARTNERS / 3) {
            Thread.sleep(20);
        }
        server.crashAndRestart();
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();

        assertTrue(unanswered.get() > 0 || answered.get() < 2 * PARTNERS, "the kill hit requests in flight");
        for (Map.Entry<String, String> partner : created.entrySet()) {
            JsonNode read = Http.keycloak().get(Ensync.externalBase(realm) + "/partner/" + partner.getKey(), key).expect(200).data();
            if (redeemed.containsKey(partner.getKey())) {
                assertEquals("active", read.path("status").asText(), "a 200 redemption is kept in full");
                JsonNode dev = redeemed.get(partner.getKey());
                KeycloakApi.clientCredentialsToken(realm, dev.path("clientId").asText(), dev.path("clientSecret").asText()).expect(200);
            }
        }
        System.out.printf("CrashIT: %d partners created (201), %d redeemed (200), %d requests without an answer%n",
                created.size(), redeemed.size(), unanswered.get());
    }
}
