package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensync.keycloak.it.support.ClientKey;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.Invariants;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.Join;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.Mailbox;
import io.ensync.keycloak.it.support.KeycloakServer;
import io.ensync.keycloak.it.support.Mutator;
import io.ensync.keycloak.it.support.Names;
import io.ensync.keycloak.it.support.Portal;
import io.ensync.keycloak.it.support.SecretLedger;
import io.ensync.keycloak.it.support.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mutation fuzzer over every operation of the OpenAPI document (read from {@code ensync/openapi.json}, so a new
 * endpoint is fuzzed without anyone adding it here) and every form of the partner portal (read from the portal's
 * own pages). Each request starts from a valid one with valid credentials and mutates one thing: a body value
 * (null, every JSON type, empty and huge strings and arrays, unicode edge cases, numbers past bounds, nesting), a key
 * (unknown, duplicate, removed), the text (truncation, junk), a header (Content-Type, Accept, Idempotency-Key,
 * Authorization), a query parameter, or an id in the path.
 * <p>
 * Oracle: never a 5xx or a broken connection; every refusal of a JSON endpoint is the envelope of SPEC §3 with a
 * {@code code} and a message (Keycloak's own answers are accepted only where Keycloak refuses before the extension:
 * admin authentication, non-normalized paths); a portal refusal is a portal page; a refused request adds no admin
 * event (the audit trail records every change) and, sampled, changes no count of integrations, keys, partners or
 * grants; at the end the realm's {@link Invariants} hold and the server is ready.
 * <p>
 * {@code -Densync.fuzz.seed=<long>|random} (default 18), {@code -Densync.fuzz.requests=<n>} (default 2500); see
 * docs/reliability.md.
 */
@ExtendWith(KeycloakExtension.class)
class FuzzIT {

    private static final Pattern FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"[^>]*>(.*?)</form>", Pattern.DOTALL);
    private static final Pattern INPUT = Pattern.compile("<input [^>]*name=\"([^\"]+)\"[^>]*>");
    private static final Pattern VALUE = Pattern.compile("value=\"([^\"]*)\"");
    private static final Pattern TEXTAREA = Pattern.compile("<textarea [^>]*name=\"([^\"]+)\"[^>]*>");
    private static final Pattern SELECT = Pattern.compile("<select name=\"([^\"]+)\"[^>]*>\\s*<option value=\"([^\"]*)\"");
    private static final int MAX_REPORTED = 25;
    private static final int PROGRESS_EVERY = 10_000;
    private static final ClientKey KEY_OF_K = ClientKey.ec();
    private static final ClientKey SECOND_KEY_OF_K = ClientKey.rsa(2048);
    private static final ClientKey[] REDEEM_KEYS = {ClientKey.ec(), ClientKey.ec(), ClientKey.rsa(2048)};
    /** The portal partner's key: stage authenticates with it (so its page has the remove form), the keys form sends it. */
    private static final ClientKey PORTAL_KEY = ClientKey.ec();

    private final Http http = Http.keycloak();
    private String realm;
    private Mutator mutator;
    private long seed;

    // fixture: M the integration the partners belong to (never changed by a path id), S a sacrificial one
    private String key;
    private String integrationM;
    private String integrationS;
    private String keyOfS;
    private String partnerP;            // the partner whose dev token is used
    private JsonNode devOfP;            // its dev credentials (clientId, clientSecret), updated on every rotation
    private String tokenOfP;
    private long tokenOfPAt;
    private String partnerQ;            // sacrificial partner: suspended, offboarded, relinked by the fuzzer
    private String linkOfR;             // an onboarding link of a sacrificial partner R, redeemed by the fuzzer
    private String grantOfP;            // a grant of P withdrawn by the fuzzer
    private String pendingGrant;        // a pending grant decided by the fuzzer
    private String promotion;           // a promotion decided by the fuzzer
    private String partnerPortal;       // the partner with the portal session
    private String portalCookie;
    private String portalCsrf;
    private String startCookie;
    private String portalLink;
    private String accessRequest;       // a pending access request to M, decided by the fuzzer
    private String verifyToken;         // the verification token of an unverified access request, confirmed by the fuzzer
    private JsonNode devOfK;            // partner K's dev credentials, for /me/keys: keys registered and removed by the fuzzer
    private boolean keyedK;             // whether K's dev environment authenticates with KEY_OF_K (else with its secret)
    private String tokenOfK;
    private WebhookReceiver receiver;   // the target of the webhook endpoints (the test server allows loopback targets)
    private String webhook;             // an endpoint of S at the receiver, deleted by the fuzzer
    private String message;             // a message of that endpoint (its test event), replayed by the fuzzer
    private int serial;
    private String eventsHead;

    private final Map<String, Integer> perOperation = new TreeMap<>();
    private final Map<Integer, Integer> perStatus = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private final Map<String, Integer> validRefused = new TreeMap<>();   // unmutated requests answered 4xx, by target
    private int sent;
    private int refusedMutations;
    private int countChecks;
    private int framework;
    private int unsendable;

    @Test
    void mutatedRequestsToEveryOperationAndFormGetNoServerErrorAndChangeNothingWhenRefused() throws IOException {
        String seedProperty = System.getProperty("ensync.fuzz.seed", "18");
        seed = seedProperty.equals("random") ? new SecureRandom().nextLong() : Long.parseLong(seedProperty);
        int budget = Integer.getInteger("ensync.fuzz.requests", 2500);
        mutator = new Mutator(new Random(seed));
        System.out.println("FuzzIT seed " + seed + ", budget " + budget + " requests, database " + KeycloakServer.get().db());

        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("/ensync/openapi.json")) {
            doc = Http.JSON.readTree(in);
        }
        receiver = WebhookReceiver.start();
        Map<String, JsonNode> known = validBodies();
        List<Target> targets = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            if (List.of("get", "post", "put", "delete", "patch").contains(m.getKey())) {
                targets.add(Target.api(doc, m.getKey().toUpperCase(), p.getKey(), m.getValue(), known));
            }
        }));
        int apiOperations = targets.size();

        setUp();
        List<Target> forms = portalForms();
        targets.addAll(forms);
        System.out.println("FuzzIT " + apiOperations + " OpenAPI operations, " + forms.size() + " portal forms and pages: "
                + targets.stream().map(Target::name).toList());
        eventsHead = eventsHead();

        long started = System.nanoTime();
        for (Target t : targets) {          // the valid request of each target, unmutated: the base the mutations start from
            send(t, -1, null);
        }
        for (int i = 0; i < budget && failures.size() < MAX_REPORTED; i++) {
            Target t = targets.get(i % targets.size());
            send(t, i, mutator.nextInt(10));
            if ((i + 1) % PROGRESS_EVERY == 0) {   // a long run's figures so far
                System.out.println("FuzzIT seed " + seed + " progress: " + sent + " requests in " + (System.nanoTime() - started) / 1_000_000_000L
                        + " s, statuses " + perStatus + ", failures " + failures.size());
            }
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;

        Http.Response ready = new Http(KeycloakServer.get().managementUrl(), false).get("/health/ready", null);
        if (ready.status() != 200) {
            failures.add("after the run /health/ready answers " + ready.status());
        }
        Invariants.check(realm);
        receiver.close();
        System.out.println("FuzzIT seed " + seed + ": " + sent + " requests in " + seconds + " s, statuses " + perStatus
                + ", refused mutating requests checked for no new admin event " + refusedMutations + ", of those with counts "
                + countChecks + ", Keycloak's own refusals " + framework + ", not sendable by the client " + unsendable
                + ", failures " + failures.size() + ", webhook messages received " + receiver.all().size());
        System.out.println("FuzzIT requests per target " + perOperation);
        System.out.println("FuzzIT unmutated requests refused (the fixture's state at that moment) " + validRefused);
        for (Target t : targets) {
            assertTrue(perOperation.getOrDefault(t.name(), 0) >= Math.min(2, budget / targets.size()), "too few requests for " + t.name());
        }
        assertEquals(List.of(), failures, "fuzzer failures (seed " + seed + ", re-run: -Densync.fuzz.seed=" + seed
                + " -Densync.fuzz.requests=" + budget + ")");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Targets: an OpenAPI operation or a portal form, with its valid request.

    /** @param auth adminToken, integrationKey, partnerToken, portal or none */
    record Target(String name, String method, String template, String auth, JsonNode body, Map<String, List<String>> form,
                  Map<String, List<String>> query, boolean idempotencyKey) {

        static Target api(JsonNode doc, String method, String path, JsonNode operation, Map<String, JsonNode> known) {
            String auth = operation.path("security").size() == 0 ? "none" : operation.path("security").get(0).fieldNames().next();
            Map<String, List<String>> query = new LinkedHashMap<>();
            boolean idempotency = false;
            for (JsonNode p : operation.path("parameters")) {
                JsonNode param = resolve(doc, p);
                if (param.path("in").asText().equals("query")) {
                    List<String> values = new ArrayList<>();
                    resolve(doc, param.path("schema")).path("enum").forEach(v -> values.add(v.asText()));
                    query.put(param.path("name").asText(), values);
                } else if (param.path("in").asText().equals("header") && param.path("name").asText().equalsIgnoreCase("Idempotency-Key")) {
                    idempotency = true;
                }
            }
            JsonNode schema = operation.path("requestBody").path("content").path("application/json").path("schema");
            JsonNode body = schema.isMissingNode() ? null : known.getOrDefault(method + " " + path, fromSchema(doc, schema, 0));
            return new Target(method + " " + path, method, path, auth, body, null, query, idempotency);
        }

        static Target portal(String name, String template, Map<String, List<String>> form) {
            return new Target(name, "POST", template, "portal", null, form, Map.of(), false);
        }

        static Target portalPage(String name, String template, Map<String, List<String>> query) {
            return new Target(name, "GET", template, "portal", null, null, query, false);
        }

        boolean isPortal() {
            return auth.equals("portal");
        }
    }

    /**
     * Valid bodies where the document's schema alone does not make one (the others are built from the schema): real
     * public keys for {@code PUT /me/keys} and redemption, the test JVM's receiver as the webhook target.
     */
    private Map<String, JsonNode> validBodies() throws IOException {
        String integrations = "/admin/realms/{realm}/ensync/integrations";
        String partnerApi = "/realms/{realm}/ensync/api/v1/partner";
        String webhook = "{\"url\":\"" + receiver.url("/fuzz") + "\",\"eventTypes\":[\"partner.created\",\"grant.requested\"],"
                + "\"enabled\":true,\"description\":\"the fuzzer's receiver\"}";
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("POST " + integrations, "{\"name\":\"fuzz-made\",\"description\":\"d\",\"environments\":[\"dev\",\"stage\",\"prod\"],"
                + "\"linkTtlSeconds\":3600,\"allowedEmbedOrigins\":[\"https://a.example\"],\"topics\":[{\"pattern\":\"app/order/*\",\"send\":true,"
                + "\"receive\":true,\"autoApprove\":[\"dev\"]}],\"secretPolicy\":{\"maxAgeDays\":{\"prod\":90},\"rotationGraceSeconds\":60},\"enabled\":true}");
        bodies.put("PUT " + integrations + "/{id}", "{\"description\":\"d2\",\"linkTtlSeconds\":7200,\"allowedEmbedOrigins\":[\"https://b.example\"],"
                + "\"topics\":[{\"pattern\":\"app/*\",\"send\":true,\"receive\":false,\"autoApprove\":[\"dev\",\"stage\"]}],"
                + "\"secretPolicy\":{\"maxAgeDays\":{\"dev\":30,\"prod\":90},\"rotationGraceSeconds\":600},\"enabled\":true}");
        bodies.put("POST " + integrations + "/{id}/keys", "{\"expiresInDays\":30}");
        bodies.put("POST " + integrations + "/{id}/webhooks", webhook);
        bodies.put("PUT " + integrations + "/{id}/webhooks/{wid}", webhook);
        bodies.put("POST " + integrations + "/{id}/webhooks/{wid}/secret", "{\"overlapSeconds\":60}");
        bodies.put("POST /realms/{realm}/ensync/api/v1/external/partner", "{\"appName\":\"Fuzz App\",\"appDescription\":\"A partner\","
                + "\"metadata\":{\"color\":\"#112233\",\"icon\":\"https://a.example/i.png\",\"tags\":[\"a\",\"b\"],\"owner\":\"x\",\"n\":1,\"deep\":{\"k\":[1,null]}}}");
        bodies.put("POST " + partnerApi + "/me/secret", "{\"revokePrevious\":false}");
        bodies.put("POST " + partnerApi + "/me/grants", "{\"topic\":\"app/order/created\",\"scopes\":[\"send\",\"receive\"]}");
        bodies.put("PUT " + partnerApi + "/me/keys", keysOfK());
        // every environment with one key, prod with its own two (a roll in progress)
        bodies.put("POST " + partnerApi + "/links/{linkId}/redeem", "{\"jwks\":" + jwks(REDEEM_KEYS[0]) + ",\"environments\":{\"prod\":{\"jwks\":"
                + jwks(REDEEM_KEYS[1], REDEEM_KEYS[2]) + "}}}");
        Map<String, JsonNode> known = new LinkedHashMap<>();
        for (Map.Entry<String, String> body : bodies.entrySet()) {
            known.put(body.getKey(), Http.JSON.readTree(body.getValue()));
        }
        return known;
    }

    /** The JWK Set partner K registers: a P-256 key and a 2048-bit RSA key. */
    private static String keysOfK() {
        return jwks(KEY_OF_K, SECOND_KEY_OF_K);
    }

    private static String jwks(ClientKey... keys) {
        try {
            return Http.JSON.writeValueAsString(Map.of("keys", java.util.Arrays.stream(keys).map(ClientKey::publicJwk).toList()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode fromSchema(JsonNode doc, JsonNode schema, int depth) {
        schema = resolve(doc, schema);
        var f = Http.JSON.getNodeFactory();
        if (schema.has("enum")) {
            return schema.path("enum").get(0);
        }
        String type = schema.path("type").isArray() ? schema.path("type").get(0).asText() : schema.path("type").asText("object");
        return switch (type) {
            case "string" -> f.textNode("x");
            case "integer", "number" -> f.numberNode(schema.path("minimum").asInt(1));
            case "boolean" -> f.booleanNode(false);
            case "array" -> f.arrayNode().add(fromSchema(doc, schema.path("items"), depth + 1));
            default -> {
                ObjectNode o = f.objectNode();
                if (depth < 4) {
                    schema.path("properties").fields().forEachRemaining(p -> o.set(p.getKey(), fromSchema(doc, p.getValue(), depth + 1)));
                }
                yield o;
            }
        };
    }

    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        while (node.has("$ref")) {
            JsonNode target = doc;
            for (String part : node.path("$ref").asText().substring(2).split("/")) {
                target = target.path(part);
            }
            node = target;
        }
        return node;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The fixture: valid credentials and ids, renewed where an accepted request used them up.

    private void setUp() {
        realm = KeycloakApi.createRealm();
        JsonNode m = Ensync.createIntegration(realm, Map.of("name", "fuzz-m", "topics", List.of(
                Map.of("pattern", "app/order/*", "send", true, "receive", true, "autoApprove", List.of("dev")),
                Map.of("pattern", "ops/*", "receive", true))));
        integrationM = m.path("id").asText();
        key = m.path("key").asText();
        newIntegrationS();
        JsonNode p = Ensync.createPartner(realm, key);
        partnerP = p.path("id").asText();
        devOfP = Ensync.redeemOk(realm, p.path("url").asText()).get("dev").deepCopy();
        refreshTokenOfP();
        devOfK = Ensync.redeemOk(realm, Ensync.createPartner(realm, key).path("url").asText()).get("dev").deepCopy();
        refreshTokenOfK();
        newPartnerQ();
        newLinkOfR();
        newGrantOfP();
        newPendingGrant();
        JsonNode promoted = Ensync.createPartner(realm, key);
        JsonNode devOfPromoted = Ensync.redeemOk(realm, promoted.path("url").asText()).get("dev");
        promotion = http.request("POST", Ensync.partnerApiBase(realm) + "/me/promotion").bearer(apiToken(devOfPromoted)).send()
                .expect(201).data().path("id").asText();
        JsonNode portalPartner = Ensync.createPartner(realm, key);
        partnerPortal = portalPartner.path("id").asText();
        Portal portal = new Portal(realm);
        Http.Response onboarded = portal.start(portalPartner.path("url").asText()).expect(200);
        portalCookie = Portal.sessionCookie(onboarded);
        portalCsrf = Portal.csrf(portal.get("/environments").expect(200));
        portalForm("/environments/stage/keys", Map.of("keys", PORTAL_KEY.publicPem()));
        newPortalGrant();
        newPortalLink();
        Mailbox.configure(realm);
        http.putJson(Ensync.adminBase(realm) + "/integrations/" + integrationM, KeycloakApi.adminToken(), Map.of("accessRequests", "approval")).expect(200);
        accessRequest = newAccessRequest();
        verifyToken = newVerifyToken();
    }

    /** A fresh pending access request to M (its own unverified one, confirmed); null when the join page refuses more for now. */
    private String newAccessRequest() {
        String token = newVerifyToken();
        if (token == null) {
            return null;
        }
        Join.verify(new Portal(realm), "/join/verify/" + token).expect(200);
        return http.get(Ensync.adminBase(realm) + "/access-requests?status=pending&max=1", KeycloakApi.adminToken())
                .expect(200).data().path(0).path("id").asText();
    }

    /**
     * The token of a fresh unverified access request to M, sent from an address of its own (the join page counts
     * every submission of an address); null when the join page refuses more for now (429): the old one is kept.
     */
    private String newVerifyToken() {
        String forwarded = "198.19." + (++serial / 250 % 250) + "." + (serial % 250);
        String email = "fuzz-joiner-" + serial + "-" + Names.unique("x") + "@partner.example";
        Http.Response page = http.request("GET", Portal.base(realm) + "/join/" + integrationM).header("X-Forwarded-For", forwarded).send().expect(200);
        Http.Response sent = http.request("POST", Portal.base(realm) + "/join/" + integrationM).header("X-Forwarded-For", forwarded)
                .header("Cookie", "ENSYNC_PORTAL_START=" + cookie(page, "ENSYNC_PORTAL_START"))
                .form(Map.of("csrf", Portal.csrf(page), "appName", "Fuzz Joiner", "contactEmail", email)).send();
        if (sent.status() != 200) {
            return null;
        }
        String link = Join.verificationLink(realm, email, 1);
        return link.substring(link.lastIndexOf('/') + 1);
    }

    /** The partner-API token of an environment's credentials. */
    private String apiToken(JsonNode env) {
        return Ensync.partnerApiToken(realm, env);
    }

    private void refreshTokenOfP() {
        tokenOfP = apiToken(devOfP);
        tokenOfPAt = System.nanoTime();
    }

    private void refreshTokenOfK() {
        tokenOfK = keyedK ? Ensync.partnerApiToken(realm, devOfK.path("clientId").asText(), KEY_OF_K) : apiToken(devOfK);
    }

    /** K's keys as the fixture registers them (an accepted mutation may have registered others), and a token by them. */
    private void keysOfKRegistered() {
        try {
            http.putJson(Ensync.partnerApiBase(realm) + "/me/keys", tokenOfK, Http.JSON.readTree(keysOfK())).expect(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keyedK = true;
        refreshTokenOfK();
    }

    private void newIntegrationS() {
        JsonNode s = Ensync.createIntegration(realm, Map.of("name", "fuzz-s-" + (++serial)));
        integrationS = s.path("id").asText();
        newKeyOfS();
        newWebhook();
    }

    private String webhooksOfS() {
        return Ensync.adminBase(realm) + "/integrations/" + integrationS + "/webhooks";
    }

    /** A webhook endpoint of S at the receiver, and a message of it to replay (its test event). */
    private void newWebhook() {
        JsonNode created = http.postJson(webhooksOfS(), KeycloakApi.adminToken(), webhookBody()).expect(201).data();
        SecretLedger.record(created.path("secret").asText());
        webhook = created.path("id").asText();
        message = http.postJson(webhooksOfS() + "/" + webhook + "/test", KeycloakApi.adminToken(), Map.of()).expect(202).data().path("id").asText();
    }

    private Map<String, Object> webhookBody() {
        return Map.of("url", receiver.url("/fuzz"), "eventTypes", List.of("partner.created", "grant.requested"), "enabled", true);
    }

    private void newKeyOfS() {
        JsonNode k = http.postJson(Ensync.adminBase(realm) + "/integrations/" + integrationS + "/keys", KeycloakApi.adminToken(), Map.of())
                .expect(201).data();
        SecretLedger.record(k.path("key").asText());
        keyOfS = k.path("id").asText();
    }

    private void newPartnerQ() {
        partnerQ = Ensync.createPartner(realm, key).path("id").asText();
    }

    private void newLinkOfR() {
        linkOfR = Ensync.linkIdOf(Ensync.createPartner(realm, key).path("url").asText());
    }

    private void newGrantOfP() {
        grantOfP = requestOfP("app/order/w" + (++serial), "send");
    }

    private void newPendingGrant() {
        pendingGrant = requestOfP("ops/p" + (++serial), "receive");
    }

    /**
     * A grant request of P. Accepted mutations and admin approvals add to P's grants, so a long run reaches P's quota
     * (409 grant_limit): then every active grant of P is revoked, the request made again, and the other fixture grant
     * (revoked with them) made anew.
     */
    private String requestOfP(String topic, String scope) {
        Http.Response answer = http.postJson(Ensync.partnerApiBase(realm) + "/me/grants", tokenOfP, Map.of("topic", topic, "scopes", List.of(scope)));
        if (answer.status() != 409 || !"grant_limit".equals(answer.error().path("code").asText())) {
            return answer.expect(201).data().path("id").asText();
        }
        revokeDevGrants(partnerP);
        String id = http.postJson(Ensync.partnerApiBase(realm) + "/me/grants", tokenOfP, Map.of("topic", topic, "scopes", List.of(scope)))
                .expect(201).data().path("id").asText();
        if (scope.equals("send")) {
            newPendingGrant();
        } else {
            newGrantOfP();
        }
        return id;
    }

    /** Revokes the partner's active grants in dev (by the admin API), to make room under its quota. */
    private void revokeDevGrants(String partnerId) {
        String admin = KeycloakApi.adminToken();
        for (String status : List.of("approved", "pending")) {
            for (JsonNode grant : http.get(Ensync.adminBase(realm) + "/grants?max=500&env=dev&status=" + status + "&partner=" + partnerId, admin)
                    .expect(200).data()) {
                http.delete(Ensync.adminBase(realm) + "/grants/" + grant.path("id").asText(), admin).expect(200);
            }
        }
    }

    /** A fresh re-entry link of the portal partner (it expires the earlier ones). */
    private void newPortalLink() {
        Http.Response link = http.request("POST", Ensync.externalBase(realm) + "/partner/" + partnerPortal + "/link").bearer(key).send().expect(201);
        String url = link.data().path("url").asText();
        SecretLedger.record(Ensync.linkIdOf(url));
        portalLink = Ensync.linkIdOf(url);
        Http.Response page = http.get(Portal.base(realm) + "/links/" + portalLink, null).expect(200);
        startCookie = cookie(page, "ENSYNC_PORTAL_START");
        SecretLedger.record(startCookie);
        startCsrfOfLink = Portal.csrf(page);
    }

    private String startCsrfOfLink;
    private String portalGrant;

    /** A form of the portal session's pages, sent as it is (the fixture's own change); answers its page. */
    private Http.Response portalForm(String path, Map<String, String> fields, int... alsoFine) {
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.put("csrf", portalCsrf);
        Http.Response page = http.request("POST", Portal.base(realm) + path).header("Cookie", "ENSYNC_PORTAL=" + portalCookie)
                .form(form).send();
        assertTrue(page.status() < 400 || java.util.Arrays.stream(alsoFine).anyMatch(s -> s == page.status()), () -> "portal " + path + ": " + page);
        Portal.secrets(page.body()).forEach(SecretLedger::record);
        return page;
    }

    /** A pending grant of the portal partner (requested through the portal form), for the withdraw form. */
    private void newPortalGrant() {
        Map<String, String> form = Map.of("csrf", portalCsrf, "topic", "ops/portal" + (++serial), "scope", "receive", "environment", "dev");
        Http.Response page = http.request("POST", Portal.base(realm) + "/events/grants").header("Cookie", "ENSYNC_PORTAL=" + portalCookie)
                .form(form).send();
        if (page.status() == 409) {   // at its quota (accepted mutations of the form add grants): make room, as for P
            revokeDevGrants(partnerPortal);
            page = http.request("POST", Portal.base(realm) + "/events/grants").header("Cookie", "ENSYNC_PORTAL=" + portalCookie).form(form).send();
        }
        int status = page.status();
        assertTrue(status < 400, () -> "portal grant request: " + status);
        Http.Response events = http.request("GET", Portal.base(realm) + "/events").header("Cookie", "ENSYNC_PORTAL=" + portalCookie).send().expect(200);
        Matcher withdraw = Pattern.compile("/events/grants/([^/\"]+)/withdraw").matcher(events.body());
        assertTrue(withdraw.find(), "a withdraw form on the events page");
        portalGrant = withdraw.group(1);
    }

    /** A new portal session through a fresh re-entry link, after the fuzzer ended the last one. */
    private void newPortalSession() {
        Portal portal = new Portal(realm);
        Http.Response link = http.request("POST", Ensync.externalBase(realm) + "/partner/" + partnerPortal + "/link").bearer(key).send().expect(201);
        SecretLedger.record(Ensync.linkIdOf(link.data().path("url").asText()));
        Http.Response started = portal.start(link.data().path("url").asText()).expect(303);
        portalCookie = Portal.sessionCookie(started);
        portalCsrf = Portal.csrf(portal.get("/environments").expect(200));
        newPortalLink();
    }

    private static String cookie(Http.Response response, String name) {
        for (String c : response.headers().allValues("Set-Cookie")) {
            if (c.startsWith(name + "=")) {
                return c.substring(name.length() + 1, c.indexOf(';'));
            }
        }
        throw new AssertionError("no cookie " + name + " in " + response.headers());
    }

    /** The portal's forms, read from its pages (so a new form is fuzzed too), with their paths' ids as placeholders. */
    private List<Target> portalForms() {
        String base = Portal.base(realm);
        Map<String, Target> found = new LinkedHashMap<>();
        for (String page : List.of("/environments", "/events", "/history")) {
            Http.Response r = http.request("GET", base + page).header("Cookie", "ENSYNC_PORTAL=" + portalCookie).send().expect(200);
            found.put("GET portal" + page, Target.portalPage("GET portal" + page, page,
                    page.equals("/history") ? Map.of("first", List.of(), "max", List.of()) : Map.of()));
            Matcher form = FORM.matcher(r.body());
            while (form.find()) {
                String action = form.group(1).replace("&#x2F;", "/").replace("&amp;", "&");
                String path = action.substring(action.indexOf("/ensync/portal") + "/ensync/portal".length())
                        .replaceAll("/environments/(dev|stage|prod)/", "/environments/{env}/")
                        .replaceAll("/promotion/(dev|stage|prod)$", "/promotion/{env}")
                        .replaceAll("/grants/[^/]+/withdraw$", "/grants/{grantId}/withdraw");
                Map<String, List<String>> fields = new LinkedHashMap<>();
                Matcher input = INPUT.matcher(form.group(2));
                while (input.find()) {
                    Matcher value = VALUE.matcher(input.group(0));
                    String v = value.find() ? value.group(1) : "";
                    if (input.group(1).equals("topic")) {
                        v = "app/order/portal";
                    }
                    fields.computeIfAbsent(input.group(1), k -> new ArrayList<>()).add(v);
                }
                Matcher textarea = TEXTAREA.matcher(form.group(2));
                while (textarea.find()) {    // the keys form's only textarea: a public key, as a partner pastes it
                    fields.computeIfAbsent(textarea.group(1), k -> new ArrayList<>()).add(PORTAL_KEY.publicPem());
                }
                Matcher select = SELECT.matcher(form.group(2));
                while (select.find()) {
                    fields.computeIfAbsent(select.group(1), k -> new ArrayList<>()).add(select.group(2));
                }
                found.putIfAbsent("POST portal" + path, Target.portal("POST portal" + path, path, fields));
            }
        }
        // The join pages (SPEC §15) of M, which takes access requests; every submission names the same contact, so the
        // open request answers the repeats and the fuzzer mails one address only.
        found.put("GET portal/join/{joinRef}", Target.portalPage("GET portal/join/{joinRef}", "/join/{joinRef}", Map.of()));
        found.put("POST portal/join/{joinRef}", Target.portal("POST portal/join/{joinRef}", "/join/{joinRef}", Map.of(
                "csrf", List.of("{startCsrf}"), "appName", List.of("Fuzz Joiner"), "appDescription", List.of("A joiner"),
                "contactEmail", List.of("fuzz-form@partner.example"))));
        found.put("GET portal/join/verify/{verifyToken}", Target.portalPage("GET portal/join/verify/{verifyToken}", "/join/verify/{verifyToken}", Map.of()));
        found.put("POST portal/join/verify/{verifyToken}", Target.portal("POST portal/join/verify/{verifyToken}", "/join/verify/{verifyToken}",
                Map.of("csrf", List.of("{startCsrf}"))));
        found.put("GET portal/links/{linkId}", Target.portalPage("GET portal/links/{linkId}", "/links/{linkId}", Map.of()));
        found.put("POST portal/links/{linkId}", Target.portal("POST portal/links/{linkId}", "/links/{linkId}", Map.of("csrf", List.of("{startCsrf}"))));
        return new ArrayList<>(found.values());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // One request: the valid one (mutation null) or one mutation of it, judged by the oracle.

    private void send(Target t, int index, Integer kind) {
        if ((System.nanoTime() - tokenOfPAt) > 120_000_000_000L) {
            refreshTokenOfP();
            refreshTokenOfK();
        }
        if (kind != null && kind >= 1 && kind <= 4 && t.body() == null && t.form() == null) {
            kind = 5 + kind % 4;     // a request without a body: mostly headers, query and ids (kind 0 still sends it a body)
        }
        String what = kind != null && kind == 9 ? "valid request again" : "valid request";
        String path = t.template();
        Map<String, String> ids = ids(t);
        boolean oddPath = false;
        if (kind != null && kind == 8 && path.contains("{") && path.replace("{realm}", "").contains("{")) {
            List<String> vars = new ArrayList<>();
            Matcher v = Pattern.compile("\\{([a-zA-Z]+)}").matcher(path);
            while (v.find()) {
                if (!v.group(1).equals("realm")) {
                    vars.add(v.group(1));
                }
            }
            String var = mutator.pick(vars);
            // other kinds' ids and sacrificial ones only: never M, P or the portal partner, which the fixture needs intact
            String id = mutator.pathId(List.of(integrationS, partnerQ, grantOfP, pendingGrant, promotion, keyOfS, webhook, message, "dev", "stage", "prod"));
            ids.put("{" + var + "}", id);
            what = "path id " + var + " := " + id;
            oddPath = true;
        }
        for (Map.Entry<String, String> id : ids.entrySet()) {
            path = path.replace(id.getKey(), id.getValue());
        }
        String url = (t.isPortal() ? Portal.base(realm) : "") + path;

        Map<String, List<String>> query = new LinkedHashMap<>();
        t.query().forEach((name, values) -> {
            if (!values.isEmpty()) {
                query.put(name, List.of(values.get(0)));
            }
        });
        if (kind != null && kind == 7) {
            List<String> names = new ArrayList<>(t.query().keySet());
            names.addAll(List.of("unknown", "first", "max"));
            String name = mutator.pick(names);
            String value = mutator.queryValue(t.query().getOrDefault(name, List.of()));
            if (mutator.nextInt(4) == 0) {
                query.computeIfAbsent(name, k -> new ArrayList<>());
                query.put(name, List.of(mutator.queryValue(List.of()), value));
            } else {
                query.put(name, List.of(value));
            }
            what = "query " + name + "=" + query.get(name);
            oddPath |= value.contains("%00") || value.contains("%ED");
        } else {
            query.replaceAll((k, v) -> v.stream().map(s -> java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)).toList());
        }
        if (!query.isEmpty()) {
            StringBuilder q = new StringBuilder();
            query.forEach((name, values) -> values.forEach(v -> q.append(q.isEmpty() ? '?' : '&').append(name).append('=').append(v)));
            url += q;
        }

        Map<String, String> headers = new LinkedHashMap<>();
        // The fuzzer's requests come from addresses of their own (the server trusts this client as its proxy), a new one
        // every 50 requests: its guesses of keys and link ids block those (429, as designed), never the fixture's.
        headers.put("X-Forwarded-For", "198.18." + ((index + 1) / 50 / 256 % 256) + "." + ((index + 1) / 50 % 256));
        String credential = credential(t);
        if (credential != null) {
            if (t.isPortal()) {
                headers.put("Cookie", credential);
            } else {
                headers.put("Authorization", "Bearer " + credential);
            }
        }
        String contentType = null;
        String body = null;
        if (t.body() != null) {
            contentType = "application/json";
            body = Mutator.write(t.body());
        } else if (t.form() != null) {
            contentType = "application/x-www-form-urlencoded";
            body = Mutator.encode(formPairs(t.form()));
        }
        if (t.idempotencyKey()) {
            headers.put("Idempotency-Key", "fuzz-" + index);
        }
        boolean authMutated = false;
        if (kind != null && kind <= 4) {
            if (t.form() != null) {
                Mutator.Form form = mutator.mutateForm(resolveForm(t.form()));
                body = form.text();
                what = "form: " + form.what();
            } else {
                Mutator.Body b = mutator.mutateJson(t.body());
                body = b.text();
                contentType = "application/json";
                what = "body: " + b.what();
            }
        } else if (kind != null && kind == 5) {
            String ct = mutator.pick(java.util.Arrays.asList(null, "text/plain", "application/xml", "application/json; charset=latin1",
                    "application/json; charset=utf-16", "application/json;charset=UTF-8", "application/x-www-form-urlencoded",
                    "application/json, text/plain", "application/jsonx", "application/merge-patch+json", "text/json", "json", ";;",
                    "multipart/form-data; boundary=x", "*/*", "application/*"));
            contentType = ct;
            if (body == null) {
                body = "{}";
            }
            what = "Content-Type: " + ct;
        } else if (kind != null && kind == 6) {
            int h = mutator.nextInt(4);
            if (h == 0) {
                String accept = mutator.pick(List.of("text/html", "application/xml", "*/*", "image/png", "application/json;q=0", "x", ""));
                headers.put("Accept", accept);
                what = "Accept: " + accept;
            } else if (h == 1) {
                String k = mutator.pick(List.of("", " ", "has space", "k".repeat(300), "é", "a,b", "fuzz-" + (index - 1), "fuzz-0", "\t"));
                headers.put("Idempotency-Key", k);
                what = "Idempotency-Key: " + Mutator.abbreviate(k, 40);
            } else {
                authMutated = true;
                String c = credential == null ? "ensync_ik_" + "A".repeat(43) : credential;
                List<String> variants = new ArrayList<>(List.of("", "Bearer", "Bearer ", "Basic " + c, "bearer " + c, "Bearer  " + c,
                        "Bearer " + c.substring(0, c.length() / 2), "Bearer " + flip(c), "Bearer " + c + " x", "Bearer " + key,
                        "Bearer " + tokenOfP, "Bearer " + KeycloakApi.adminToken(), "Bearer ensync_ik_" + "A".repeat(43),
                        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "Token " + c));
                String a = mutator.pick(variants);
                headers.remove("Authorization");
                if (t.isPortal()) {
                    String cookieValue = mutator.pick(List.of("", "x", flip(portalCookie), portalCookie.substring(0, 10), "ENSYNC_PORTAL_START=" + startCookie));
                    headers.put("Cookie", "ENSYNC_PORTAL=" + cookieValue);
                    what = "Cookie: ENSYNC_PORTAL=<" + cookieValue.length() + " chars>";
                } else {
                    if (!a.isEmpty()) {
                        headers.put("Authorization", a);
                    }
                    what = "Authorization: " + mask(a);
                }
            }
        }

        Http.Request request;
        try {
            request = http.request(t.method(), url);
        } catch (IllegalArgumentException notAUri) {
            unsendable++;
            return;
        }
        headers.forEach(request::header);
        if (body != null) {
            request.body(contentType, body);
        }
        boolean mutating = !t.method().equals("GET");
        Map<String, Integer> countsBefore = null;
        if (mutating && kind != null && sent % 40 == 0) {
            countsBefore = counts();
        }
        Http.Response response;
        sent++;
        perOperation.merge(t.name(), 1, Integer::sum);
        try {
            response = request.send();
        } catch (IllegalArgumentException notSendable) {
            unsendable++;
            return;
        } catch (UncheckedIOException broken) {
            fail(t, index, what, request, url, headers, contentType, body, null, "connection failure: " + broken.getCause());
            return;
        }
        perStatus.merge(response.status(), 1, Integer::sum);
        if (kind == null && response.status() >= 400) {
            validRefused.put(t.name(), response.status());
        }

        String problem = judge(t, response, oddPath, authMutated);
        if (problem == null && mutating) {
            String head = eventsHead();
            if (response.status() >= 400) {
                refusedMutations++;
                if (!head.equals(eventsHead)) {
                    problem = "refused, yet an admin event was written: " + head;
                }
                if (countsBefore != null) {
                    countChecks++;
                    Map<String, Integer> after = counts();
                    if (!after.equals(countsBefore)) {
                        problem = "refused, yet the counts changed: " + countsBefore + " -> " + after;
                    }
                }
            }
            eventsHead = head;
        }
        if (problem != null) {
            fail(t, index, what, request, url, headers, contentType, body, response, problem);
        }
        if (response.status() < 400) {
            renew(t, response, headers.get("Authorization"));
        } else if (t.isPortal() && response.status() == 401 && !authMutated) {
            newPortalSession();   // a mutation with a valid cookie ended the session (logout): the next ones need one
            eventsHead = eventsHead();
        }
    }

    private Map<String, String> ids(Target t) {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("{realm}", realm);
        ids.put("{id}", idFor(t.template()));
        ids.put("{keyId}", keyOfS);
        ids.put("{linkId}", t.isPortal() ? portalLink : linkOfR);
        ids.put("{grantId}", portalGrant);
        // dev authenticates with its secret, stage with the portal key: the remove form is for stage, the others for dev
        ids.put("{env}", t.template().endsWith("/keys/remove") ? "stage" : "dev");
        ids.put("{joinRef}", integrationM);
        ids.put("{verifyToken}", verifyToken);
        ids.put("{wid}", webhook);
        ids.put("{mid}", message);
        return ids;
    }

    private String credential(Target t) {
        return switch (t.auth()) {
            case "adminToken" -> KeycloakApi.adminToken();
            case "integrationKey" -> key;
            case "partnerToken" -> t.template().endsWith("/me/keys") ? tokenOfK : tokenOfP;
            case "portal" -> "ENSYNC_PORTAL=" + portalCookie
                    + (t.template().startsWith("/links/") || t.template().startsWith("/join/") ? "; ENSYNC_PORTAL_START=" + startCookie : "");
            default -> null;
        };
    }

    /** The placeholders of a form's values (the CSRF tokens) as they are now. */
    private Map<String, List<String>> resolveForm(Map<String, List<String>> form) {
        Map<String, List<String>> resolved = new LinkedHashMap<>();
        form.forEach((k, vs) -> resolved.put(k, vs.stream().map(v -> k.equals("csrf") ? (v.equals("{startCsrf}") ? startCsrfOfLink : portalCsrf) : v).toList()));
        return resolved;
    }

    private List<String[]> formPairs(Map<String, List<String>> form) {
        List<String[]> pairs = new ArrayList<>();
        resolveForm(form).forEach((k, vs) -> vs.forEach(v -> pairs.add(new String[] {k, v})));
        return pairs;
    }

    /** The ids of the path for an operation: which fixture object each {id} of the document stands for. */
    private String idFor(String template) {
        if (template.contains("/integrations/{id}")) {
            return integrationS;
        }
        if (template.contains("/partners/{id}") || template.contains("/external/partner/{id}")) {
            return partnerQ;
        }
        if (template.contains("/grants/{id}") && template.contains("/admin/")) {
            return pendingGrant;
        }
        if (template.contains("/me/grants/{id}")) {
            return grantOfP;
        }
        if (template.contains("/promotions/{id}")) {
            return promotion;
        }
        if (template.contains("/access-requests/{id}")) {
            return accessRequest;
        }
        return integrationM;
    }

    /** An accepted request may have used up a fixture object: make a new one. */
    private void renew(Target t, Http.Response response, String authorization) {
        String name = t.name();
        if (t.method().equals("DELETE") && name.endsWith("/integrations/{id}")) {
            newIntegrationS();
        } else if (t.method().equals("DELETE") && name.endsWith("/keys/{keyId}")) {
            newKeyOfS();
        } else if ((t.method().equals("DELETE") && (name.endsWith("/partners/{id}") || name.endsWith("/external/partner/{id}")))) {
            newPartnerQ();
        } else if (name.endsWith("/redeem") && response.status() == 200) {
            for (JsonNode env : response.data().path("environments")) {
                if (env.hasNonNull("clientSecret")) {      // environments given keys get none
                    SecretLedger.record(env.path("clientSecret").asText());
                }
            }
            newLinkOfR();
        } else if (name.endsWith("/me/secret") && response.status() == 200) {
            ((ObjectNode) devOfP).put("clientSecret", SecretLedger.record(response.data().path("clientSecret").asText()));
            refreshTokenOfP();
        } else if (name.endsWith("/me/keys") && !t.method().equals("GET") && ("Bearer " + tokenOfP).equals(authorization)) {
            // P's own credential on K's operation (the Authorization mutation "another principal's"): P's keys changed
            if (t.method().equals("PUT")) {
                response = http.delete(Ensync.partnerApiBase(realm) + "/me/keys", tokenOfP).expect(200);
            }
            ((ObjectNode) devOfP).put("clientSecret", SecretLedger.record(response.data().path("clientSecret").asText()));
            refreshTokenOfP();
        } else if (name.endsWith("/me/keys") && t.method().equals("PUT")) {
            keysOfKRegistered();
        } else if (name.endsWith("/me/keys") && t.method().equals("DELETE")) {
            ((ObjectNode) devOfK).put("clientSecret", SecretLedger.record(response.data().path("clientSecret").asText()));
            keyedK = false;
            refreshTokenOfK();
        } else if (name.endsWith("/webhooks/{wid}") && t.method().equals("DELETE")) {
            newWebhook();
        } else if (name.endsWith("/webhooks/{wid}") && t.method().equals("PUT")) {
            // an accepted mutation may have disabled the endpoint or pointed it elsewhere
            http.putJson(webhooksOfS() + "/" + webhook, KeycloakApi.adminToken(), webhookBody()).expect(200);
        } else if (name.endsWith("/webhooks") && response.status() == 201 || name.endsWith("/webhooks/{wid}/secret")) {
            SecretLedger.record(response.data().path("secret").asText());
        } else if (t.method().equals("DELETE") && name.endsWith("/me/grants/{id}")) {
            newGrantOfP();
        } else if (name.contains("/access-requests/{id}/") && t.method().equals("POST")) {
            String next = newAccessRequest();
            accessRequest = next == null ? accessRequest : next;
        } else if (name.equals("POST portal/join/verify/{verifyToken}")) {
            String next = newVerifyToken();
            verifyToken = next == null ? verifyToken : next;
        } else if (name.contains("/admin/") && name.contains("/grants/{id}") && !t.method().equals("GET")) {
            newPendingGrant();
        } else if (name.endsWith("/external/partner") && response.status() == 201) {
            SecretLedger.record(Ensync.linkIdOf(response.data().path("url").asText()));
        } else if (name.endsWith("/integrations") && response.status() == 201) {
            SecretLedger.record(response.data().path("key").asText());
        } else if (name.endsWith("/keys") && response.status() == 201) {
            SecretLedger.record(response.data().path("key").asText());
        } else if (name.endsWith("/{id}/link") && response.status() == 201) {
            SecretLedger.record(Ensync.linkIdOf(response.data().path("url").asText()));
        } else if (t.isPortal() && (name.endsWith("/logout") || name.contains("/links/"))) {
            if (name.contains("/links/")) {
                Portal.secrets(response.body()).forEach(SecretLedger::record);
            }
            newPortalSession();
        } else if (t.isPortal() && name.endsWith("/secret")) {
            Portal.secrets(response.body()).forEach(SecretLedger::record);
        } else if (t.isPortal() && name.endsWith("/withdraw")) {
            newPortalGrant();
        } else if (t.isPortal() && name.endsWith("/keys/remove")) {
            Portal.secrets(response.body()).forEach(SecretLedger::record);
            portalForm("/environments/stage/keys", Map.of("keys", PORTAL_KEY.publicPem()));
        } else if (t.isPortal() && name.endsWith("/keys")) {
            // dev back to its secret, for the rotation form (none to remove: the mutation sent the keys to another env)
            portalForm("/environments/dev/keys/remove", Map.of(), 409);
        } else {
            return;
        }
        eventsHead = eventsHead();
    }

    /** Null when the answer is right, else what is wrong with it. */
    private String judge(Target t, Http.Response response, boolean oddPath, boolean authMutated) {
        int status = response.status();
        if (status >= 500) {
            return "a server error";
        }
        if (response.body().contains("Exception") || response.body().contains("\tat ")) {
            return "a stack trace";
        }
        if (status < 400) {
            return null;
        }
        JsonNode json = response.json();
        boolean envelope = json != null && "error".equals(json.path("status").asText()) && !json.path("error").path("code").asText().isEmpty()
                && !json.path("error").path("message").asText().isEmpty();
        if (envelope) {
            return null;
        }
        // Keycloak answers before the extension: admin authentication, non-normalized paths, NUL bytes in query strings,
        // an oversized form field
        boolean keycloaks = (t.template().startsWith("/admin/") && authMutated && (status == 401 || status == 403))
                || (oddPath && (status == 400 || status == 404))
                || (status == 400 && response.body().equals("{\"error\":\"Blocking invalid query parameter value\"}"))
                || (status == 400 && response.body().contains("\"missingNormalization\""))
                // the HTTP layer's limit on one form field (2 KiB by default), before any resource runs
                || (t.isPortal() && status == 413 && response.body().equals("{\"error\":\"HTTP 413 Request Entity Too Large\"}"));
        if (keycloaks) {
            framework++;
            return null;
        }
        if (t.isPortal()) {
            return response.body().contains("/css/portal.css") ? null : "not a portal page";
        }
        return "not the extension's JSON error";
    }

    private void fail(Target t, int index, String what, Http.Request request, String url, Map<String, String> headers, String contentType,
                      String body, Http.Response response, String problem) {
        StringBuilder sb = new StringBuilder();
        sb.append("seed ").append(seed).append(" request #").append(index).append(" ").append(t.name()).append(" — ").append(what)
                .append(": ").append(problem).append('\n');
        sb.append("  ").append(t.method()).append(' ').append(mask(url.replace(realm, "{realm}"))).append('\n');
        headers.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(mask(v)).append('\n'));
        if (contentType != null) {
            sb.append("  Content-Type: ").append(contentType).append('\n');
        }
        if (body != null) {
            sb.append("  body: ").append(Mutator.abbreviate(mask(body), 400)).append('\n');
        }
        if (response != null) {
            sb.append("  -> ").append(response.status()).append(' ').append(Mutator.abbreviate(mask(response.body()), 300)).append('\n');
        }
        sb.append("  reproduce: curl -i -X ").append(t.method()).append(" \"$KC").append(mask(url.replace(realm, "$REALM"))).append('"');
        headers.forEach((k, v) -> sb.append(" -H '").append(k).append(": ").append(mask(v)).append('\''));
        if (contentType != null) {
            sb.append(" -H 'Content-Type: ").append(contentType).append('\'');
        }
        if (body != null && body.length() <= 2000) {
            sb.append(" --data-binary '").append(mask(body).replace("'", "'\\''")).append('\'');
        }
        System.out.println("FuzzIT FAILURE " + sb);
        failures.add(sb.toString());
    }

    /** Every credential of the fixture, as a placeholder: never a secret in a report. */
    private String mask(String text) {
        String masked = text;
        for (String[] secret : new String[][] {{key, "$INTEGRATION_KEY"}, {tokenOfP, "$PARTNER_TOKEN"}, {KeycloakApi.adminToken(), "$ADMIN_TOKEN"},
                {portalCookie, "$PORTAL_SESSION"}, {startCookie, "$PORTAL_START"}, {portalCsrf, "$CSRF"}, {startCsrfOfLink, "$START_CSRF"},
                {linkOfR, "$LINK_ID"}, {portalLink, "$PORTAL_LINK"}, {verifyToken, "$VERIFY_TOKEN"}, {devOfP.path("clientSecret").asText(), "$CLIENT_SECRET"},
                {tokenOfK, "$PARTNER_K_TOKEN"}, {devOfK.path("clientSecret").asText(), "$CLIENT_SECRET_OF_K"}}) {
            if (secret[0] != null && !secret[0].isEmpty()) {
                masked = masked.replace(secret[0], secret[1]);
                if (secret[0].length() > 24) {
                    masked = masked.replace(secret[0].substring(0, secret[0].length() / 2), secret[1] + "(half)");
                }
            }
        }
        for (String secret : SecretLedger.all()) {
            masked = masked.replace(secret, "$SECRET");
        }
        return masked;
    }

    private static String flip(String s) {
        if (s.isEmpty()) {
            return "x";
        }
        char c = s.charAt(s.length() / 2);
        return s.substring(0, s.length() / 2) + (c == 'A' ? 'B' : 'A') + s.substring(s.length() / 2 + 1);
    }

    /** The newest admin event of the realm (every change the extension makes is audited there). */
    private String eventsHead() {
        JsonNode events = http.get("/admin/realms/" + realm + "/admin-events?first=0&max=1", KeycloakApi.adminToken()).expect(200).json();
        return events.isEmpty() ? "" : events.get(0).path("id").asText() + "@" + events.get(0).path("time").asText();
    }

    private Map<String, Integer> counts() {
        String token = KeycloakApi.adminToken();
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("integrations", http.get(Ensync.adminBase(realm) + "/integrations?max=500", token).expect(200).data().size());
        counts.put("partners", http.get(Ensync.adminBase(realm) + "/partners?max=500", token).expect(200).data().size());
        counts.put("grants", http.get(Ensync.adminBase(realm) + "/grants?max=500", token).expect(200).data().size());
        counts.put("keys of S", http.get(Ensync.adminBase(realm) + "/integrations/" + integrationS + "/keys", token).expect(200).data().size());
        return counts;
    }
}
