package io.ensync.keycloak.permission;

import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.audit.Audit;
import io.ensync.keycloak.audit.AuditResource;
import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.Checks;
import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.ErrorCode;
import io.ensync.keycloak.common.Ids;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Paging;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.integration.TopicPattern;
import io.ensync.keycloak.integration.TopicRuleEntity;
import io.ensync.keycloak.lifecycle.EventType;
import io.ensync.keycloak.lifecycle.LifecycleEvent;
import io.ensync.keycloak.metrics.EnsyncMetrics;
import io.ensync.keycloak.partner.PartnerClients;
import io.ensync.keycloak.partner.PartnerEntity;
import io.ensync.keycloak.partner.PartnerUsability;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Topic grants: partners request them inside their integration's catalog, catalog rules approve some at once,
 * admins decide the rest and may revoke; every approved grant is mirrored in Authorization Services.
 */
public class GrantService {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EntityManager em;
    private final Audit audit;

    /** At most this many requests of a partner wait for an admin per environment (SPEC §7). */
    public static final int MAX_PENDING_PER_ENVIRONMENT = 20;

    public GrantService(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.em = Jpa.em(session);
        this.audit = new Audit(session, realm);
    }

    /** Body of a grant request. */
    public record GrantInput(String topic, List<String> scopes) {
    }

    public GrantView request(PartnerEntity partner, Environment env, GrantInput input, Actor actor) {
        String topic = TopicPattern.validate("topic", input.topic());
        Set<String> scopes = scopes(input.scopes());
        lock(partner.getId());
        ClientModel client = openClient(partner, env);
        List<TopicRuleEntity> rules = partner.getIntegration().getTopics();
        boolean auto = true;
        for (String scope : scopes) {
            List<TopicRuleEntity> allowing = rules.stream()
                    .filter(r -> TopicPattern.covers(r.getPattern(), topic) && ("send".equals(scope) ? r.isSend() : r.isReceive()))
                    .toList();
            if (allowing.isEmpty()) {
                throw ApiException.of(ErrorCode.NOT_IN_CATALOG, "The integration's catalog does not offer '" + scope + "' on '" + topic + "'.", "topic");
            }
            auto &= allowing.stream().anyMatch(r -> Environment.split(r.getAutoApprove()).contains(env));
        }
        List<GrantEntity> activeHere = activeOf(partner.getId()).stream().filter(g -> g.getEnvironment().equals(env.id())).toList();
        for (GrantEntity active : activeHere) {
            if (active.getTopic().equals(topic) && overlaps(active.getScopes(), scopes)) {
                throw ApiException.of(ErrorCode.GRANT_EXISTS, "A pending or approved grant already covers '" + topic + "' in " + env.id() + ".");
            }
        }
        requireWithinQuota(partner, env, activeHere, auto ? 0 : 1, 1);
        GrantEntity grant = new GrantEntity(KeycloakModelUtils.generateId(), realm.getId(), partner.getId(), env.id(),
                topic, String.join(",", scopes), Times.now());
        em.persist(grant);
        audit.record(actor, AuditResource.ENSYNC_GRANT, OperationType.CREATE, GrantView.of(grant), path(grant));
        publish(EventType.GRANT_REQUESTED, grant, actor);
        if (auto) {
            approve(grant, "auto", actor);
            storeClaim(client, partner.getId(), env.id());
        }
        return GrantView.of(grant);
    }

    /**
     * SPEC §7 quotas: at most {@code maxGrantsPerEnvironment} approved or pending grants per environment, at most
     * {@link #MAX_PENDING_PER_ENVIRONMENT} of them pending; adding {@code pending} and {@code total} more must fit.
     */
    private static void requireWithinQuota(PartnerEntity partner, Environment env, List<GrantEntity> activeHere, int pending, int total) {
        int max = partner.getIntegration().getMaxGrantsPerEnvironment();
        if (activeHere.size() + total > max) {
            throw ApiException.of(ErrorCode.GRANT_LIMIT, "The partner has reached its limit of " + max + " approved or pending grants in " + env.id() + ".");
        }
        long waiting = activeHere.stream().filter(g -> g.getStatus() == GrantStatus.PENDING).count();
        if (pending > 0 && waiting + pending > MAX_PENDING_PER_ENVIRONMENT) {
            throw ApiException.of(ErrorCode.GRANT_LIMIT, "The partner already has " + MAX_PENDING_PER_ENVIRONMENT + " requests waiting in " + env.id() + ".");
        }
    }

    private static boolean overlaps(String stored, Set<String> scopes) {
        return scopes.stream().anyMatch(s -> List.of(stored.split(",")).contains(s));
    }

    private static Set<String> scopes(List<String> values) {
        if (values == null || values.isEmpty()) {
            throw ApiException.of(ErrorCode.MISSING_FIELD, "The field 'scopes' needs send, receive or both.", "scopes");
        }
        Set<String> scopes = new TreeSet<>(java.util.Comparator.comparingInt(AuthzModel.SCOPES::indexOf));
        for (int i = 0; i < values.size(); i++) {
            String scope = values.get(i);
            if (!AuthzModel.SCOPES.contains(scope) || !scopes.add(scope)) {
                throw ApiException.invalid("scopes[" + i + "]", "A scope is 'send' or 'receive', each at most once.");
            }
        }
        return scopes;
    }

    /** The client of an environment the partner may use now: requests for a closed environment wait for promotion. */
    private ClientModel openClient(PartnerEntity partner, Environment env) {
        ClientModel client = PartnerClients.clientOf(realm, partner, env);
        if (client == null || !client.isEnabled()) {
            throw ApiException.of(ErrorCode.ENVIRONMENT_NOT_OPEN, "The partner cannot use " + env.id() + " yet; request a promotion first.");
        }
        return client;
    }

    public List<GrantView> ofPartner(PartnerEntity partner, Set<Environment> scope) {
        return em.createNamedQuery("ensync.grant.ofPartner", GrantEntity.class)
                .setParameter("partnerId", partner.getId()).setParameter("environments", Environment.ids(scope))
                .getResultStream().map(GrantView::of).toList();
    }

    /** The partner withdraws one of its own grants (pending or approved) in an environment it acts on. */
    public GrantView withdraw(PartnerEntity partner, Set<Environment> scope, String grantId, Actor actor) {
        lock(partner.getId());
        GrantEntity grant = find(grantId);
        if (!grant.getPartnerId().equals(partner.getId()) || !scope.contains(Environment.parse("environment", grant.getEnvironment()))) {
            throw ApiException.notFound("Grant");
        }
        if (end(grant, GrantStatus.WITHDRAWN, actor, null)) {
            storeClaim(partner, grant.getEnvironment());
        }
        return GrantView.of(grant);
    }

    public List<GrantView> list(String status, String partnerId, String env, Paging paging) {
        StringBuilder jpql = new StringBuilder("select g from GrantEntity g where g.realmId = :realmId");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("realmId", realm.getId());
        if (status != null) {
            jpql.append(" and g.status = :status");
            params.put("status", GrantStatus.parse("status", status));
        }
        partnerId = Ids.optionalFilter("partner", partnerId);
        if (partnerId != null) {
            jpql.append(" and g.partnerId = :partnerId");
            params.put("partnerId", partnerId);
        }
        if (env != null) {
            jpql.append(" and g.environment = :environment");
            params.put("environment", Environment.parse("env", env).id());
        }
        jpql.append(" order by g.requestedAt desc, g.id");
        TypedQuery<GrantEntity> query = em.createQuery(jpql.toString(), GrantEntity.class);
        params.forEach(query::setParameter);
        return query.setFirstResult(paging.first()).setMaxResults(paging.max()).getResultStream().map(GrantView::of).toList();
    }

    public GrantView approve(String grantId, Actor actor) {
        GrantEntity grant = pending(locked(grantId));
        PartnerEntity partner = em.find(PartnerEntity.class, grant.getPartnerId());
        PartnerUsability.requireDecidable(partner, "grant");
        ClientModel client = openClient(partner, Environment.parse("environment", grant.getEnvironment()));
        // A promotion may have copied the same topic into this environment since the request was made.
        Set<String> scopes = Set.of(grant.getScopes().split(","));
        for (GrantEntity active : activeOf(partner.getId())) {
            if (active != grant && active.getStatus() == GrantStatus.APPROVED && active.getEnvironment().equals(grant.getEnvironment())
                    && active.getTopic().equals(grant.getTopic()) && overlaps(active.getScopes(), scopes)) {
                throw ApiException.of(ErrorCode.GRANT_EXISTS, "An approved grant already covers '" + grant.getTopic() + "' in " + grant.getEnvironment() + ".");
            }
        }
        approve(grant, actor.reference(), actor);
        storeClaim(client, partner.getId(), grant.getEnvironment());
        return GrantView.of(grant);
    }

    public GrantView deny(String grantId, String reason, Actor actor) {
        GrantEntity grant = pending(locked(grantId));
        grant.decide(GrantStatus.DENIED, Times.now(), actor.reference(), Checks.optionalMultiline("reason", reason, 500));
        EnsyncMetrics.grantDecided(realm, GrantStatus.DENIED.id());
        audit.record(actor, AuditResource.ENSYNC_GRANT, OperationType.ACTION, GrantView.of(grant), path(grant));
        publish(EventType.GRANT_DENIED, grant, actor);
        return GrantView.of(grant);
    }

    /** An admin ends a grant: an approved one leaves the next token and UMA answer; a pending one is refused. */
    public GrantView revoke(String grantId, Actor actor) {
        GrantEntity grant = locked(grantId);
        PartnerEntity partner = em.find(PartnerEntity.class, grant.getPartnerId());
        if (end(grant, GrantStatus.REVOKED, actor, null) && partner != null) {
            storeClaim(partner, grant.getEnvironment());
        }
        return GrantView.of(grant);
    }

    /** Ends every active grant of a partner (offboarding). */
    void revokeAll(PartnerEntity partner, Actor actor) {
        lock(partner.getId());
        Set<String> changed = new TreeSet<>();
        for (GrantEntity grant : activeOf(partner.getId())) {
            if (end(grant, GrantStatus.REVOKED, actor, "offboarded")) {
                changed.add(grant.getEnvironment());
            }
        }
        changed.forEach(environment -> storeClaim(partner, environment));
    }

    /** Ends the partner's pending requests (suspension): revoked with the reason; approved grants stay as they are. */
    void endPending(PartnerEntity partner, String reason, Actor actor) {
        lock(partner.getId());
        for (GrantEntity grant : activeOf(partner.getId())) {
            if (grant.getStatus() == GrantStatus.PENDING) {
                end(grant, GrantStatus.REVOKED, actor, reason);
            }
        }
    }

    /**
     * Promotion: the grants the request recorded become approved grants of {@code to} — only those still approved
     * in {@code from} now (one withdrawn or revoked since is not copied), and nothing granted after the request. A
     * pending request of {@code to} with the same topic and scopes is approved as the copy; the quota of {@code to}
     * must hold the copies.
     */
    void copyRecorded(PartnerEntity partner, List<PromotionGrantEntity> recorded, Environment from, Environment to, Actor actor) {
        lock(partner.getId());
        ClientModel client = PartnerClients.clientOf(realm, partner, to);
        List<GrantEntity> active = activeOf(partner.getId());
        Map<String, GrantEntity> byId = new LinkedHashMap<>();
        active.forEach(g -> byId.put(g.getId(), g));
        List<GrantEntity> toCopy = new ArrayList<>();
        List<GrantEntity> approvePending = new ArrayList<>();
        for (PromotionGrantEntity row : recorded) {
            GrantEntity source = byId.get(row.getGrantId());
            if (source == null || source.getStatus() != GrantStatus.APPROVED || !source.getEnvironment().equals(from.id())) {
                continue;
            }
            Set<String> scopes = Set.of(source.getScopes().split(","));
            List<GrantEntity> same = active.stream().filter(a -> a.getEnvironment().equals(to.id())
                    && a.getTopic().equals(source.getTopic()) && overlaps(a.getScopes(), scopes)).toList();
            if (same.stream().anyMatch(a -> a.getStatus() == GrantStatus.APPROVED)) {
                continue;
            }
            GrantEntity identicalPending = same.stream().filter(a -> a.getScopes().equals(source.getScopes())).findFirst().orElse(null);
            if (identicalPending != null) {
                approvePending.add(identicalPending);
            } else {
                toCopy.add(source);
            }
        }
        requireWithinQuota(partner, to, active.stream().filter(g -> g.getEnvironment().equals(to.id())).toList(), 0, toCopy.size());
        for (GrantEntity pending : approvePending) {
            approve(pending, "promotion", actor);
        }
        for (GrantEntity source : toCopy) {
            GrantEntity copy = new GrantEntity(KeycloakModelUtils.generateId(), realm.getId(), partner.getId(), to.id(),
                    source.getTopic(), source.getScopes(), Times.now());
            em.persist(copy);
            approve(copy, "promotion", actor);
        }
        if (!toCopy.isEmpty() || !approvePending.isEmpty()) {
            storeClaim(client, partner.getId(), to.id());
        }
    }

    /** The claim's source: approved patterns per scope, sorted; one indexed query, no policy evaluation. */
    public static Map<String, List<String>> claimOf(KeycloakSession session, String partnerId, String environment) {
        Set<String> send = new TreeSet<>();
        Set<String> receive = new TreeSet<>();
        List<Object[]> rows = Jpa.em(session).createNamedQuery("ensync.grant.approvedOf", Object[].class)
                .setParameter("partnerId", partnerId).setParameter("environment", environment).getResultList();
        for (Object[] row : rows) {
            String topic = (String) row[0];
            for (String scope : ((String) row[1]).split(",")) {
                ("send".equals(scope) ? send : receive).add(topic);
            }
        }
        Map<String, List<String>> claim = new LinkedHashMap<>();
        claim.put("send", new ArrayList<>(send));
        claim.put("receive", new ArrayList<>(receive));
        return claim;
    }

    private void approve(GrantEntity grant, String by, Actor actor) {
        grant.decide(GrantStatus.APPROVED, Times.now(), by, null);
        EnsyncMetrics.grantDecided(realm, GrantStatus.APPROVED.id());
        new AuthzModel(session, realm).grant(grant);
        audit.record(actor, AuditResource.ENSYNC_GRANT, OperationType.ACTION, GrantView.of(grant), path(grant));
        publish(EventType.GRANT_APPROVED, grant, actor);
    }

    /** Ends a pending or approved grant; answers whether it was approved (its environment's claim then changes). */
    private boolean end(GrantEntity grant, GrantStatus status, Actor actor, String reason) {
        if (grant.getStatus() != GrantStatus.PENDING && grant.getStatus() != GrantStatus.APPROVED) {
            throw ApiException.of(ErrorCode.GRANT_NOT_ACTIVE, "This grant is already " + grant.getStatus().id() + ".");
        }
        boolean wasApproved = grant.getStatus() == GrantStatus.APPROVED;
        new AuthzModel(session, realm).revoke(grant);
        grant.decide(status, Times.now(), actor.reference(), reason);
        EnsyncMetrics.grantDecided(realm, status.id());
        audit.record(actor, AuditResource.ENSYNC_GRANT, OperationType.DELETE, GrantView.of(grant), path(grant));
        publish(status == GrantStatus.WITHDRAWN ? EventType.GRANT_WITHDRAWN : EventType.GRANT_REVOKED, grant, actor);
        return wasApproved;
    }

    /**
     * The claim's grants of an environment, kept on the partner's client: Keycloak caches clients and invalidates them
     * on every node when they change, so a token reads its claim without a query. Written once per change of the
     * approved set, in its transaction and under the partner's lock, so concurrent decisions cannot leave a stale
     * claim behind.
     */
    private void storeClaim(ClientModel client, String partnerId, String environment) {
        TopicClaims.store(session, realm, client, partnerId, environment);
    }

    private void storeClaim(PartnerEntity partner, String environment) {
        ClientModel client = PartnerClients.clientOf(realm, partner, Environment.parse("environment", environment));
        if (client != null) {
            storeClaim(client, partner.getId(), environment);
        }
    }

    /**
     * Takes the partner's row lock for the rest of the transaction: its grant changes (requests, decisions,
     * promotion) run one after another, on every node, so duplicate checks and the stored claim see each other.
     */
    private PartnerEntity lock(String partnerId) {
        return em.find(PartnerEntity.class, partnerId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** A grant of this realm, read again once its partner's lock is held: the state every decision starts from. */
    private GrantEntity locked(String grantId) {
        GrantEntity grant = find(grantId);
        lock(grant.getPartnerId());
        em.refresh(grant);
        return grant;
    }

    private GrantEntity find(String grantId) {
        GrantEntity grant = Ids.isId(grantId) ? em.find(GrantEntity.class, grantId) : null;
        if (grant == null || !grant.getRealmId().equals(realm.getId())) {
            throw ApiException.notFound("Grant");
        }
        return grant;
    }

    private static GrantEntity pending(GrantEntity grant) {
        if (grant.getStatus() != GrantStatus.PENDING) {
            throw ApiException.of(ErrorCode.GRANT_NOT_PENDING, "This grant is " + grant.getStatus().id() + ", not pending.");
        }
        return grant;
    }

    private List<GrantEntity> activeOf(String partnerId) {
        return em.createNamedQuery("ensync.grant.activeOfPartner", GrantEntity.class)
                .setParameter("partnerId", partnerId).getResultList();
    }

    private static String[] path(GrantEntity grant) {
        return new String[] {"partners", grant.getPartnerId(), "environments", grant.getEnvironment(), "grants", grant.getId()};
    }

    private void publish(EventType type, GrantEntity grant, Actor actor) {
        LifecycleEvent.publish(new LifecycleEvent.Grant(session, realm.getId(), type, grant.getPartnerId(), grant.getId(),
                grant.getEnvironment(), grant.getTopic(), grant.getScopes(), grant.getStatus().id(), actor.reference()));
    }
}
