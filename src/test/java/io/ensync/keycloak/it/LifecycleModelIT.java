package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.ClusterNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.Invariants;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.Portal;
import io.ensync.keycloak.it.support.SecretLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.authorization.client.AuthorizationDeniedException;
import org.keycloak.authorization.client.AuthzClient;
import org.keycloak.authorization.client.Configuration;
import org.keycloak.representations.idm.authorization.AuthorizationRequest;
import org.keycloak.representations.idm.authorization.Permission;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Model-based lifecycle test (docs/reliability.md): a seeded random walk over integrations (create by deleting the
 * current one, disable/enable, delete again), their keys (create, revoke, use revoked ones), partner creation (with and
 * without Idempotency-Key, repeated with the same and another body), redemption (also twice, also twice at once),
 * re-linking, portal starts (onboarding and re-entry links, in a browser's cookie jar) and sign-outs, grant requests,
 * withdrawals, admin decisions and revocations, promotion requests and decisions, secret rotation (with grace or
 * revoking), suspension, resume, offboarding (admin and integration key) and unknown-field bodies, with targets among
 * live and ended objects, checked against a model of its own. Every answer's status and
 * error code must be the one the model predicts; after every step the touched partner's records, token claim (= its
 * approved grants) and, every few steps, every living partner's UMA answer must agree with the model; offboarded
 * partners keep no client, link or pending item; a portal session lives until its sign-out, its partner's suspension
 * or its partner's end, and never comes back; every step that changes something leaves an admin event. The seed is
 * printed ({@code -Densync.model.seed=…} replays it, {@code -Densync.model.steps=…} sets the length,
 * {@code -Densync.model.cluster=true} walks two cluster nodes, alternating per step); a failing walk is shrunk
 * (shortest failing prefix, then chunks removed) and the shrunk sequence printed.
 */
@ExtendWith(KeycloakExtension.class)
class LifecycleModelIT {

    /** Fixed in the test command, so that a red build replays as it failed; any other with -Densync.model.seed=…. */
    private static final long SEED = Long.getLong("ensync.model.seed", 3725952673885L);
    private static final int STEPS = Integer.getInteger("ensync.model.steps", 2000);
    /** The long run: two cluster nodes (PostgreSQL only), alternated per step. */
    private static final boolean CLUSTER = Boolean.getBoolean("ensync.model.cluster");
    private static final int MAX_GRANTS = 4;
    private static final int MAX_PARTNERS = 3;
    /** Portal sessions the model follows per partner (the oldest is dropped from the model, not from the server). */
    private static final int MAX_SESSIONS = 3;
    private static final int SHRINK_RUNS = 12;
    private static final List<String> ENVS = List.of("dev", "stage", "prod");
    private static final List<String> TOPICS = List.of("app/a", "app/b", "app/*", "manual/x", "manual/*");
    private static final List<String> SCOPES = List.of("send", "receive", "send,receive");
    /** The portal's message titles (messages_en.properties) for the refusals the walk expects there. */
    private static final String LINK_USED = "This link has already been used";
    private static final String LINK_EXPIRED = "This link has expired";
    private static final String SUSPENDED = "Access is suspended";
    private static final String SESSION_ENDED = "Your session has ended";
    private static final String SIGNED_OUT = "You are signed out";

    enum Kind { NEW_PARTNER, REQUEST, WITHDRAW, APPROVE_GRANT, DENY_GRANT, REVOKE_GRANT, REQUEST_PROMOTION,
        APPROVE_PROMOTION, DENY_PROMOTION, SUSPEND, RESUME, OFFBOARD, UNKNOWN_FIELD, NEW_KEY, REVOKE_KEY,
        TOGGLE_INTEGRATION, DELETE_INTEGRATION, RELINK, REDEEM, ROTATE, PORTAL_START, SIGN_OUT }

    /**
     * Weights of the kinds, in their order: requests and decisions most often, the end of a partner or an integration
     * seldom.
     */
    private static final int[] WEIGHTS = {5, 16, 4, 8, 2, 2, 6, 6, 2, 2, 4, 2, 2, 2, 2, 2, 1, 4, 3, 3, 3, 2};

    /** An abstract operation: its numbers pick partner, environment, topic, scopes and item in the model's state then. */
    record Op(Kind kind, int p, int e, int t, int s, int g) {
        @Override
        public String toString() {
            return kind + "(p" + p + ",e" + e + ",t" + t + ",s" + s + ",g" + g + ")";
        }
    }

    /** Where and why a walk failed. */
    record Failure(int step, String message) {
    }

    @Test
    void aRandomWalkAgreesWithTheModel() throws Exception {
        if (!CLUSTER) {
            walk(List.of());
            return;
        }
        // The long run (docs/reliability.md): two nodes on one PostgreSQL database, as ClusterIT starts them.
        assumeTrue("postgres".equals(System.getProperty("ensync.it.db")), "the cluster runs on PostgreSQL");
        List<ClusterNode> cluster = ClusterNode.prepare(Path.of(System.getProperty("ensync.it.keycloakHome")).toAbsolutePath(),
                Path.of(System.getProperty("ensync.it.providerJar")).toAbsolutePath(), Path.of("target/model-cluster").toAbsolutePath());
        try {
            String hostname = cluster.get(0).baseUrl();
            for (ClusterNode node : cluster) {
                node.start(hostname);
                node.awaitReady();
            }
            cluster.get(1).awaitClusterView(2);
            walk(cluster.stream().map(ClusterNode::baseUrl).toList());
        } finally {
            Http.route(null);
            for (ClusterNode node : cluster) {
                node.close();
            }
        }
    }

    private static void walk(List<String> nodes) {
        System.out.println("LifecycleModelIT seed=" + SEED + " steps=" + STEPS + (nodes.isEmpty() ? "" : " nodes=" + nodes)
                + " (replay: -Densync.model.seed=" + SEED + ")");
        long started = System.nanoTime();
        List<Op> ops = generate(new Random(SEED), STEPS);
        Walk walk = new Walk(nodes);
        Failure failure = walk.run(ops);
        System.out.println("LifecycleModelIT " + ops.size() + " steps in " + (System.nanoTime() - started) / 1_000_000_000 + " s; answers checked: "
                + walk.answers + "; steps without a call (nothing to act on): " + walk.idle + " of " + ops.size()
                + "; partners " + walk.partners.size() + ", integrations " + walk.integrations.size());
        if (failure == null) {
            if (walk.idle > ops.size() / 2) {
                fail("seed " + SEED + ": the walk did nothing in " + walk.idle + " of " + ops.size() + " steps");
            }
            if (ops.size() >= 200) {
                // A walk of some length reaches the interesting states, or it proves little.
                List<String> wanted = new ArrayList<>(List.of("201 approved", "201 pending", "200 approved", "409 grant_exists"));
                if (ops.size() >= 1000) {
                    wanted.addAll(List.of("200 redeemed", "201 replayed", "409 idempotency_key_reused", "410 link_used",
                            "409 link_for_portal", "403 key_revoked", "403 integration_disabled", "200 rotated with grace",
                            "200 rotated, previous revoked", "409 grant_limit", "portal 200 onboarded", "portal 303 re-entered",
                            "portal 200 You are signed out", "portal 401 Your session has ended"));
                }
                for (String seen : wanted) {
                    if (!walk.answers.containsKey(seen)) {
                        fail("seed " + SEED + ": the walk never saw " + seen + ": " + walk.answers);
                    }
                }
            }
            return;
        }
        List<Op> shrunk = new ArrayList<>(ops.subList(0, failure.step() + 1));
        Failure last = failure;
        int runs = 0;
        for (int chunk = Math.max(1, shrunk.size() / 2); chunk >= 1 && runs < SHRINK_RUNS; chunk /= 2) {
            for (int from = 0; from + chunk <= shrunk.size() - 1 && runs < SHRINK_RUNS; ) {
                List<Op> candidate = new ArrayList<>(shrunk.subList(0, from));
                candidate.addAll(shrunk.subList(from + chunk, shrunk.size()));
                runs++;
                Failure f = new Walk(nodes).run(candidate);
                if (f != null) {
                    shrunk = new ArrayList<>(candidate.subList(0, f.step() + 1));
                    last = f;
                } else {
                    from += chunk;
                }
            }
            if (chunk == 1) {
                break;
            }
        }
        fail("seed " + SEED + ": step " + failure.step() + " of the walk failed: " + failure.message()
                + "\nshrunk to " + shrunk.size() + " steps (" + runs + " replays), failing with: " + last.message()
                + "\n" + String.join("\n", shrunk.stream().map(Op::toString).toList()));
    }

    private static List<Op> generate(Random random, int steps) {
        int total = 0;
        for (int w : WEIGHTS) {
            total += w;
        }
        List<Op> ops = new ArrayList<>();
        ops.add(new Op(Kind.NEW_PARTNER, 0, 0, 0, 0, 1));
        for (int i = 1; i < steps; i++) {
            int pick = random.nextInt(total);
            int k = 0;
            while (pick >= WEIGHTS[k]) {
                pick -= WEIGHTS[k++];
            }
            ops.add(new Op(Kind.values()[k], random.nextInt(MAX_PARTNERS), random.nextInt(ENVS.size()),
                    random.nextInt(TOPICS.size()), random.nextInt(SCOPES.size()), random.nextInt(1000)));
        }
        return ops;
    }

    // ---------------------------------------------------------------------------------------------------------------

    static final class MGrant {
        final String id;
        final String env;
        final String topic;
        final String scopes;
        String status;

        MGrant(String id, String env, String topic, String scopes, String status) {
            this.id = id;
            this.env = env;
            this.topic = topic;
            this.scopes = scopes;
            this.status = status;
        }

        boolean active() {
            return status.equals("pending") || status.equals("approved");
        }

        boolean overlaps(String otherScopes) {
            for (String s : otherScopes.split(",")) {
                if (List.of(scopes.split(",")).contains(s)) {
                    return true;
                }
            }
            return false;
        }
    }

    static final class MPromotion {
        final String id;
        final String from;
        final String to;
        final List<String> recorded;
        String status = "pending";

        MPromotion(String id, String from, String to, List<String> recorded) {
            this.id = id;
            this.from = from;
            this.to = to;
            this.recorded = recorded;
        }
    }

    /** An Integration Key: its id and the key itself. */
    static final class MKey {
        final String id;
        final String key;
        boolean revoked;

        MKey(String id, String key) {
            this.id = id;
            this.key = key;
        }
    }

    /** A partner-creation request the integration saw with an Idempotency-Key: its body and its answer. */
    record MReplay(String appName, MPartner partner, String url) {
    }

    static final class MIntegration {
        final String id;
        final List<MKey> keys = new ArrayList<>();
        final Map<String, MReplay> idempotency = new LinkedHashMap<>();
        boolean enabled = true;
        boolean deleted;

        MIntegration(String id) {
            this.id = id;
        }
    }

    /** A one-time link: onboarding (hands out credentials) or re-entry (the portal's); unused, used or expired. */
    static final class MLink {
        final String id;
        final boolean onboarding;
        String state = "unused";

        MLink(String id, boolean onboarding) {
            this.id = id;
            this.onboarding = onboarding;
        }
    }

    /** A portal session the walk opened: the browser holding its cookie, and whether the server must still honour it. */
    static final class MSession {
        final Portal browser;
        boolean alive = true;

        MSession(Portal browser) {
            this.browser = browser;
        }
    }

    static final class MPartner {
        final String id;
        final MIntegration integration;
        /** Client ids and current secrets by environment, once onboarded; the previous secret while it is in grace. */
        final Map<String, String> clientIds = new LinkedHashMap<>();
        final Map<String, String> secrets = new LinkedHashMap<>();
        final Map<String, String> previousSecrets = new LinkedHashMap<>();
        /** Partner-API tokens by environment, with the time they were fetched (access tokens live five minutes). */
        final Map<String, String> apiTokens = new LinkedHashMap<>();
        final Map<String, Long> fetchedAt = new LinkedHashMap<>();
        final List<MGrant> grants = new ArrayList<>();
        final List<MPromotion> promotions = new ArrayList<>();
        final List<MLink> links = new ArrayList<>();
        final List<MSession> sessions = new ArrayList<>();
        String status = "invited";
        String stage = "dev";
        /** Its integration was deleted: the partner's record is gone too (its grants and promotions stay). */
        boolean gone;

        MPartner(String id, MIntegration integration) {
            this.id = id;
            this.integration = integration;
        }

        boolean onboarded() {
            return !clientIds.isEmpty();
        }

        boolean open(String env) {
            return !env.equals("prod") || stage.equals("prod");
        }

        List<MGrant> activeIn(String env) {
            return grants.stream().filter(g -> g.env.equals(env) && g.active()).toList();
        }
    }

    /** One walk on a realm of its own. */
    static final class Walk {
        /** The servers to alternate per step (the cluster run's two nodes), or empty for the suite's server. */
        private final List<String> nodes;
        private final String realm;
        private final List<MIntegration> integrations = new ArrayList<>();
        private final List<MPartner> partners = new ArrayList<>();
        private final List<String> trace = new ArrayList<>();
        private MPartner touched;
        /** Whether the step changed something, so that an admin event of the realm must be newer than its start. */
        private boolean changed;
        /** How many answers of each kind ("409 grant_exists") the walk checked, and how many steps had nothing to call. */
        final Map<String, Integer> answers = new TreeMap<>();
        int idle;

        Walk(List<String> nodes) {
            this.nodes = nodes;
            route(0);
            realm = KeycloakApi.createRealm();
            newIntegration();
        }

        private void route(int step) {
            if (!nodes.isEmpty()) {
                Http.route(nodes.get(step % nodes.size()));
            }
        }

        /** The other node than this step's (for concurrent redemptions across the cluster), or this one. */
        private Http other(int step) {
            return nodes.isEmpty() ? Http.keycloak() : new Http(nodes.get((step + 1) % nodes.size()), false);
        }

        private MIntegration current() {
            return integrations.get(integrations.size() - 1);
        }

        private void newIntegration() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", "model " + integrations.size());
            body.put("maxGrantsPerEnvironment", MAX_GRANTS);
            body.put("topics", List.of(
                    Map.of("pattern", "app/*", "send", true, "receive", true, "autoApprove", List.of("dev")),
                    Map.of("pattern", "manual/*", "send", true, "receive", true, "autoApprove", List.of())));
            JsonNode created = Ensync.createIntegration(realm, body);
            MIntegration integration = new MIntegration(created.path("id").asText());
            // The creation answers the first key, not its id: the key list has it (the only row).
            String keyId = Http.keycloak().get(adm("/integrations/" + integration.id + "/keys"), KeycloakApi.adminToken())
                    .expect(200).data().path(0).path("id").asText();
            integration.keys.add(new MKey(keyId, created.path("key").asText()));
            integrations.add(integration);
            trace.add("new integration " + integration.id);
        }

        Failure run(List<Op> ops) {
            long begun = System.nanoTime();
            for (int i = 0; i < ops.size(); i++) {
                if (i % 1000 == 999) {
                    System.out.println("LifecycleModelIT step " + (i + 1) + " of " + ops.size() + " after "
                            + (System.nanoTime() - begun) / 1_000_000_000 + " s");
                }
                try {
                    route(i);
                    touched = null;
                    changed = false;
                    long started = System.currentTimeMillis();
                    int before = trace.size();
                    apply(ops.get(i), i);
                    if (trace.size() == before) {
                        idle++;
                    }
                    if (touched != null) {
                        checkRecords(touched);
                        checkClaims(touched);
                    }
                    if (changed) {
                        checkAdminEvent(started);
                    }
                    // Every 25 steps every living partner, at the end every partner: an offboarded one changes only
                    // when a step touches it, and is checked then.
                    if (i % 25 == 24 || i == ops.size() - 1) {
                        for (MPartner p : i == ops.size() - 1 ? partners
                                : partners.stream().filter(x -> !x.status.equals("offboarded")).toList()) {
                            checkRecords(p);
                            checkClaims(p);
                            checkUma(p);
                        }
                    }
                } catch (AssertionError | RuntimeException e) {
                    return new Failure(i, ops.get(i) + ": " + e.getMessage() + "\nlast answers:\n"
                            + String.join("\n", trace.subList(Math.max(0, trace.size() - 5), trace.size())));
                }
            }
            try {
                Invariants.check(realm);
            } catch (AssertionError e) {
                return new Failure(ops.size() - 1, "invariants: " + e.getMessage());
            }
            return null;
        }

        private String adm(String path) {
            return Ensync.adminBase(realm) + path;
        }

        private String me(String path) {
            return Ensync.partnerApiBase(realm) + "/me" + path;
        }

        /**
         * Picks what an operation acts on so that the walk keeps doing something: mostly a partner that is not
         * offboarded (one time in ten any partner, to hear the refusals), an environment it may use, and — two times
         * in three — a pending item for a decision.
         */
        private void apply(Op op, int step) {
            List<MPartner> living = partners.stream().filter(x -> !x.status.equals("offboarded")).toList();
            MPartner p = partners.isEmpty() ? null
                    : living.isEmpty() || op.g() % 10 == 0 ? partners.get(op.p() % partners.size()) : living.get(op.p() % living.size());
            String env = p == null ? ENVS.get(op.e()) : ENVS.stream().filter(p::open).toList().get(op.e() % (p.open("prod") ? 3 : 2));
            switch (op.kind()) {
                case NEW_PARTNER -> newPartner(op.g(), op.t(), step);
                case REQUEST -> request(p, env, TOPICS.get(op.t()), SCOPES.get(op.s()));
                case WITHDRAW -> withdraw(p, op.g());
                case APPROVE_GRANT -> decideGrant(op.g(), "approve");
                case DENY_GRANT -> decideGrant(op.g(), "deny");
                case REVOKE_GRANT -> decideGrant(op.g(), "revoke");
                case REQUEST_PROMOTION -> requestPromotion(p, env);
                case APPROVE_PROMOTION -> decidePromotion(op.g(), "approve");
                case DENY_PROMOTION -> decidePromotion(op.g(), "deny");
                case SUSPEND -> suspend(p);
                case RESUME -> resume(p);
                case OFFBOARD -> offboard(p, op.g());
                case UNKNOWN_FIELD -> unknownField(p, op.g());
                case NEW_KEY -> newKey();
                case REVOKE_KEY -> revokeKey(op.g());
                case TOGGLE_INTEGRATION -> toggleIntegration(op.g());
                case DELETE_INTEGRATION -> deleteIntegration(op.g());
                case RELINK -> relink(p, op.g());
                case REDEEM -> redeem(p, op.g(), step);
                case ROTATE -> rotate(p, env, op.g());
                case PORTAL_START -> portalStart(p, op.g());
                case SIGN_OUT -> signOut(p, op.g());
            }
        }

        /** A key of the current integration: one time in six a revoked one (if any), else a live one; null if none. */
        private MKey pickKey(int g) {
            List<MKey> revoked = current().keys.stream().filter(k -> k.revoked).toList();
            List<MKey> live = current().keys.stream().filter(k -> !k.revoked).toList();
            if (!revoked.isEmpty() && (g % 6 == 0 || live.isEmpty())) {
                return revoked.get(g % revoked.size());
            }
            return live.isEmpty() ? null : live.get(g % live.size());
        }

        /** What every integration-key call answers for this key, or null when it may act: revoked, then disabled. */
        private String keyRefusal(MKey key) {
            return key.revoked ? "403 key_revoked" : current().enabled ? null : "403 integration_disabled";
        }

        /**
         * Partner creation with one of the current integration's keys, one time in three without an Idempotency-Key,
         * else with one of three keys and one of two bodies: a key seen with another body is 409, with the same body
         * the first answer again (409 once that partner's links are gone). A new partner redeems its link at once
         * by the API two times in four, in the portal one time in four; the others stay invited for a later REDEEM.
         */
        private void newPartner(int g, int t, int step) {
            MKey key = pickKey(g);
            if (key == null) {
                return;
            }
            MIntegration in = current();
            String idempotencyKey = g % 3 == 0 ? null : "model-" + (g / 3 % 3);
            String appName = t % 2 == 0 ? "Acme Orders" : "Acme Billing";
            MReplay replay = idempotencyKey == null ? null : in.idempotency.get(idempotencyKey);
            String expected = keyRefusal(key);
            if (expected == null && replay != null) {
                expected = !replay.appName().equals(appName) ? "409 idempotency_key_reused"
                        : replay.partner().status.equals("offboarded") ? "409 idempotency_replay_unavailable" : null;
            }
            if (expected == null && replay == null
                    && partners.stream().filter(p -> !p.status.equals("offboarded")).count() >= MAX_PARTNERS) {
                return;
            }
            Http.Request request = Http.keycloak().request("POST", Ensync.externalBase(realm) + "/partner").bearer(key.key)
                    .json(Map.of("appName", appName));
            if (idempotencyKey != null) {
                request.header("Idempotency-Key", idempotencyKey);
            }
            Http.Response answer = call(request.send());
            if (expected != null) {
                expect(answer, expected);
                return;
            }
            expectStatus(answer, 201);
            String id = answer.data().path("id").asText();
            String url = answer.data().path("url").asText();
            if (replay != null) {
                if (!id.equals(replay.partner().id) || !url.equals(replay.url())) {
                    throw new AssertionError("replay of " + idempotencyKey + " answered " + answer + ", first " + replay);
                }
                answers.merge("201 replayed", 1, Integer::sum);
                return;
            }
            SecretLedger.record(Ensync.linkIdOf(url));
            changed = true;
            MPartner partner = new MPartner(id, in);
            partner.links.add(new MLink(Ensync.linkIdOf(url), true));
            partners.add(partner);
            touched = partner;
            if (idempotencyKey != null) {
                in.idempotency.put(idempotencyKey, new MReplay(appName, partner, url));
            }
            if (g % 4 == 1) {
                startInPortal(partner, partner.links.get(0));
            } else if (g % 4 != 0) {
                redeemLink(partner, partner.links.get(0), false, step);
            }
        }

        /**
         * Machine redemption of one of a partner's links (not of an offboarded one: its links are deleted, and
         * unknown links count towards the address's failure throttle); one time in four twice at once, on both
         * nodes in the cluster run.
         */
        private void redeem(MPartner p, int g, int step) {
            if (p == null || p.status.equals("offboarded") || p.links.isEmpty()) {
                return;
            }
            redeemLink(p, p.links.get(g % p.links.size()), g % 4 == 0, step);
        }

        private void redeemLink(MPartner p, MLink link, boolean concurrently, int step) {
            touched = p;
            String path = Ensync.partnerApiBase(realm) + "/links/" + link.id + "/redeem";
            String expected = link.state.equals("used") ? "410 link_used" : link.state.equals("expired") ? "410 link_expired"
                    : p.status.equals("suspended") ? "403 partner_suspended" : !link.onboarding ? "409 link_for_portal" : null;
            List<Http.Response> results = new ArrayList<>();
            if (concurrently) {
                Http second = other(step);
                CompletableFuture<Http.Response> a = CompletableFuture.supplyAsync(() -> Http.keycloak().request("POST", path).send());
                CompletableFuture<Http.Response> b = CompletableFuture.supplyAsync(() -> second.request("POST", path).send());
                results.add(call(a.join()));
                results.add(call(b.join()));
            } else {
                results.add(call(Http.keycloak().request("POST", path).send()));
            }
            if (expected != null) {
                for (Http.Response answer : results) {
                    expect(answer, expected);
                }
                return;
            }
            List<Http.Response> won = results.stream().filter(r -> r.status() == 200).toList();
            if (won.size() != 1) {
                throw new AssertionError("one redemption must win: " + results);
            }
            for (Http.Response answer : results) {
                if (answer != won.get(0)) {
                    expect(answer, "410 link_used");
                }
            }
            answers.merge("200 redeemed", 1, Integer::sum);
            changed = true;
            link.state = "used";
            for (JsonNode e : won.get(0).data().path("environments")) {
                String env = e.path("name").asText();
                p.clientIds.put(env, e.path("clientId").asText());
                p.secrets.put(env, SecretLedger.record(e.path("clientSecret").asText()));
            }
            p.status = "active";
        }

        /** A fresh link for a partner through the integration key: unused earlier links expire. */
        private void relink(MPartner p, int g) {
            MKey key = pickKey(g);
            if (p == null || key == null) {
                return;
            }
            touched = p;
            Http.Response answer = call(Http.keycloak().request("POST", Ensync.externalBase(realm) + "/partner/" + p.id + "/link")
                    .bearer(key.key).send());
            String expected = keyRefusal(key);
            if (expected == null) {
                expected = p.integration != current() ? "404 not_found" : p.status.equals("offboarded") ? "410 partner_offboarded"
                        : p.status.equals("suspended") ? "403 partner_suspended" : null;
            }
            if (expected != null) {
                expect(answer, expected);
                return;
            }
            expectStatus(answer, 201);
            changed = true;
            p.links.stream().filter(l -> l.state.equals("unused")).forEach(l -> l.state = "expired");
            p.links.add(new MLink(SecretLedger.record(Ensync.linkIdOf(answer.data().path("url").asText())), !p.onboarded()));
        }

        /**
         * A person opens one of a partner's links (an unused one two times in three) in a new browser and starts it
         * (not an offboarded partner's: its links are deleted): the link page refuses a used or expired link, then a suspended partner; else the start
         * opens a session and shows an onboarding link's credentials once (the partner is onboarded), or goes to the
         * environments page for a re-entry link. Either way the link is used.
         */
        private void portalStart(MPartner p, int g) {
            if (p == null || p.status.equals("offboarded") || p.links.isEmpty()) {
                return;
            }
            touched = p;
            List<MLink> unused = p.links.stream().filter(l -> l.state.equals("unused")).toList();
            startInPortal(p, !unused.isEmpty() && g % 3 != 0 ? unused.get(g % unused.size()) : p.links.get(g % p.links.size()));
        }

        private void startInPortal(MPartner p, MLink link) {
            touched = p;
            Portal browser = new Portal(realm);
            Http.Response page = call(browser.get("/links/" + link.id));
            String expected = link.state.equals("used") ? "410 " + LINK_USED : link.state.equals("expired") ? "410 " + LINK_EXPIRED
                    : p.status.equals("suspended") ? "403 " + SUSPENDED : null;
            if (expected != null) {
                expectPage(page, expected);
                return;
            }
            expectStatus(page, 200);
            Http.Response started = call(browser.post("/links/" + link.id, Map.of("csrf", Portal.csrf(page))));
            link.state = "used";
            changed = true;
            if (link.onboarding) {
                expectStatus(started, 200);
                for (String env : ENVS) {
                    p.clientIds.put(env, Portal.text(started, "client-id-" + env));
                    p.secrets.put(env, Portal.text(started, "secret-" + env));
                }
                p.status = "active";
                answers.merge("portal 200 onboarded", 1, Integer::sum);
            } else {
                expectStatus(started, 303);
                answers.merge("portal 303 re-entered", 1, Integer::sum);
            }
            p.sessions.add(new MSession(browser));
            if (p.sessions.size() > MAX_SESSIONS) {
                p.sessions.remove(0);
            }
        }

        /**
         * Signs out of one of a partner's portal sessions, a live one two times in three: a live session's page
         * answers 200 and its sign-out ends it; an ended one answers "session ended" (checked with the records).
         */
        private void signOut(MPartner p, int g) {
            if (p == null || p.sessions.isEmpty()) {
                return;
            }
            touched = p;
            List<MSession> live = p.sessions.stream().filter(x -> x.alive).toList();
            MSession session = !live.isEmpty() && g % 3 != 0 ? live.get(g % live.size()) : p.sessions.get(g % p.sessions.size());
            Http.Response page = call(session.browser.get("/environments"));
            if (!session.alive) {
                expectPage(page, "401 " + SESSION_ENDED);
                return;
            }
            expectStatus(page, 200);
            expectPage(call(session.browser.post("/logout", Map.of("csrf", Portal.csrf(page)))), "200 " + SIGNED_OUT);
            session.alive = false;
            changed = true;
        }

        private void newKey() {
            Http.Response answer = call(Http.keycloak().postJson(adm("/integrations/" + current().id + "/keys"), KeycloakApi.adminToken(), Map.of()));
            expectStatus(answer, 201);
            changed = true;
            current().keys.add(new MKey(answer.data().path("id").asText(), SecretLedger.record(answer.data().path("key").asText())));
        }

        /** Revokes one of the current integration's keys, a revoked one again too (200, and nothing changes). */
        private void revokeKey(int g) {
            MKey key = current().keys.get(g % current().keys.size());
            Http.Response answer = call(Http.keycloak().delete(adm("/integrations/" + current().id + "/keys/" + key.id), KeycloakApi.adminToken()));
            expectStatus(answer, 200);
            changed = !key.revoked;
            key.revoked = true;
        }

        /** Disables the current integration (one time in four) or enables it again: it is disabled a fifth of the time. */
        private void toggleIntegration(int g) {
            MIntegration in = current();
            if (in.enabled && g % 4 != 0) {
                return;
            }
            Http.Response answer = call(Http.keycloak().putJson(adm("/integrations/" + in.id), KeycloakApi.adminToken(),
                    Map.of("enabled", !in.enabled)));
            expectStatus(answer, 200);
            in.enabled = !in.enabled;
            if (answer.data().path("enabled").asBoolean() != in.enabled) {
                throw new AssertionError("enabled of " + answer);
            }
            changed = true;
        }

        /**
         * Deletes the current integration one time in three (another time in three a deleted one again, if any: 404): its
         * partners are offboarded and their records removed; a new integration takes its place.
         */
        private void deleteIntegration(int g) {
            List<MIntegration> deleted = integrations.stream().filter(x -> x.deleted).toList();
            if (!deleted.isEmpty() && g % 3 == 1) {
                expect(call(Http.keycloak().delete(adm("/integrations/" + deleted.get(g % deleted.size()).id), KeycloakApi.adminToken())),
                        "404 not_found");
                return;
            }
            if (g % 3 != 0) {
                return; // the end of everything, seldom: a third of the picks
            }
            MIntegration in = current();
            expectStatus(call(Http.keycloak().delete(adm("/integrations/" + in.id), KeycloakApi.adminToken())), 200);
            changed = true;
            in.deleted = true;
            for (MPartner p : partners) {
                if (p.integration == in) {
                    end(p);
                    p.gone = true;
                }
            }
            newIntegration();
        }

        /**
         * Rotates the secret of the token's environment, keeping the previous one for the grace period (a day) or
         * revoking it: the answered secret works at the token endpoint, the previous one as promised, an older one not.
         */
        private void rotate(MPartner p, String env, int g) {
            String token = actAs(p, env);
            if (token == null) {
                return;
            }
            boolean revoke = g % 2 == 0;
            Http.Response answer = call(Http.keycloak().postJson(me("/secret"), token, Map.of("revokePrevious", revoke)));
            String expected = refusal(p);
            if (expected != null) {
                expect(answer, expected);
                return;
            }
            expectStatus(answer, 200);
            answers.merge(revoke ? "200 rotated, previous revoked" : "200 rotated with grace", 1, Integer::sum);
            changed = true;
            String older = p.previousSecrets.remove(env);
            String previous = p.secrets.put(env, SecretLedger.record(answer.data().path("clientSecret").asText()));
            if (!revoke) {
                p.previousSecrets.put(env, previous);
            }
            String clientId = p.clientIds.get(env);
            expectStatus(KeycloakApi.clientCredentialsToken(realm, clientId, p.secrets.get(env)), 200);
            expectStatus(KeycloakApi.clientCredentialsToken(realm, clientId, previous), revoke ? 401 : 200);
            if (older != null && !older.equals(previous)) {
                expectStatus(KeycloakApi.clientCredentialsToken(realm, clientId, older), 401);
            }
        }

        /** The partner's API token of the environment for a step acting as it (then touching it), or null: no call. */
        private String actAs(MPartner p, String env) {
            String token = p == null ? null : apiToken(p, env);
            if (token != null) {
                touched = p;
            }
            return token;
        }

        /**
         * A partner-API token of the environment: a fresh one (at most a minute old) while the partner may get one; the
         * last one it got once it is suspended or offboarded (to hear the refusal); null if it never got one.
         */
        private String apiToken(MPartner p, String env) {
            long now = System.currentTimeMillis();
            if (p.status.equals("active") && p.open(env) && now - p.fetchedAt.getOrDefault(env, 0L) > 60_000L) {
                p.apiTokens.put(env, KeycloakApi.clientCredentialsToken(realm, p.clientIds.get(env), p.secrets.get(env),
                        Ensync.PARTNER_API_SCOPE).expect(200).json().path("access_token").asText());
                p.fetchedAt.put(env, now);
            }
            return p.apiTokens.get(env);
        }

        /**
         * What every partner-API call answers for a partner that is not active, or null when it is: suspension
         * disables its clients and offboarding removes them, so their tokens no longer authenticate.
         */
        private static String refusal(MPartner p) {
            return p.status.equals("active") ? null : "401 invalid_token";
        }

        private void request(MPartner p, String env, String topic, String scopes) {
            String token = actAs(p, env);
            if (token == null) {
                return;
            }
            Http.Response answer = call(Http.keycloak().postJson(me("/grants"), token,
                    Map.of("topic", topic, "scopes", List.of(scopes.split(",")))));
            String expected = refusal(p);
            List<MGrant> active = p.activeIn(env);
            if (expected == null) {
                if (active.stream().anyMatch(g -> g.topic.equals(topic) && g.overlaps(scopes))) {
                    expected = "409 grant_exists";
                } else if (active.size() + 1 > MAX_GRANTS) {
                    expected = "409 grant_limit";
                } else {
                    String status = topic.startsWith("app/") && env.equals("dev") ? "approved" : "pending";
                    expect(answer, "201 " + status);
                    changed = true;
                    p.grants.add(new MGrant(answer.data().path("id").asText(), env, topic, scopes, status));
                    return;
                }
            }
            expect(answer, expected);
        }

        private void withdraw(MPartner p, int g) {
            if (p == null || p.grants.isEmpty()) {
                return;
            }
            MGrant grant = p.grants.get(g % p.grants.size());
            String token = apiToken(p, grant.env);
            if (token == null) {
                return;
            }
            touched = p;
            Http.Response answer = call(Http.keycloak().delete(me("/grants/" + grant.id), token));
            String expected = refusal(p);
            if (expected == null && !grant.active()) {
                expected = "409 grant_not_active";
            }
            if (expected == null) {
                expect(answer, "200 withdrawn");
                grant.status = "withdrawn";
                changed = true;
            } else {
                expect(answer, expected);
            }
        }

        private void decideGrant(int g, String action) {
            List<MGrant> all = new ArrayList<>();
            partners.forEach(p -> all.addAll(p.grants));
            List<MGrant> pending = all.stream().filter(x -> x.status.equals("pending")).toList();
            if (!pending.isEmpty() && g % 3 != 0) {
                all.clear();
                all.addAll(pending);
            }
            if (all.isEmpty()) {
                return;
            }
            MGrant grant = all.get(g % all.size());
            MPartner p = partners.stream().filter(x -> x.grants.contains(grant)).findFirst().orElseThrow();
            touched = p;
            Http.Response answer = call(action.equals("revoke")
                    ? Http.keycloak().delete(adm("/grants/" + grant.id), KeycloakApi.adminToken())
                    : Http.keycloak().postJson(adm("/grants/" + grant.id + "/" + action), KeycloakApi.adminToken(), Map.of()));
            if (action.equals("revoke")) {
                if (!grant.active()) {
                    expect(answer, "409 grant_not_active");
                    return;
                }
                expect(answer, "200 revoked");
                grant.status = "revoked";
                changed = true;
                return;
            }
            if (!grant.status.equals("pending")) {
                expect(answer, "409 grant_not_pending");
                return;
            }
            if (action.equals("approve") && p.grants.stream().anyMatch(o -> o != grant && o.status.equals("approved")
                    && o.env.equals(grant.env) && o.topic.equals(grant.topic) && o.overlaps(grant.scopes))) {
                expect(answer, "409 grant_exists");
                return;
            }
            String status = action.equals("approve") ? "approved" : "denied";
            expect(answer, "200 " + status);
            grant.status = status;
            changed = true;
        }

        private void requestPromotion(MPartner p, String env) {
            String token = actAs(p, env);
            if (token == null) {
                return;
            }
            Http.Response answer = call(Http.keycloak().postJson(me("/promotion"), token, Map.of()));
            String expected = refusal(p);
            int index = ENVS.indexOf(env);
            if (expected == null && index == ENVS.size() - 1) {
                expected = "409 no_next_environment";
            } else if (expected == null && ENVS.indexOf(p.stage) >= index + 1) {
                expected = "409 already_promoted";
            } else if (expected == null && p.promotions.stream().anyMatch(x -> x.status.equals("pending"))) {
                expected = "409 promotion_pending";
            }
            if (expected != null) {
                expect(answer, expected);
                return;
            }
            expect(answer, "201 pending");
            changed = true;
            List<String> recorded = p.grants.stream().filter(g -> g.env.equals(env) && g.status.equals("approved")).map(g -> g.id).sorted().toList();
            List<String> answered = new ArrayList<>();
            answer.data().path("grants").forEach(g -> answered.add(g.path("grantId").asText()));
            answered.sort(null);
            if (!recorded.equals(answered)) {
                throw new AssertionError("recorded grants " + answered + ", model " + recorded);
            }
            p.promotions.add(new MPromotion(answer.data().path("id").asText(), env, ENVS.get(index + 1), recorded));
        }

        private void decidePromotion(int g, String action) {
            List<MPromotion> all = new ArrayList<>();
            partners.forEach(p -> all.addAll(p.promotions));
            List<MPromotion> pending = all.stream().filter(x -> x.status.equals("pending")).toList();
            if (!pending.isEmpty() && g % 3 != 0) {
                all.clear();
                all.addAll(pending);
            }
            if (all.isEmpty()) {
                return;
            }
            MPromotion promotion = all.get(g % all.size());
            MPartner p = partners.stream().filter(x -> x.promotions.contains(promotion)).findFirst().orElseThrow();
            touched = p;
            Http.Response answer = call(Http.keycloak().postJson(adm("/promotions/" + promotion.id + "/" + action),
                    KeycloakApi.adminToken(), Map.of()));
            if (!promotion.status.equals("pending")) {
                expect(answer, "409 promotion_not_pending");
                return;
            }
            if (action.equals("deny")) {
                expect(answer, "200 denied");
                promotion.status = "denied";
                changed = true;
                return;
            }
            // What approval copies, as SPEC §8 says: the recorded grants still approved, not already in the target.
            List<MGrant> toCopy = new ArrayList<>();
            List<MGrant> approvePending = new ArrayList<>();
            List<MGrant> target = p.activeIn(promotion.to);
            for (String id : promotion.recorded) {
                MGrant source = p.grants.stream().filter(x -> x.id.equals(id)).findFirst().orElseThrow();
                if (!source.status.equals("approved")) {
                    continue;
                }
                List<MGrant> same = target.stream().filter(x -> x.topic.equals(source.topic) && x.overlaps(source.scopes)).toList();
                if (same.stream().anyMatch(x -> x.status.equals("approved"))) {
                    continue;
                }
                MGrant identical = same.stream().filter(x -> x.scopes.equals(source.scopes)).findFirst().orElse(null);
                if (identical != null) {
                    approvePending.add(identical);
                } else {
                    toCopy.add(source);
                }
            }
            if (target.size() + toCopy.size() > MAX_GRANTS) {
                expect(answer, "409 grant_limit");
                return;
            }
            expect(answer, "200 approved");
            promotion.status = "approved";
            changed = true;
            p.stage = promotion.to;
            approvePending.forEach(x -> x.status = "approved");
            // The copies' ids are the server's: take them from the admin list, each matching one expected copy.
            List<MGrant> expectedCopies = new ArrayList<>(toCopy);
            for (JsonNode row : Http.keycloak().get(adm("/grants?max=500&partner=" + p.id + "&env=" + promotion.to), KeycloakApi.adminToken())
                    .expect(200).data()) {
                String id = row.path("id").asText();
                if (p.grants.stream().noneMatch(x -> x.id.equals(id))) {
                    List<String> scopeList = new ArrayList<>();
                    row.path("scopes").forEach(s -> scopeList.add(s.asText()));
                    String finalScopes = String.join(",", scopeList);
                    String topic = row.path("topic").asText();
                    MGrant source = expectedCopies.stream().filter(x -> x.topic.equals(topic) && x.scopes.equals(finalScopes)).findFirst()
                            .orElseThrow(() -> new AssertionError("unexpected copy " + row));
                    expectedCopies.remove(source);
                    p.grants.add(new MGrant(id, promotion.to, topic, finalScopes, row.path("status").asText()));
                }
            }
            if (!expectedCopies.isEmpty()) {
                throw new AssertionError("copies missing: " + expectedCopies.stream().map(x -> x.topic + " " + x.scopes).toList());
            }
        }

        /** What an admin call on a partner answers once it is gone (404) or offboarded (410), or null. */
        private static String ended(MPartner p) {
            return p.gone ? "404 not_found" : p.status.equals("offboarded") ? "410 partner_offboarded" : null;
        }

        private void suspend(MPartner p) {
            if (p == null) {
                return;
            }
            touched = p;
            Http.Response answer = call(Http.keycloak().postJson(adm("/partners/" + p.id + "/suspend"), KeycloakApi.adminToken(), Map.of()));
            if (ended(p) != null) {
                expect(answer, ended(p));
                return;
            }
            expectStatus(answer, 200);
            changed = !p.status.equals("suspended");
            p.status = "suspended";
            p.sessions.forEach(x -> x.alive = false);
            p.grants.stream().filter(g -> g.status.equals("pending")).forEach(g -> g.status = "revoked");
            p.promotions.stream().filter(x -> x.status.equals("pending")).forEach(x -> x.status = "revoked");
        }

        private void resume(MPartner p) {
            if (p == null) {
                return;
            }
            touched = p;
            Http.Response answer = call(Http.keycloak().postJson(adm("/partners/" + p.id + "/resume"), KeycloakApi.adminToken(), Map.of()));
            if (ended(p) != null) {
                expect(answer, ended(p));
                return;
            }
            expectStatus(answer, 200);
            if (p.status.equals("suspended")) {
                changed = true;
                p.status = p.onboarded() ? "active" : "invited";
                p.fetchedAt.clear();
            }
        }

        /** Offboarding by the admin or (every other time) by the integration key; again: 200, nothing changes. */
        private void offboard(MPartner p, int g) {
            if (p == null) {
                return;
            }
            touched = p;
            MKey key = g % 2 == 0 ? pickKey(g / 2) : null;
            Http.Response answer;
            String expected;
            if (key == null) {
                answer = call(Http.keycloak().delete(adm("/partners/" + p.id), KeycloakApi.adminToken()));
                expected = p.gone ? "404 not_found" : null;
            } else {
                answer = call(Http.keycloak().delete(Ensync.externalBase(realm) + "/partner/" + p.id, key.key));
                expected = keyRefusal(key);
                if (expected == null && p.integration != current()) {
                    expected = "404 not_found";
                }
            }
            if (expected != null) {
                expect(answer, expected);
                return;
            }
            expectStatus(answer, 200);
            if (!p.status.equals("offboarded")) {
                changed = true;
                end(p);
            }
        }

        /** Offboarding in the model: active grants and pending promotions revoked, the links deleted. */
        private static void end(MPartner p) {
            p.grants.stream().filter(MGrant::active).forEach(g -> g.status = "revoked");
            p.promotions.stream().filter(x -> x.status.equals("pending")).forEach(x -> x.status = "revoked");
            p.links.clear();
            p.sessions.forEach(x -> x.alive = false);
            p.status = "offboarded";
        }

        /** A decision with a body it does not take: 400 naming the field, and nothing changes (checked next step). */
        private void unknownField(MPartner p, int g) {
            if (p == null) {
                return;
            }
            touched = p;
            String path = switch (g % 3) {
                case 0 -> p.grants.isEmpty() ? adm("/partners/" + p.id + "/resume") : adm("/grants/" + p.grants.get(g % p.grants.size()).id + "/approve");
                case 1 -> p.promotions.isEmpty() ? adm("/partners/" + p.id + "/resume")
                        : adm("/promotions/" + p.promotions.get(g % p.promotions.size()).id + "/approve");
                default -> adm("/partners/" + p.id + "/suspend");
            };
            Http.Response answer = call(Http.keycloak().request("POST", path).bearer(KeycloakApi.adminToken())
                    .body("application/json", "{\"x\":1}").send());
            expect(answer, "400 unknown_field");
            if (!"x".equals(answer.error().path("field").asText())) {
                throw new AssertionError("field of " + answer);
            }
        }

        private Http.Response call(Http.Response answer) {
            trace.add(answer.request() + " → " + answer.status() + " " + answer.body());
            if (answer.status() >= 500) {
                throw new AssertionError("a 5xx: " + answer);
            }
            return answer;
        }

        /** A portal page: "410 This link has already been used" (its status and, for a message page, its title). */
        private void expectPage(Http.Response page, String expected) {
            String actual = page.status() + " " + Portal.messageTitle(page);
            answers.merge("portal " + actual, 1, Integer::sum);
            if (!actual.equals(expected)) {
                throw new AssertionError("expected " + expected + ", got " + actual + ": " + page);
            }
        }

        /** "201 pending" (status and data.status) or "409 grant_limit" (status and error.code). */
        private void expect(Http.Response answer, String expected) {
            String[] parts = expected.split(" ");
            int status = Integer.parseInt(parts[0]);
            String actual = answer.status() + " " + (answer.status() < 300
                    ? answer.data().path("status").asText() : answer.error().path("code").asText());
            answers.merge(actual, 1, Integer::sum);
            if (!actual.equals(status + " " + parts[1])) {
                throw new AssertionError("expected " + expected + ", got " + actual + ": " + answer);
            }
        }

        private void expectStatus(Http.Response answer, int status) {
            answers.merge(String.valueOf(answer.status()), 1, Integer::sum);
            if (answer.status() != status) {
                throw new AssertionError("expected " + status + ": " + answer);
            }
        }

        /** A step that changed something left an admin event in the realm, the newest one no older than the step. */
        private void checkAdminEvent(long started) {
            JsonNode newest = Http.keycloak().get("/admin/realms/" + realm + "/admin-events?first=0&max=1", KeycloakApi.adminToken())
                    .expect(200).json().path(0);
            if (newest.path("time").asLong() < started) {
                throw new AssertionError("no admin event for the change: the newest is " + newest);
            }
        }

        /** The admin API's grants, promotions and partner record are the model's. */
        private void checkRecords(MPartner p) {
            String admin = KeycloakApi.adminToken();
            Http.Response read = Http.keycloak().get(adm("/partners/" + p.id), admin);
            Map<String, String> actual = new TreeMap<>();
            actual.put("partner", p.gone ? read.status() + " " + read.error().path("code").asText()
                    : read.expect(200).data().path("status").asText() + " " + read.data().path("stage").asText());
            for (JsonNode g : Http.keycloak().get(adm("/grants?max=500&partner=" + p.id), admin).expect(200).data()) {
                actual.put("grant " + g.path("id").asText(), g.path("status").asText());
            }
            for (JsonNode x : Http.keycloak().get(adm("/promotions?max=500&partner=" + p.id), admin).expect(200).data()) {
                actual.put("promotion " + x.path("id").asText(), x.path("status").asText());
            }
            Map<String, String> model = new TreeMap<>();
            model.put("partner", p.gone ? "404 not_found" : p.status + " " + p.stage);
            p.grants.forEach(g -> model.put("grant " + g.id, g.status));
            p.promotions.forEach(x -> model.put("promotion " + x.id, x.status));
            if (!model.equals(actual)) {
                throw new AssertionError("records of partner " + p.id + ": server " + actual + ", model " + model);
            }
            if (p.status.equals("offboarded") && p.grants.stream().anyMatch(MGrant::active)) {
                throw new AssertionError("an offboarded partner keeps a grant");
            }
            for (MSession session : p.sessions) {
                Http.Response page = session.browser.get("/environments");
                String answered = page.status() == 200 ? "alive" : page.status() + " " + Portal.messageTitle(page);
                if (!answered.equals(session.alive ? "alive" : "401 " + SESSION_ENDED)) {
                    throw new AssertionError("a portal session of partner " + p.id + " (" + p.status + ", alive in the model: "
                            + session.alive + ") answers " + page);
                }
            }
            if (p.status.equals("offboarded")) {
                for (String env : p.clientIds.values()) {
                    if (!Http.keycloak().get("/admin/realms/" + realm + "/clients?clientId=" + env, admin).expect(200).json().isEmpty()) {
                        throw new AssertionError("offboarded partner " + p.id + " keeps its client " + env);
                    }
                }
            }
        }

        /** The token claim of each environment it may use is its approved grants; a partner not active gets no token. */
        private void checkClaims(MPartner p) {
            if (!p.onboarded()) {
                return;
            }
            for (String env : ENVS) {
                Http.Response token = KeycloakApi.clientCredentialsToken(realm, p.clientIds.get(env), p.secrets.get(env));
                if (!p.status.equals("active") || !p.open(env)) {
                    if (token.status() == 200) {
                        throw new AssertionError(p.status + " partner " + p.id + " got a token for " + env);
                    }
                    continue;
                }
                JsonNode claim = claims(token.expect(200).json().path("access_token").asText()).path("ensync");
                Map<String, List<String>> expected = approved(p, env, true);
                Map<String, List<String>> actual = new TreeMap<>();
                for (String scope : List.of("send", "receive")) {
                    List<String> values = new ArrayList<>();
                    claim.path(scope).forEach(v -> values.add(v.asText()));
                    actual.put(scope, values);
                }
                if (!expected.equals(actual)) {
                    throw new AssertionError(env + " claim of " + p.id + ": token " + actual + ", model " + expected);
                }
            }
        }

        private void checkUma(MPartner p) {
            if (!p.status.equals("active") || !p.onboarded()) {
                return;
            }
            for (String env : ENVS) {
                if (!p.open(env)) {
                    continue;
                }
                String token = KeycloakApi.clientCredentialsToken(realm, p.clientIds.get(env), p.secrets.get(env))
                        .expect(200).json().path("access_token").asText();
                Map<String, List<String>> actual = new TreeMap<>();
                AuthzClient authz = AuthzClient.create(new Configuration(Http.keycloak().baseUrl(), realm, "ensync-broker-" + env,
                        Map.of("secret", ""), null));
                try {
                    for (Permission permission : authz.authorization(token).getPermissions(new AuthorizationRequest())) {
                        List<String> scopes = new ArrayList<>(permission.getScopes());
                        scopes.sort(null);
                        actual.put(permission.getResourceName(), scopes);
                    }
                } catch (AuthorizationDeniedException denied) {
                    // no permission at all
                } catch (RuntimeException e) {
                    // No grant of the realm was ever approved in this environment: its resource server does not exist yet.
                    if (!String.valueOf(e.getMessage()).contains("Unknown resource server id")) {
                        throw e;
                    }
                }
                Map<String, List<String>> expected = approved(p, env, false);
                if (!expected.equals(actual)) {
                    throw new AssertionError(env + " UMA of " + p.id + ": server " + actual + ", model " + expected);
                }
            }
        }

        /** Approved grants of the model: by scope (claim) or by topic (UMA), sorted. */
        private static Map<String, List<String>> approved(MPartner p, String env, boolean byScope) {
            Map<String, TreeSet<String>> sets = new TreeMap<>();
            if (byScope) {
                sets.put("send", new TreeSet<>());
                sets.put("receive", new TreeSet<>());
            }
            for (MGrant g : p.grants) {
                if (g.env.equals(env) && g.status.equals("approved")) {
                    for (String scope : g.scopes.split(",")) {
                        sets.computeIfAbsent(byScope ? scope : g.topic, k -> new TreeSet<>()).add(byScope ? g.topic : scope);
                    }
                }
            }
            Map<String, List<String>> result = new TreeMap<>();
            sets.forEach((k, v) -> result.put(k, new ArrayList<>(v)));
            return result;
        }

        private static JsonNode claims(String token) {
            try {
                return Http.JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
    }
}
