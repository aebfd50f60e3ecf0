package io.ensync.keycloak.partner;

import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.audit.Audit;
import io.ensync.keycloak.audit.AuditResource;
import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.Checks;
import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.Json;
import io.ensync.keycloak.common.Ids;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Paging;
import io.ensync.keycloak.common.Secrets;
import io.ensync.keycloak.common.Times;
import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.common.ErrorCode;
import io.ensync.keycloak.integration.IntegrationEntity;
import io.ensync.keycloak.lifecycle.EventType;
import io.ensync.keycloak.lifecycle.LifecycleEvent;
import io.ensync.keycloak.lifecycle.PartnerDeactivating;
import io.ensync.keycloak.link.LinkEntity;
import io.ensync.keycloak.link.LinkPurpose;
import io.ensync.keycloak.link.LinkService;
import io.ensync.keycloak.metrics.EnsyncMetrics;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.TypedQuery;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Partners: creation through the partner endpoint, onboarding through a link, suspension and offboarding. */
public class PartnerService {

    /** Also the retention of ExpiredDataCleanup. */
    public static final long IDEMPOTENCY_WINDOW_MILLIS = 24 * 3600 * 1000L;
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EntityManager em;
    private final Audit audit;

    public PartnerService(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.em = Jpa.em(session);
        this.audit = new Audit(session, realm);
    }

    /** The partner endpoint's answer; {@code replayed} when an Idempotency-Key returned an earlier answer. */
    public record Created(String id, String url, boolean replayed) {
    }

    public Created create(IntegrationEntity integration, PartnerInput input, String idempotencyKey, Actor actor) {
        String appName = Checks.optionalText("appName", input.appName(), 100);
        String appDescription = Checks.optionalMultiline("appDescription", input.appDescription(), 1000);
        String metadata = PartnerMetadata.validate(input.metadata());
        String replayKey = null;
        String requestHash = null;
        if (idempotencyKey != null) {
            if (!IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
                throw ApiException.of(ErrorCode.INVALID_IDEMPOTENCY_KEY, "Idempotency-Key must be 1 to 255 visible ASCII characters.", "Idempotency-Key");
            }
            requestHash = Secrets.hash(Json.write(new PartnerInput(appName, appDescription,
                    metadata == null ? null : Json.readStored(metadata, com.fasterxml.jackson.databind.JsonNode.class))));
            Created replay = replay(integration, idempotencyKey, requestHash);
            if (replay != null) {
                return replay;
            }
        }

        PartnerEntity partner = new PartnerEntity(KeycloakModelUtils.generateId(), integration, Times.now());
        partner.setAppName(appName);
        partner.setAppDescription(appDescription);
        partner.setMetadata(metadata);
        partner.setStatus(PartnerStatus.INVITED);
        partner.setStage(integration.getEnvironments().iterator().next().id());
        em.persist(partner);
        if (idempotencyKey != null) {
            replayKey = integration.getId() + ":" + partner.getId() + ":" + idempotencyKey;
            em.persist(new IdempotencyEntity(KeycloakModelUtils.generateId(), realm.getId(), integration.getId(),
                    idempotencyKey, requestHash, partner.getId(), partner.getCreatedAt()));
            flushOrConflict();
        }
        audit.record(actor, AuditResource.ENSYNC_PARTNER, OperationType.CREATE, PartnerView.of(partner, realm), "partners", partner.getId());
        LifecycleEvent.publish(new LifecycleEvent.Partner(session, realm.getId(), EventType.PARTNER_CREATED, partner.getId(), null, actor.reference()));
        LinkService.IssuedLink link = new LinkService(session, realm)
                .issueFirst(partner.getId(), LinkPurpose.ONBOARDING, integration.getLinkTtlSeconds(), replayKey, actor);
        EnsyncMetrics.partnerCreated(realm);
        return new Created(partner.getId(), link.url(), false);
    }

    private Created replay(IntegrationEntity integration, String idempotencyKey, String requestHash) {
        IdempotencyEntity previous = em.createNamedQuery("ensync.idempotency.find", IdempotencyEntity.class)
                .setParameter("integrationId", integration.getId()).setParameter("key", idempotencyKey)
                .getResultStream().findFirst().orElse(null);
        if (previous == null) {
            return null;
        }
        if (previous.getCreatedAt() < Times.now() - IDEMPOTENCY_WINDOW_MILLIS) {
            em.remove(previous);
            em.flush();
            return null;
        }
        if (!previous.getRequestHash().equals(requestHash)) {
            throw ApiException.of(ErrorCode.IDEMPOTENCY_KEY_REUSED, "This Idempotency-Key was used with a different request in the last 24 hours.");
        }
        String url = new LinkService(session, realm)
                .replayUrl(integration.getId() + ":" + previous.getPartnerId() + ":" + idempotencyKey);
        if (url == null) {
            throw ApiException.of(ErrorCode.IDEMPOTENCY_REPLAY_UNAVAILABLE, "The partner of this Idempotency-Key exists, but its link can no longer be shown; request a new link.");
        }
        return new Created(previous.getPartnerId(), url, true);
    }

    private void flushOrConflict() {
        try {
            em.flush();
        } catch (PersistenceException e) {
            throw ApiException.of(ErrorCode.IDEMPOTENCY_CONFLICT, "A request with this Idempotency-Key is being processed; retry it.");
        }
    }

    public PartnerEntity get(String id) {
        PartnerEntity partner = Ids.isId(id) ? em.find(PartnerEntity.class, id) : null;
        if (partner == null || !partner.getRealmId().equals(realm.getId())) {
            throw ApiException.notFound("Partner");
        }
        return partner;
    }

    /** A partner of the given integration only: another integration's partner is as unknown as a made-up id. */
    public PartnerEntity getOf(IntegrationEntity integration, String id) {
        PartnerEntity partner = get(id);
        if (!partner.getIntegration().getId().equals(integration.getId())) {
            throw ApiException.notFound("Partner");
        }
        return partner;
    }

    public PartnerView view(PartnerEntity partner) {
        return PartnerView.of(partner, realm);
    }

    public List<PartnerView> list(String integrationId, String status, String stage, String search, Paging paging) {
        StringBuilder jpql = new StringBuilder("select p from PartnerEntity p where p.realmId = :realmId");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("realmId", realm.getId());
        integrationId = Ids.optionalFilter("integration", integrationId);
        search = Checks.optionalText("search", search, 100);
        if (integrationId != null) {
            jpql.append(" and p.integration.id = :integrationId");
            params.put("integrationId", integrationId);
        }
        if (status != null) {
            jpql.append(" and p.status = :status");
            params.put("status", parseStatus(status));
        }
        if (stage != null) {
            jpql.append(" and p.stage = :stage");
            params.put("stage", Environment.parse("stage", stage).id());
        }
        if (search != null && !search.isBlank()) {
            jpql.append(" and (lower(p.appName) like :search escape '\\' or p.id = :exact)");
            params.put("search", "%" + search.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            params.put("exact", search);
        }
        jpql.append(" order by p.createdAt desc, p.id");
        TypedQuery<PartnerEntity> query = em.createQuery(jpql.toString(), PartnerEntity.class);
        params.forEach(query::setParameter);
        List<PartnerView> result = new ArrayList<>();
        query.setFirstResult(paging.first()).setMaxResults(paging.max()).getResultStream()
                .forEach(p -> result.add(PartnerView.of(p, realm)));
        return result;
    }

    private static PartnerStatus parseStatus(String status) {
        for (PartnerStatus s : PartnerStatus.values()) {
            if (s.id().equals(status)) {
                return s;
            }
        }
        throw ApiException.of(ErrorCode.INVALID_QUERY, "status must be invited, active, suspended or offboarded.", "status");
    }

    /** An integration's environments are fixed once it has partners: their clients are made per environment. */
    void requireNoPartners(String integrationId) {
        if (!em.createNamedQuery("ensync.partner.idsByIntegration", String.class)
                .setParameter("integrationId", integrationId).setMaxResults(1).getResultList().isEmpty()) {
            throw ApiException.of(ErrorCode.ENVIRONMENTS_LOCKED, "The environments of an integration cannot change once it has partners.");
        }
    }

    /** A fresh one-time link: onboarding while the partner has no clients yet, portal re-entry afterwards. */
    public LinkService.IssuedLink newLink(PartnerEntity partner, Actor actor) {
        PartnerUsability.requireUsable(partner);
        LinkPurpose purpose = partner.getOnboardedAt() == null ? LinkPurpose.ONBOARDING : LinkPurpose.REENTRY;
        return new LinkService(session, realm).issue(partner.getId(), purpose,
                partner.getIntegration().getLinkTtlSeconds(), actor);
    }

    /** The credentials an onboarding hands out: each environment's client, and its secret shown this once. */
    public record Onboarded(String partnerId, List<Credentials> environments) {
    }

    /** An environment's credentials: its secret (shown this once), or none when it was created with keys. */
    public record Credentials(String name, String clientId, String authMethod, String clientSecret, String tokenUrl,
                              boolean enabled) {
    }

    /**
     * Body of the machine redemption, optional: {@code jwks} (a JWK Set) for every environment, and/or per environment
     * {@code environments.{env}.jwks}; those environments authenticate with keys from the start, and no secret is
     * ever issued for them.
     */
    public record RedeemInput(JsonNode jwks, Map<String, RedeemEnvironment> environments) {
    }

    public record RedeemEnvironment(JsonNode jwks) {
    }

    /**
     * Redeems an onboarding link: consumes it (at most once, cluster-wide), creates the partner's clients and answers
     * their secrets. A re-entry link is for the portal; the API refuses it without consuming it. A body that is
     * refused leaves the link unused.
     */
    public Onboarded redeem(String linkId, RedeemInput input) {
        return redeem(linkId, false, input).onboarded();
    }

    /** A link redeemed in the portal: the partner, and the credentials when it was the onboarding link (else null). */
    public record Redeemed(PartnerEntity partner, Onboarded onboarded) {
    }

    /** The portal's redemption: an onboarding link onboards as {@link #redeem(String)} does; a re-entry link is consumed. */
    public Redeemed redeemForPortal(String linkId) {
        return redeem(linkId, true, null);
    }

    private Redeemed redeem(String linkId, boolean portal, RedeemInput input) {
        LinkService links = new LinkService(session, realm);
        LinkEntity link = links.find(linkId);
        PartnerEntity partner = get(link.getPartnerId());
        Actor actor = new Actor.Partner(partner.getId(), null);
        PartnerUsability.requireUsable(partner);
        if (link.getPurpose() != LinkPurpose.ONBOARDING && !portal) {
            throw ApiException.of(ErrorCode.LINK_FOR_PORTAL, "This link opens the partner portal in a browser; it does not hand out credentials.");
        }
        Map<Environment, List<Jwks.Key>> keys = keysAtRedemption(partner.getIntegration(), input);
        // Only after winning the link is the partner's state read again: a racing loser must see "used", not this.
        links.consume(link, actor);
        em.refresh(partner);
        if (link.getPurpose() == LinkPurpose.REENTRY) {
            return new Redeemed(partner, null);
        }
        if (partner.getOnboardedAt() != null) {
            throw ApiException.of(ErrorCode.ALREADY_ONBOARDED, "This partner has already been onboarded.");
        }
        return new Redeemed(partner, onboard(partner, keys, actor));
    }

    /** The keys each environment is to be created with; an environment without any gets a secret. */
    private static Map<Environment, List<Jwks.Key>> keysAtRedemption(IntegrationEntity integration, RedeemInput input) {
        Map<Environment, List<Jwks.Key>> keys = new LinkedHashMap<>();
        if (input == null) {
            return keys;
        }
        if (input.jwks() != null) {
            List<Jwks.Key> all = Jwks.parseSet("jwks", input.jwks());
            integration.getEnvironments().forEach(env -> keys.put(env, all));
        }
        if (input.environments() != null) {
            for (Map.Entry<String, RedeemEnvironment> entry : input.environments().entrySet()) {
                String field = "environments." + entry.getKey();
                Environment env = Environment.parse(field, entry.getKey());
                if (!integration.getEnvironments().contains(env)) {
                    throw ApiException.of(ErrorCode.INVALID_VALUE, "'" + entry.getKey()
                            + "' is not an environment of this integration.", field);
                }
                if (entry.getValue() == null || entry.getValue().jwks() == null) {
                    throw ApiException.of(ErrorCode.MISSING_FIELD, "'" + field + ".jwks' is required.", field + ".jwks");
                }
                keys.put(env, Jwks.parseSet(field + ".jwks", entry.getValue().jwks()));
            }
        }
        return keys;
    }

    private Onboarded onboard(PartnerEntity partner, Map<Environment, List<Jwks.Key>> keys, Actor actor) {
        Map<Environment, PartnerClients.Provisioned> clients = PartnerClients.provision(session, realm, partner, keys);
        long now = Times.now();
        partner.setStatus(PartnerStatus.ACTIVE);
        partner.setOnboardedAt(now);
        partner.setUpdatedAt(now);
        String tokenUrl = PartnerClients.tokenUrl(session, realm);
        List<Credentials> credentials = new ArrayList<>();
        for (PartnerClients.Provisioned p : clients.values()) {
            List<Jwks.Key> envKeys = keys.get(p.environment());
            String authMethod = envKeys == null ? PartnerKeys.CLIENT_SECRET : PartnerKeys.PRIVATE_KEY_JWT;
            credentials.add(new Credentials(p.environment().id(), p.client().getClientId(), authMethod, p.secret(), tokenUrl,
                    p.client().isEnabled()));
            if (envKeys == null) {
                audit.record(actor, AuditResource.ENSYNC_SECRET, OperationType.CREATE,
                        Map.of("environment", p.environment().id(), "clientId", p.client().getClientId(), "authMethod", authMethod),
                        "partners", partner.getId(), "environments", p.environment().id(), "secret");
            } else {
                audit.record(actor, AuditResource.ENSYNC_SECRET, OperationType.CREATE,
                        PartnerKeys.event(p.environment(), p.client(), envKeys),
                        "partners", partner.getId(), "environments", p.environment().id(), "keys");
            }
        }
        audit.record(actor, AuditResource.ENSYNC_PARTNER, OperationType.UPDATE, PartnerView.of(partner, realm), "partners", partner.getId());
        LifecycleEvent.publish(new LifecycleEvent.Partner(session, realm.getId(), EventType.PARTNER_ONBOARDED, partner.getId(), credentials.stream().collect(java.util.stream.Collectors.toMap(Credentials::name, Credentials::clientId, (a, b) -> a, java.util.TreeMap::new)), actor.reference()));
        return new Onboarded(partner.getId(), credentials);
    }

    public PartnerView suspend(PartnerEntity partner, Actor actor) {
        PartnerUsability.requireNotOffboarded(partner);
        if (partner.getStatus() != PartnerStatus.SUSPENDED) {
            // What waits for a decision ends with the suspension; approved grants stay for the resume.
            new PartnerDeactivating(session, realm, partner.getId(), false, actor).publish();
            partner.setStatus(PartnerStatus.SUSPENDED);
            partner.setUpdatedAt(Times.now());
            PartnerClients.applyEnabled(realm, partner, true);
            // Portal sessions end too: a resume must not bring a browser session back.
            deletePortalSessions(partner);
            audit.record(actor, AuditResource.ENSYNC_PARTNER, OperationType.ACTION, Map.of("action", "suspend"), "partners", partner.getId());
            LifecycleEvent.publish(new LifecycleEvent.Partner(session, realm.getId(), EventType.PARTNER_SUSPENDED, partner.getId(), null, actor.reference()));
        }
        return PartnerView.of(partner, realm);
    }

    public PartnerView resume(PartnerEntity partner, Actor actor) {
        PartnerUsability.requireNotOffboarded(partner);
        if (partner.getStatus() == PartnerStatus.SUSPENDED) {
            partner.setStatus(partner.getOnboardedAt() == null ? PartnerStatus.INVITED : PartnerStatus.ACTIVE);
            partner.setUpdatedAt(Times.now());
            PartnerClients.applyEnabled(realm, partner, false);
            audit.record(actor, AuditResource.ENSYNC_PARTNER, OperationType.ACTION, Map.of("action", "resume"), "partners", partner.getId());
            LifecycleEvent.publish(new LifecycleEvent.Partner(session, realm.getId(), EventType.PARTNER_RESUMED, partner.getId(), null, actor.reference()));
        }
        return PartnerView.of(partner, realm);
    }

    /** Offboards: removes the partner's clients (their tokens stop working), ends its links; keeps the record. */
    public void offboard(PartnerEntity partner, Actor actor) {
        if (partner.getStatus() == PartnerStatus.OFFBOARDED) {
            return;
        }
        // Grants and promotions end while the clients their permissions name still exist.
        new PartnerDeactivating(session, realm, partner.getId(), true, actor).publish();
        PartnerClients.removeAll(session, realm, partner);
        new LinkService(session, realm).deleteOfPartner(partner.getId());
        deletePortalSessions(partner);
        partner.setStatus(PartnerStatus.OFFBOARDED);
        partner.setUpdatedAt(Times.now());
        audit.record(actor, AuditResource.ENSYNC_PARTNER, OperationType.DELETE, Map.of("action", "offboard"), "partners", partner.getId());
        LifecycleEvent.publish(new LifecycleEvent.Partner(session, realm.getId(), EventType.PARTNER_OFFBOARDED, partner.getId(), null, actor.reference()));
    }

    /**
     * Offboards every partner of an integration and deletes their records, for the integration's deletion. Children
     * first (foreign keys): the idempotency records before any partner row goes (each offboarding flushes, deleting
     * the partner removed before it); offboarding deletes links, portal sessions and clients. Its ended grants and
     * promotions stay (deciding them answers 409), as records without a key to the partner row.
     */
    void offboardAll(String integrationId, Actor actor) {
        em.createNamedQuery("ensync.idempotency.deleteByIntegration").setParameter("integrationId", integrationId).executeUpdate();
        List<PartnerEntity> partners = em.createNamedQuery("ensync.partner.byIntegration", PartnerEntity.class)
                .setParameter("integrationId", integrationId).getResultList();
        for (PartnerEntity partner : partners) {
            offboard(partner, actor);
            em.remove(partner);
        }
    }

    /** Ends the partner's portal sessions (named query of portal.PortalSessionEntity). */
    private void deletePortalSessions(PartnerEntity partner) {
        em.createNamedQuery("ensync.portalSession.deleteByPartner").setParameter("partnerId", partner.getId()).executeUpdate();
    }
}
