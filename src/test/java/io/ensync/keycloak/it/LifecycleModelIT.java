package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.Http;
import io.ensync.keycloak.it.support.Invariants;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.authorization.client.AuthorizationDeniedException;
import org.keycloak.authorization.client.AuthzClient;
import org.keycloak.authorization.client.Configuration;
import org.keycloak.representations.idm.authorization.AuthorizationRequest;
import org.keycloak.representations.idm.authorization.Permission;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Model-based lifecycle test (docs/reliability.md): a seeded random walk over partner creation, grant requests,
 * withdrawals, admin decisions and revocations, promotion requests and decisions, suspension, resume, offboarding and
 * unknown-field bodies, checked against a model of its own. Every answer's status and error code must be the one
 * the model predicts; after every step the touched partner's records, token claim (= its approved grants) and, every
 * few steps, every partner's UMA answer must agree with the model; offboarded partners keep nothing. The seed is
 * printed ({@code -Densync.model.seed=…} replays it, {@code -Densync.model.steps=…} sets the length); a failing walk
 * is shrunk (shortest failing prefix, then chunks removed) and the shrunk sequence printed.
 */
@ExtendWith(KeycloakExtension.class)
class LifecycleModelIT {

    /** Fixed in the test command, so that a red build replays as it failed; any other with -Densync.model.seed=…. */
    private static final long SEED = Long.getLong("ensync.model.seed", 3725952673885L);
    private static final int STEPS = Integer.getInteger("ensync.model.steps", 300);
    private static final int MAX_GRANTS = 4;
    private static final int MAX_PARTNERS = 3;
    private static final int SHRINK_RUNS = 12;
    private static final List<String> ENVS = List.of("dev", "stage", "prod");
    private static final List<String> TOPICS = List.of("app/a", "app/b", "app/*", "manual/x", "manual/*");
    private static final List<String> SCOPES = List.of("send", "receive", "send,receive");

    enum Kind { NEW_PARTNER, REQUEST, WITHDRAW, APPROVE_GRANT, DENY_GRANT, REVOKE_GRANT, REQUEST_PROMOTION,
        APPROVE_PROMOTION, DENY_PROMOTION, SUSPEND, RESUME, OFFBOARD, UNKNOWN_FIELD }

    /** Weights of the kinds, in their order: requests and decisions most often, the end of a partner seldom. */
    private static final int[] WEIGHTS = {2, 8, 2, 4, 1, 1, 3, 3, 1, 1, 2, 1, 1};

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
    void aRandomWalkAgreesWithTheModel() {
        System.out.println("LifecycleModelIT seed=" + SEED + " steps=" + STEPS + " (replay: -Densync.model.seed=" + SEED + ")");
        List<Op> ops = generate(new Random(SEED), STEPS);
        Walk walk = new Walk();
        Failure failure = walk.run(ops);
        System.out.println("LifecycleModelIT answers checked: " + walk.answers + "; steps without a call (nothing to act on): "
                + walk.idle + " of " + ops.size() + "; partners " + walk.partners.size());
        if (failure == null) {
            if (walk.idle > ops.size() / 2) {
                fail("seed " + SEED + ": the walk did nothing in " + walk.idle + " of " + ops.size() + " steps");
            }
            if (ops.size() >= 200) {
                // A walk of some length reaches the interesting states, or it proves little.
                for (String seen : List.of("201 approved", "201 pending", "200 approved", "409 grant_exists")) {
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
                Failure f = new Walk().run(candidate);
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
        ops.add(new Op(Kind.NEW_PARTNER, 0, 0, 0, 0, 0));
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

    static final class MPartner {
        final String id;
        final Map<String, JsonNode> credentials;
        /** Partner-API tokens by environment, with the time they were fetched (access tokens live five minutes). */
        final Map<String, String> apiTokens = new LinkedHashMap<>();
        final Map<String, Long> fetchedAt = new LinkedHashMap<>();
        final List<MGrant> grants = new ArrayList<>();
        final List<MPromotion> promotions = new ArrayList<>();
        String status = "active";
        String stage = "dev";

        MPartner(String id, Map<String, JsonNode> credentials) {
            this.id = id;
            this.credentials = credentials;
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
        private final String realm = KeycloakApi.createRealm();
        private final String key;
        private final List<MPartner> partners = new ArrayList<>();
        private final List<String> trace = new ArrayList<>();
        private MPartner touched;
        /** How many answers of each kind ("409 grant_exists") the walk checked, and how many steps had nothing to call. */
        final Map<String, Integer> answers = new TreeMap<>();
        int idle;

        Walk() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", "model");
            body.put("maxGrantsPerEnvironment", MAX_GRANTS);
            body.put("topics", List.of(
                    Map.of("pattern", "app/*", "send", true, "receive", true, "autoApprove", List.of("dev")),
                    Map.of("pattern", "manual/*", "send", true, "receive", true, "autoApprove", List.of())));
            key = Ensync.createIntegration(realm, body).path("key").asText();
        }

        Failure run(List<Op> ops) {
            for (int i = 0; i < ops.size(); i++) {
                try {
                    touched = null;
                    int before = trace.size();
                    apply(ops.get(i));
                    if (trace.size() == before) {
                        idle++;
                    }
                    if (touched != null) {
                        checkRecords(touched);
                        checkClaims(touched);
                    }
                    if (i % 25 == 24 || i == ops.size() - 1) {
                        for (MPartner p : partners) {
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
        private void apply(Op op) {
            List<MPartner> living = partners.stream().filter(x -> !x.status.equals("offboarded")).toList();
            MPartner p = partners.isEmpty() ? null
                    : living.isEmpty() || op.g() % 10 == 0 ? partners.get(op.p() % partners.size()) : living.get(op.p() % living.size());
            String env = p == null ? ENVS.get(op.e()) : ENVS.stream().filter(p::open).toList().get(op.e() % (p.open("prod") ? 3 : 2));
            switch (op.kind()) {
                case NEW_PARTNER -> newPartner();
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
                case OFFBOARD -> offboard(p);
                case UNKNOWN_FIELD -> unknownField(p, op.g());
            }
        }

        private void newPartner() {
            if (partners.stream().filter(p -> !p.status.equals("offboarded")).count() >= MAX_PARTNERS) {
                return;
            }
            JsonNode created = Ensync.createPartner(realm, key);
            MPartner partner = new MPartner(created.path("id").asText(), Ensync.redeemOk(realm, created.path("url").asText()));
            partners.add(partner);
            touched = partner;
            trace.add("new partner " + partner.id);
            answers.merge("201 partner created and redeemed", 1, Integer::sum);
        }

        /**
         * A partner-API token of the environment: a fresh one (at most a minute old) while the partner may get one; the
         * last one it got once it is suspended or offboarded (to hear the refusal); null if it never got one.
         */
        private String apiToken(MPartner p, String env) {
            long now = System.currentTimeMillis();
            if (p.status.equals("active") && p.open(env) && now - p.fetchedAt.getOrDefault(env, 0L) > 60_000L) {
                p.apiTokens.put(env, fetchApiToken(p.credentials.get(env)));
                p.fetchedAt.put(env, now);
            }
            return p.apiTokens.get(env);
        }

        private String fetchApiToken(JsonNode c) {
            return Ensync.partnerApiToken(realm, c);
        }

        /**
         * What every partner-API call answers for a partner that is not active, or null when it is: suspension
         * disables its clients and offboarding removes them, so their tokens no longer authenticate.
         */
        private static String refusal(MPartner p) {
            return p.status.equals("active") ? null : "401 invalid_token";
        }

        private void request(MPartner p, String env, String topic, String scopes) {
            if (p == null) {
                return;
            }
            String token = apiToken(p, env);
            if (token == null) {
                return; // no client of that environment has issued a token: nothing to call with
            }
            touched = p;
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
        }

        private void requestPromotion(MPartner p, String env) {
            if (p == null) {
                return;
            }
            String token = apiToken(p, env);
            if (token == null) {
                return;
            }
            touched = p;
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

        private void suspend(MPartner p) {
            if (p == null) {
                return;
            }
            touched = p;
            Http.Response answer = call(Http.keycloak().postJson(adm("/partners/" + p.id + "/suspend"), KeycloakApi.adminToken(), Map.of()));
            if (p.status.equals("offboarded")) {
                expect(answer, "410 partner_offboarded");
                return;
            }
            expectStatus(answer, 200);
            p.status = "suspended";
            p.grants.stream().filter(g -> g.status.equals("pending")).forEach(g -> g.status = "revoked");
            p.promotions.stream().filter(x -> x.status.equals("pending")).forEach(x -> x.status = "revoked");
        }

        private void resume(MPartner p) {
            if (p == null) {
                return;
            }
            touched = p;
            Http.Response answer = call(Http.keycloak().postJson(adm("/partners/" + p.id + "/resume"), KeycloakApi.adminToken(), Map.of()));
            if (p.status.equals("offboarded")) {
                expect(answer, "410 partner_offboarded");
                return;
            }
            expectStatus(answer, 200);
            p.status = "active";
            p.fetchedAt.clear();
        }

        private void offboard(MPartner p) {
            if (p == null) {
                return;
            }
            touched = p;
            expectStatus(call(Http.keycloak().delete(adm("/partners/" + p.id), KeycloakApi.adminToken())), 200);
            if (!p.status.equals("offboarded")) {
                p.grants.stream().filter(MGrant::active).forEach(g -> g.status = "revoked");
                p.promotions.stream().filter(x -> x.status.equals("pending")).forEach(x -> x.status = "revoked");
                p.status = "offboarded";
            }
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

        /** The admin API's grants, promotions and partner record are the model's. */
        private void checkRecords(MPartner p) {
            String admin = KeycloakApi.adminToken();
            JsonNode partner = Http.keycloak().get(adm("/partners/" + p.id), admin).expect(200).data();
            Map<String, String> actual = new TreeMap<>();
            actual.put("partner", partner.path("status").asText() + " " + partner.path("stage").asText());
            for (JsonNode g : Http.keycloak().get(adm("/grants?max=500&partner=" + p.id), admin).expect(200).data()) {
                actual.put("grant " + g.path("id").asText(), g.path("status").asText());
            }
            for (JsonNode x : Http.keycloak().get(adm("/promotions?max=500&partner=" + p.id), admin).expect(200).data()) {
                actual.put("promotion " + x.path("id").asText(), x.path("status").asText());
            }
            Map<String, String> model = new TreeMap<>();
            model.put("partner", p.status + " " + p.stage);
            p.grants.forEach(g -> model.put("grant " + g.id, g.status));
            p.promotions.forEach(x -> model.put("promotion " + x.id, x.status));
            if (!model.equals(actual)) {
                throw new AssertionError("records of partner " + p.id + ": server " + actual + ", model " + model);
            }
            if (p.status.equals("offboarded") && p.grants.stream().anyMatch(MGrant::active)) {
                throw new AssertionError("an offboarded partner keeps a grant");
            }
        }

        /** The token claim of each environment it may use is its approved grants; a partner not active gets no token. */
        private void checkClaims(MPartner p) {
            for (String env : ENVS) {
                JsonNode c = p.credentials.get(env);
                Http.Response token = KeycloakApi.clientCredentialsToken(realm, c.path("clientId").asText(), c.path("clientSecret").asText());
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
            if (!p.status.equals("active")) {
                return;
            }
            for (String env : ENVS) {
                if (!p.open(env)) {
                    continue;
                }
                JsonNode c = p.credentials.get(env);
                String token = KeycloakApi.clientCredentialsToken(realm, c.path("clientId").asText(), c.path("clientSecret").asText())
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
