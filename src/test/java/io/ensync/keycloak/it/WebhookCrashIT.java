package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import io.ensync.keycloak.it.support.SecretLedger;
import io.ensync.keycloak.it.support.WebhookReceiver;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code kill -9} of Keycloak with undelivered webhook messages: the receiver does not answer, so when the server
 * dies some messages are mid-attempt (leased, their request at the receiver) and the others wait in the outbox. After
 * the restart every message is delivered, at least once, with the webhook-id it had before the kill. PostgreSQL
 * only, as {@link CrashIT} (H2's dev-file store may lose commits of the last half second at a kill).
 */
@Order(Integer.MAX_VALUE - 4)
@ExtendWith(KeycloakExtension.class)
class WebhookCrashIT {

    private static final int PARTNERS = 12;
    // The restart, then the 60 s lease of the messages in flight at the kill, then their delivery.
    private static final Duration AFTER_RESTART = Duration.ofSeconds(180);

    @Test
    void everyMessageIsDeliveredAfterAKillWithTheSameId(KeycloakServer server) throws Exception {
        assumeTrue("postgres".equals(server.db()), "crash durability is PostgreSQL's (see CrashIT)");
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            String realm = KeycloakApi.createRealm();
            JsonNode integration = Ensync.createIntegration(realm);
            String integrationId = integration.path("id").asText();
            String webhooks = Ensync.adminBase(realm) + "/integrations/" + integrationId + "/webhooks";
            JsonNode hook = Http.keycloak().postJson(webhooks, KeycloakApi.adminToken(),
                    Map.of("url", receiver.url("/crash"), "eventTypes", List.of("partner.created"))).expect(201).data();
            String secret = SecretLedger.record(hook.path("secret").asText());
            String deliveries = webhooks + "/" + hook.path("id").asText() + "/deliveries?max=100";

            receiver.hold();
            Set<String> partners = new TreeSet<>();
            for (int i = 0; i < PARTNERS; i++) {
                partners.add(Ensync.createPartner(realm, integration.path("key").asText()).path("id").asText());
            }
            // Every message committed (each 201 came after its commit), and deliveries in flight, unanswered.
            receiver.awaitAt("/crash", Duration.ofSeconds(30), list -> !list.isEmpty());
            JsonNode before = Http.keycloak().get(deliveries, KeycloakApi.adminToken()).expect(200).json().path("data");
            assertEquals(PARTNERS, before.size(), before.toString());
            Set<String> ids = new HashSet<>();
            before.forEach(d -> ids.add(d.path("id").asText()));
            for (JsonNode d : before) {
                assertEquals("pending", d.path("status").asText(), "undelivered at the kill: " + d);
            }

            server.crash();
            List<WebhookReceiver.Received> inFlight = receiver.at("/crash");
            Map<String, String> bodyBefore = new HashMap<>();
            inFlight.forEach(r -> bodyBefore.put(r.id(), r.body()));
            receiver.release();
            server.restart();

            // After the restart: every message delivered, and the receiver got each id (at least once).
            Instant deadline = Instant.now().plus(AFTER_RESTART);
            JsonNode after = null;
            while (Instant.now().isBefore(deadline)) {
                after = Http.keycloak().get(deliveries, KeycloakApi.adminToken()).expect(200).json().path("data");
                boolean allDelivered = after.size() == PARTNERS;
                for (JsonNode d : after) {
                    allDelivered &= "delivered".equals(d.path("status").asText());
                }
                if (allDelivered) {
                    break;
                }
                Thread.sleep(500);
            }
            JsonNode finalLog = after;
            assertTrue(finalLog != null && finalLog.size() == PARTNERS
                            && java.util.stream.StreamSupport.stream(finalLog.spliterator(), false).allMatch(d -> "delivered".equals(d.path("status").asText())),
                    () -> "not all delivered within " + AFTER_RESTART + " of the restart: " + finalLog);
            Set<String> idsAfter = new HashSet<>();
            finalLog.forEach(d -> idsAfter.add(d.path("id").asText()));
            assertEquals(ids, idsAfter, "the same messages, with the same ids");

            List<WebhookReceiver.Received> got = receiver.at("/crash");
            List<WebhookReceiver.Received> delivered = got.subList(inFlight.size(), got.size());
            Map<String, Long> perId = delivered.stream().collect(Collectors.groupingBy(WebhookReceiver.Received::id, Collectors.counting()));
            assertEquals(ids, perId.keySet(), "every message arrived after the restart, and none with another id");
            for (WebhookReceiver.Received r : delivered) {
                if (bodyBefore.containsKey(r.id())) {
                    assertEquals(bodyBefore.get(r.id()), r.body(), "the message sent again is the one sent before the kill");
                }
            }
            for (String id : bodyBefore.keySet()) {
                assertTrue(ids.contains(id), "a message in flight at the kill is one of the log's: " + id);
            }
            assertEquals(partners, delivered.stream().map(r -> r.data().path("partnerId").asText()).collect(Collectors.toCollection(TreeSet::new)));
            assertFalse(inFlight.isEmpty());
            WebhookReceiver.assertSigned(secret, delivered);
            long duplicates = delivered.size() - perId.size();
            System.out.printf("WebhookCrashIT: %d messages, %d in flight at the kill (sent again after the restart with the same id), "
                    + "%d requests after the restart, %d duplicates%n", PARTNERS, bodyBefore.size(), delivered.size(), duplicates);
        }
    }
}
