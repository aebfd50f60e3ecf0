package io.ensync.keycloak.integration;

import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.audit.Audit;
import io.ensync.keycloak.audit.AuditResource;
import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.Checks;
import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.Ids;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Paging;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.partner.PartnerService;
import io.ensync.keycloak.permission.TopicPattern;
import jakarta.persistence.EntityManager;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Integrations of one realm: create, read, change, delete, with their settings validated. */
public class IntegrationService {

    public static final int DEFAULT_LINK_TTL_SECONDS = 86400;
    public static final int DEFAULT_ROTATION_GRACE_SECONDS = 86400;
    public static final int DEFAULT_MAX_GRANTS_PER_ENVIRONMENT = 200;
    /** Upper bound of the setting: a partner is not meant to hold a realm's worth of authorization resources. */
    public static final int MAX_GRANTS_PER_ENVIRONMENT = 10000;
    static final int MAX_TOPICS = 200;
    static final int MAX_ORIGINS = 20;
    private static final Pattern ORIGIN_HOST = Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

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
                && !Environment.parseSet("environments", input.environments()).equals(entity.getEnvironments())
                && new PartnerService(session, realm).hasPartners(entity)) {
            throw ApiException.conflict("environments_locked",
                    "The environments of an integration cannot change once it has partners.");
        }
        applySettings(entity, input);
        if (name != null) {
            entity.setName(name);
        }
        entity.setUpdatedAt(Times.now());
        audit.record(actor, AuditResource.ENSYNC_INTEGRATION, OperationType.UPDATE, IntegrationView.of(entity), "integrations", entity.getId());
        return IntegrationView.of(entity);
    }

    /** Deletes the integration; its partners are offboarded first (their clients removed), then its keys go. */
    public void delete(String id, Actor actor) {
        IntegrationEntity entity = get(id);
        new PartnerService(session, realm).offboardAll(entity, actor);
        em.createNamedQuery("ensync.key.deleteByIntegration").setParameter("integrationId", entity.getId()).executeUpdate();
        em.remove(entity);
        audit.record(actor, AuditResource.ENSYNC_INTEGRATION, OperationType.DELETE, null, "integrations", entity.getId());
    }

    private void requireUniqueName(String name, String exceptId) {
        Long taken = em.createNamedQuery("ensync.integration.countByRealmAndName", Long.class)
                .setParameter("realmId", realm.getId()).setParameter("name", name).setParameter("id", exceptId)
                .getSingleResult();
        if (taken > 0) {
            throw ApiException.conflict("name_taken", "An integration with this name already exists in the realm.");
        }
    }

    /** Validates every given setting first, then applies them: a bad field changes nothing. */
    private void applySettings(IntegrationEntity entity, IntegrationInput input) {
        String description = Checks.optionalMultiline("description", input.description(), 1000);
        Set<Environment> environments = input.environments() == null
                ? entity.getEnvironments() : Environment.parseSet("environments", input.environments());
        int ttl = Checks.range("linkTtlSeconds", input.linkTtlSeconds(), entity.getLinkTtlSeconds(), 1, 30 * 86400);
        List<String> origins = input.allowedEmbedOrigins() == null ? null : origins(input.allowedEmbedOrigins());
        List<TopicRule> topics = input.topics() == null ? null : topics(input.topics(), environments);
        if (topics == null && input.environments() != null) {
            // The stored catalog must still fit the (possibly narrower) environments.
            topics(entity.getTopics().stream().map(TopicRule::of).map(TopicRule::asInput).toList(), environments);
        }
        int maxGrants = Checks.range("maxGrantsPerEnvironment", input.maxGrantsPerEnvironment(),
                entity.getMaxGrantsPerEnvironment(), 1, MAX_GRANTS_PER_ENVIRONMENT);
        Map<Environment, Integer> maxAge = null;
        Integer grace = null;
        if (input.secretPolicy() != null) {
            maxAge = maxAge(input.secretPolicy().maxAgeDays());
            grace = Checks.range("secretPolicy.rotationGraceSeconds", input.secretPolicy().rotationGraceSeconds(),
                    entity.getRotationGraceSeconds(), 0, 30 * 86400);
        }

        if (input.description() != null) {
            entity.setDescription(description);
        }
        entity.setEnvironments(environments);
        entity.setLinkTtlSeconds(ttl);
        entity.setMaxGrantsPerEnvironment(maxGrants);
        if (origins != null) {
            entity.setEmbedOrigins(origins);
        }
        if (topics != null) {
            replaceTopics(entity, topics);
        }
        if (maxAge != null) {
            for (Environment env : Environment.values()) {
                entity.setMaxSecretAgeDays(env, maxAge.get(env));
            }
        }
        if (grace != null) {
            entity.setRotationGraceSeconds(grace);
        }
        if (input.enabled() != null) {
            entity.setEnabled(input.enabled());
        }
    }

    private static List<String> origins(List<String> values) {
        if (values.size() > MAX_ORIGINS) {
            throw ApiException.invalid("allowedEmbedOrigins", "At most " + MAX_ORIGINS + " origins are allowed.");
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String field = "allowedEmbedOrigins[" + i + "]";
            String origin = values.get(i);
            if (origin == null || origin.length() > 255 || !isOrigin(origin)) {
                throw ApiException.invalid(field, "An origin is a scheme, host and optional port, like https://app.example.com.");
            }
            if (!result.contains(origin)) {
                result.add(origin);
            }
        }
        return result;
    }

    private static boolean isOrigin(String origin) {
        try {
            URI uri = new URI(origin.replace("://*.", "://wildcard."));
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getHost() != null && ORIGIN_HOST.matcher(origin.substring(uri.getScheme().length() + 3).replaceFirst(":\\d+$", "")).matches()
                    && uri.getRawUserInfo() == null && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    && uri.getRawQuery() == null && uri.getRawFragment() == null;
        } catch (Exception e) {
            return false;
        }
    }

    /** A validated catalog entry, before it becomes an entity. */
    record TopicRule(String pattern, boolean send, boolean receive, Set<Environment> autoApprove) {
        static TopicRule of(TopicRuleEntity e) {
            return new TopicRule(e.getPattern(), e.isSend(), e.isReceive(), Environment.split(e.getAutoApprove()));
        }

        IntegrationInput.Topic asInput() {
            return new IntegrationInput.Topic(pattern, send, receive, Environment.ids(autoApprove));
        }
    }

    private static List<TopicRule> topics(List<IntegrationInput.Topic> values, Set<Environment> environments) {
        if (values.size() > MAX_TOPICS) {
            throw ApiException.invalid("topics", "The catalog holds at most " + MAX_TOPICS + " topics.");
        }
        List<TopicRule> result = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String field = "topics[" + i + "]";
            IntegrationInput.Topic topic = values.get(i);
            if (topic == null) {
                throw ApiException.invalid(field, "A catalog entry must be an object.");
            }
            String pattern = TopicPattern.validate(field + ".pattern", topic.pattern());
            if (!seen.add(pattern)) {
                throw ApiException.invalid(field + ".pattern", "The pattern '" + pattern + "' is listed twice.");
            }
            boolean send = Boolean.TRUE.equals(topic.send());
            boolean receive = Boolean.TRUE.equals(topic.receive());
            if (!send && !receive) {
                throw ApiException.invalid(field, "A catalog entry must allow send, receive or both.");
            }
            Set<Environment> auto = EnumSet.noneOf(Environment.class);
            List<String> autoIds = topic.autoApprove() == null ? List.of() : topic.autoApprove();
            for (int j = 0; j < autoIds.size(); j++) {
                Environment env = Environment.parse(field + ".autoApprove[" + j + "]", autoIds.get(j));
                if (!environments.contains(env)) {
                    throw ApiException.invalid(field + ".autoApprove[" + j + "]", "'" + env.id() + "' is not an environment of this integration.");
                }
                auto.add(env);
            }
            result.add(new TopicRule(pattern, send, receive, auto));
        }
        return result;
    }

    private void replaceTopics(IntegrationEntity entity, List<TopicRule> topics) {
        entity.getTopics().clear();
        // Flush the removals first: a re-added pattern must not meet its old row in the unique index.
        em.flush();
        for (int i = 0; i < topics.size(); i++) {
            TopicRule t = topics.get(i);
            entity.getTopics().add(new TopicRuleEntity(KeycloakModelUtils.generateId(), entity, i, t.pattern(),
                    t.send(), t.receive(), Environment.join(t.autoApprove())));
        }
    }

    private static Map<Environment, Integer> maxAge(Map<String, Integer> values) {
        Map<Environment, Integer> result = new java.util.EnumMap<>(Environment.class);
        if (values == null) {
            return result;
        }
        for (Map.Entry<String, Integer> entry : values.entrySet()) {
            String field = "secretPolicy.maxAgeDays." + entry.getKey();
            Environment env = Environment.parse(field, entry.getKey());
            if (entry.getValue() != null) {
                result.put(env, Checks.range(field, entry.getValue(), 0, 1, 3650));
            }
        }
        return result;
    }
}
