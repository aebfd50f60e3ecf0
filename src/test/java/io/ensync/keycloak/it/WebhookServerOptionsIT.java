package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import io.ensync.keycloak.it.support.SecretLedger;
import io.ensync.keycloak.it.support.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.ensync.keycloak.it.support.Ensync.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhook behaviour that needs the server started with other {@code ensync-webhooks} options than the suite's
 * ({@code allow-private-targets=true}): the SSRF guard as production has it (the option off), and the
 * {@code secret.expiring} scan at a short interval ({@code secret-expiry-scan-interval-seconds}). Each test restarts
 * the server with the options it needs; the suite's options are restored afterwards.
 * <p>
 * No request of this class goes anywhere but loopback: the private and link-local addresses are refused before any
 * connection (literal addresses are not even looked up), and the only endpoints that are delivered to are this
 * JVM's receiver on 127.0.0.1 and {@code localhost}.
 */
@ExtendWith(KeycloakExtension.class)
class WebhookServerOptionsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static WebhookReceiver receiver;
    private static String realm;

    @BeforeAll
    static void setUp() throws Exception {
        receiver = WebhookReceiver.start();
        realm = KeycloakApi.createRealm();
    }

    @AfterAll
    static void theSuiteOptionsAgain() {
        receiver.close();
        KeycloakServer.get().restartWithWebhookOptions(KeycloakServer.DEFAULT_WEBHOOK_OPTIONS);
    }

    private static String webhooks(String integrationId) {
        return Ensync.adminBase(realm) + "/integrations/" + integrationId + "/webhooks";
    }

    private static JsonNode createWebhook(String integrationId, Map<String, Object> body) {
        JsonNode created = Http.keycloak().postJson(webhooks(integrationId), KeycloakApi.adminToken(), body).expect(201).data();
        SecretLedger.record(created.path("secret").asText());
        return created;
    }

    private static JsonNode awaitDeliveries(String integrationId, String webhookId, Predicate<JsonNode> done) throws InterruptedException {
        String path = webhooks(integrationId) + "/" + webhookId + "/deliveries";
        Instant deadline = Instant.now().plus(WAIT);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = Http.keycloak().get(path, KeycloakApi.adminToken()).expect(200).json().path("data");
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " did not reach the expected state within " + WAIT + ": " + last);
    }

    /**
     * A name other than {@code localhost} that resolves to loopback (refused by the look-up, not by the name rule):
     * the machine's own host name, which Debian's /etc/hosts maps to 127.0.x.x.
     */
    private static String nameResolvingToLoopback() throws Exception {
        String name = InetAddress.getLocalHost().getHostName();
        assertFalse(name.equals("localhost") || name.endsWith(".localhost"), name);
        for (InetAddress address : InetAddress.getAllByName(name)) {
            assertTrue(address.isLoopbackAddress(), "this test needs the host name " + name + " to resolve to loopback, not " + address);
        }
        return name;
    }

    @Test
    void withoutTheOptionPrivateTargetsAreRefusedAtCreationAndAtDelivery() throws Exception {
        // Made while the option is on (the suite's server): endpoints on loopback, by address and by name.
        JsonNode integration = Ensync.createIntegration(realm);
        String integrationId = integration.path("id").asText();
        List<String> created = List.of("partner.created");
        JsonNode byAddress = createWebhook(integrationId, Map.of("url", receiver.url("/ssrf-address"), "eventTypes", created));
        JsonNode byName = createWebhook(integrationId, Map.of("url", "http://localhost:" + receiver.port() + "/ssrf-name", "eventTypes", created));

        KeycloakServer.get().restartWithWebhookOptions(Map.of());

        // At creation, and on a change of the URL: 400 webhook_target_blocked naming the url.
        String admin = KeycloakApi.adminToken();
        String loopbackName = nameResolvingToLoopback();
        List<String> refused = List.of("https://127.0.0.1/hook", "https://127.0.0.1:8443/hook", "https://169.254.169.254/latest/meta-data/",
                "https://10.0.0.1/hook", "https://localhost/hook", "https://api.localhost/hook", "https://" + loopbackName + "/hook",
                "https://[::1]/hook", "https://[::ffff:127.0.0.1]/hook", "https://[::ffff:a9fe:a9fe]/hook",
                "https://192.168.1.1/hook", "https://172.16.0.1/hook", "https://100.64.0.1/hook", "https://0.0.0.0/hook",
                receiver.url("/plain-http"));
        List<String> notRefused = new ArrayList<>();
        for (String url : refused) {
            Http.Response r = Http.keycloak().postJson(webhooks(integrationId), admin, Map.of("url", url, "enabled", false));
            if (r.status() != 400 || !"webhook_target_blocked".equals(r.error().path("code").asText())
                    || !"url".equals(r.error().path("field").asText())) {
                notRefused.add(url + " -> " + r.status() + " " + r.body());
            }
        }
        assertEquals(List.of(), notRefused);
        assertError(Http.keycloak().putJson(webhooks(integrationId) + "/" + byAddress.path("id").asText(), admin,
                Map.of("url", "https://10.0.0.1/hook")), 400, "webhook_target_blocked", "url");
        assertEquals(receiver.url("/ssrf-address"), Http.keycloak().get(webhooks(integrationId) + "/" + byAddress.path("id").asText(), admin)
                .expect(200).data().path("url").asText());
        // Not everything is refused: a public address is taken (disabled, so that nothing is ever sent to it).
        String publicHook = Http.keycloak().postJson(webhooks(integrationId), admin, Map.of("url", "https://192.0.2.10/hook", "enabled", false))
                .expect(201).data().path("id").asText();
        Http.keycloak().delete(webhooks(integrationId) + "/" + publicHook, admin).expect(200);

        // At delivery: the endpoints made while the option was on are refused when sending (the name is resolved
        // then, and its address checked), recorded as a failed attempt to retry; the receiver gets nothing.
        Ensync.createPartner(realm, integration.path("key").asText());
        for (JsonNode hook : List.of(byAddress, byName)) {
            JsonNode log = awaitDeliveries(integrationId, hook.path("id").asText(),
                    data -> data.size() == 1 && data.get(0).path("attempts").asInt() >= 1);
            JsonNode entry = log.get(0);
            assertEquals("pending", entry.path("status").asText(), entry.toString());
            assertFalse(entry.hasNonNull("lastStatus"), entry.toString());
            String error = entry.path("lastError").asText();
            assertTrue(error.startsWith("target address not allowed: "), entry.toString());
            assertTrue(InetAddress.getByName(error.substring("target address not allowed: ".length())).isLoopbackAddress(), error);
            assertTrue(entry.path("nextAttemptAt").isTextual(), entry.toString());
        }
        // Each attempt is recorded after the send was decided, so a request sent would have arrived by now.
        assertEquals(List.of(), receiver.at("/ssrf-address"));
        assertEquals(List.of(), receiver.at("/ssrf-name"));
        // Nothing left to retry once the private targets are allowed again.
        Http.keycloak().delete(webhooks(integrationId) + "/" + byAddress.path("id").asText(), admin).expect(200);
        Http.keycloak().delete(webhooks(integrationId) + "/" + byName.path("id").asText(), admin).expect(200);
    }

    private static String secretExpiresAt(JsonNode credentials) {
        JsonNode me = Http.keycloak().get(Ensync.partnerApiBase(realm) + "/me", Ensync.partnerApiToken(realm, credentials)).expect(200).data();
        for (JsonNode env : me.path("environments")) {
            if (env.path("name").asText().equals("dev")) {
                return env.path("secretExpiresAt").asText();
            }
        }
        throw new AssertionError("no dev environment in " + me);
    }

    @Test
    void secretExpiringIsSentOnceSevenDaysBeforeTheSecretExpires() throws Exception {
        KeycloakServer.get().restartWithWebhookOptions(Map.of("allow-private-targets", "true", "secret-expiry-scan-interval-seconds", "1"));
        // dev secrets live 3 days (inside the 7-day notice from the start), stage secrets 30 days (not yet), prod's
        // never expire.
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "expiring");
        body.put("secretPolicy", Map.of("maxAgeDays", Map.of("dev", 3, "stage", 30)));
        JsonNode integration = Ensync.createIntegration(realm, body);
        String integrationId = integration.path("id").asText();
        JsonNode hook = createWebhook(integrationId, Map.of("url", receiver.url("/expiring"), "eventTypes", List.of("secret.expiring")));

        JsonNode first = Ensync.createPartner(realm, integration.path("key").asText());
        JsonNode firstDev = Ensync.redeemOk(realm, first.path("url").asText()).get("dev");
        receiver.awaitAt("/expiring", WAIT, list -> !list.isEmpty());
        // A second partner after the first notice: once its notice has come, the scan has run again over the first
        // partner's clients (every run reads them all) and must not have announced them again.
        JsonNode second = Ensync.createPartner(realm, integration.path("key").asText());
        JsonNode secondDev = Ensync.redeemOk(realm, second.path("url").asText()).get("dev");
        receiver.awaitAt("/expiring", WAIT, list -> list.stream().anyMatch(r -> r.data().path("partnerId").asText().equals(second.path("id").asText())));
        JsonNode log = awaitDeliveries(integrationId, hook.path("id").asText(),
                data -> data.size() >= 2 && java.util.stream.StreamSupport.stream(data.spliterator(), false)
                        .allMatch(d -> d.path("status").asText().equals("delivered")));
        assertEquals(2, log.size(), "one message per partner (dev only): " + log);

        List<WebhookReceiver.Received> got = receiver.at("/expiring");
        assertEquals(2, got.size(), () -> got.stream().map(WebhookReceiver.Received::body).toList().toString());
        for (JsonNode[] pair : List.of(new JsonNode[] {first, firstDev}, new JsonNode[] {second, secondDev})) {
            String partnerId = pair[0].path("id").asText();
            WebhookReceiver.Received r = got.stream().filter(x -> x.data().path("partnerId").asText().equals(partnerId)).findFirst()
                    .orElseThrow(() -> new AssertionError("no secret.expiring for " + partnerId));
            assertEquals("secret.expiring", r.type());
            JsonNode data = r.data();
            assertEquals(integrationId, data.path("integrationId").asText(), r.body());
            assertEquals("dev", data.path("environment").asText(), r.body());
            assertFalse(data.has("actor"), "the server's scan sends it, no one's change: " + r.body());
            assertEquals(pair[1].path("clientId").asText(), data.path("clientId").asText(), r.body());
            // The expiry announced is the one the partner API shows (3 days after the redemption).
            Instant expiresAt = Instant.parse(data.path("expiresAt").asText());
            Instant told = Instant.parse(secretExpiresAt(pair[1]));
            assertEquals(told.getEpochSecond(), expiresAt.getEpochSecond(), r.body() + " / " + pair[1]);
            long hours = Duration.between(Instant.now(), expiresAt).toHours();
            assertTrue(hours >= 71 && hours <= 72, "about 3 days ahead: " + expiresAt);
            assertFalse(r.body().contains(pair[1].path("clientSecret").asText()), "no secret in " + r.body());
        }
        WebhookReceiver.assertSigned(hook.path("secret").asText(), got);
    }
}
