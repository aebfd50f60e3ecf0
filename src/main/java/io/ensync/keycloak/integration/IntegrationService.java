package io.ensync.keycloak.integration;

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
import io.ensync.keycloak.common.RealmMail;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.lifecycle.IntegrationDeleted;
import io.ensync.keycloak.lifecycle.IntegrationEnvironmentsChanging;
import jakarta.persistence.EntityManager;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.EnumSet;
import java.util.List;

/** Integrations of one realm: create, read, change, delete, with their settings validated. */
public class IntegrationService {

    public static final int DEFAULT_LINK_TTL_SECONDS = 86400;
    public static final int DEFAULT_ROTATION_GRACE_SECONDS = 86400;
    public static final int DEFAULT_MAX_GRANTS_PER_ENVIRONMENT = 200;
    /** Upper bound of the setting: a partner is not meant to hold a realm's worth of authorization resources. */
    public static final int MAX_GRANTS_PER_ENVIRONMENT = 10000;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EntityManager em;
    private final Audit audit;

    public IntegrationService(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.em = Jpa.em(session);
        this.audit = new Audit(session, realm);
    }

    public IntegrationView create(IntegrationInput input, Actor actor) {
        String name = Checks.requiredText("name", input.name(), 100);
        requireUniqueName(name, "");
        IntegrationEntity entity = new IntegrationEntity(KeycloakModelUtils.generateId(), realm.getId(), Times.now());
        entity.setName(name);
        entity.setEnvironments(EnumSet.allOf(Environment.class));
        entity.setLinkTtlSeconds(DEFAULT_LINK_TTL_SECONDS);
        entity.setEmbedOrigins(List.of());
        entity.setRotationGraceSeconds(DEFAULT_ROTATION_GRACE_SECONDS);
        entity.setMaxGrantsPerEnvironment(DEFAULT_MAX_GRANTS_PER_ENVIRONMENT);
        entity.setEnabled(true);
        applySettings(entity, input);
        em.persist(entity);
        audit.record(actor, AuditResource.ENSYNC_INTEGRATION, OperationType.CREATE, IntegrationView.of(entity), "integrations", entity.getId());
        String key = new IntegrationKeyService(session, realm).create(entity, null, actor).key();
        return IntegrationView.of(entity, key);
    }

    public List<IntegrationView> list(Paging paging) {
        return em.createNamedQuery("ensync.integration.byRealm", IntegrationEntity.class)
                .setParameter("realmId", realm.getId())
                .setFirstResult(paging.first()).setMaxResults(paging.max())
                .getResultStream().map(IntegrationView::of).toList();
    }

    public IntegrationEntity get(String id) {
        IntegrationEntity entity = Ids.isId(id) ? em.find(IntegrationEntity.class, id) : null;
        if (entity == null || !entity.getRealmId().equals(realm.getId())) {
            throw ApiException.notFound("Integration");
        }
        return entity;
    }

    public IntegrationView update(String id, IntegrationInput input, Actor actor) {
        IntegrationEntity entity = get(id);
        String name = input.name() == null ? null : Checks.requiredText("name", input.name(), 100);
        if (name != null) {
            requireUniqueName(name, entity.getId());
        }
        if (input.environments() != null
                && !Environment.parseSet("environments", input.environments()).equals(entity.getEnvironments())) {
            // The partner package refuses it (409 environments_locked) once the integration has partners.
            new IntegrationEnvironmentsChanging(session, realm, entity.getId()).publish();
        }
        applySettings(entity, input);
        if (name != null) {
            entity.setName(name);
        }
        entity.setUpdatedAt(Times.now());
        audit.record(actor, AuditResource.ENSYNC_INTEGRATION, OperationType.UPDATE, IntegrationView.of(entity), "integrations", entity.getId());
        return IntegrationView.of(entity);
    }

    /**
     * Deletes the integration: first what hangs off it, through {@link IntegrationDeleted} (its partners offboarded,
     * their clients removed; its webhooks), then its keys and itself.
     */
    public void delete(String id, Actor actor) {
        IntegrationEntity entity = get(id);
        new IntegrationDeleted(session, realm, entity.getId(), actor).publish();
        em.createNamedQuery("ensync.key.deleteByIntegration").setParameter("integrationId", entity.getId()).executeUpdate();
        em.remove(entity);
        audit.record(actor, AuditResource.ENSYNC_INTEGRATION, OperationType.DELETE, null, "integrations", entity.getId());
    }

    private void requireUniqueName(String name, String exceptId) {
        Long taken = em.createNamedQuery("ensync.integration.countByRealmAndName", Long.class)
                .setParameter("realmId", realm.getId()).setParameter("name", name).setParameter("id", exceptId)
                .getSingleResult();
        if (taken > 0) {
            throw ApiException.of(ErrorCode.NAME_TAKEN, "An integration with this name already exists in the realm.");
        }
    }

    /** Validates every given setting first, then applies them: a bad field changes nothing. */
    private void applySettings(IntegrationEntity entity, IntegrationInput input) {
        IntegrationSettings settings = IntegrationSettings.validate(entity, input);
        if (input.description() != null) {
            entity.setDescription(settings.description());
        }
        entity.setEnvironments(settings.environments());
        entity.setLinkTtlSeconds(settings.linkTtlSeconds());
        entity.setMaxGrantsPerEnvironment(settings.maxGrantsPerEnvironment());
        if (settings.origins() != null) {
            entity.setEmbedOrigins(settings.origins());
        }
        if (settings.jwksUrlHosts() != null) {
            entity.setJwksUrlHosts(settings.jwksUrlHosts());
        }
        if (settings.topics() != null) {
            replaceTopics(entity, settings.topics());
        }
        if (settings.maxAge() != null) {
            for (Environment env : Environment.values()) {
                entity.setMaxSecretAgeDays(env, settings.maxAge().get(env));
            }
        }
        if (settings.rotationGraceSeconds() != null) {
            entity.setRotationGraceSeconds(settings.rotationGraceSeconds());
        }
        if (input.enabled() != null) {
            entity.setEnabled(input.enabled());
        }
        if (settings.accessRequests() != null) {
            if (IntegrationEntity.ACCESS_REQUESTS_APPROVAL.equals(settings.accessRequests()) && !RealmMail.configured(realm)) {
                // Access requests are verified by mail: without the realm's SMTP settings the join page could never work.
                throw ApiException.of(ErrorCode.EMAIL_NOT_CONFIGURED, "Access requests need the realm's e-mail settings (Realm settings → Email) first.");
            }
            entity.setAccessRequests(settings.accessRequests());
        }
        if (input.joinSlug() != null) {
            if (settings.joinSlug() != null) {
                requireUniqueSlug(settings.joinSlug(), entity.getId());
            }
            entity.setJoinSlug(settings.joinSlug());
        }
        if (settings.joinFields() != null) {
            entity.setJoinFields(settings.joinFields());
        }
        if (input.color() != null) {
            entity.setColor(settings.color());
        }
        if (input.icon() != null) {
            entity.setIcon(settings.icon());
        }
    }

    /** A join slug names one integration of the realm (the unique index backs this answer up against races). */
    private void requireUniqueSlug(String slug, String exceptId) {
        boolean taken = em.createNamedQuery("ensync.integration.byJoinSlug", IntegrationEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("slug", slug)
                .getResultStream().anyMatch(other -> !other.getId().equals(exceptId));
        if (taken) {
            throw ApiException.of(ErrorCode.JOIN_SLUG_TAKEN, "Another integration of the realm has this join slug.");
        }
    }

    /** The integration a join page names, by id or by slug; null when none does. */
    public IntegrationEntity findForJoinPage(String idOrSlug) {
        if (Ids.isId(idOrSlug)) {
            IntegrationEntity entity = em.find(IntegrationEntity.class, idOrSlug);
            return entity != null && entity.getRealmId().equals(realm.getId()) ? entity : null;
        }
        // Never a query for what cannot be a slug (PostgreSQL refuses a NUL byte in a parameter).
        if (!IntegrationSettings.isJoinSlug(idOrSlug)) {
            return null;
        }
        return em.createNamedQuery("ensync.integration.byJoinSlug", IntegrationEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("slug", idOrSlug)
                .getResultStream().findFirst().orElse(null);
    }

    private void replaceTopics(IntegrationEntity entity, List<IntegrationSettings.TopicRule> topics) {
        entity.getTopics().clear();
        // Flush the removals first: a re-added pattern must not meet its old row in the unique index.
        em.flush();
        for (int i = 0; i < topics.size(); i++) {
            IntegrationSettings.TopicRule t = topics.get(i);
            entity.getTopics().add(new TopicRuleEntity(KeycloakModelUtils.generateId(), entity, i, t.pattern(),
                    t.send(), t.receive(), Environment.join(t.autoApprove())));
        }
    }

}
