package io.ensync.keycloak.integration;

import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.Checks;
import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.Ids;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of an integration body, validated against the integration's current ones before any is applied (a
 * bad field changes nothing). Pure: no session, no database. {@code null} where the body left a setting out.
 */
record IntegrationSettings(String description, Set<Environment> environments, int linkTtlSeconds, List<String> origins,
                           List<IntegrationSettings.TopicRule> topics, Map<Environment, Integer> maxAge,
                           Integer rotationGraceSeconds, int maxGrantsPerEnvironment, List<String> jwksUrlHosts,
                           String accessRequests, String joinSlug, List<JoinField> joinFields, String color, String icon) {

    static final int MAX_TOPICS = 200;
    static final int MAX_ORIGINS = 20;
    static final int MAX_JWKS_URL_HOSTS = 20;
    static final int MAX_JOIN_FIELDS = 5;
    /** Lower case letters, digits and inner hyphens, 3 to 40: short enough to print, never the shape of an id. */
    private static final Pattern JOIN_SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,38}[a-z0-9]");
    private static final Pattern JOIN_FIELD_KEY = Pattern.compile("[a-z][A-Za-z0-9_]{0,31}");
    /** Keys the partner's metadata gives a meaning of its own (presentation) or that the approval writes. */
    static final Set<String> RESERVED_JOIN_KEYS = Set.of("color", "icon", "tags", "accessRequest");
    private static final Pattern HOST_NAME = Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern ORIGIN_HOST = Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    static IntegrationSettings validate(IntegrationEntity entity, IntegrationInput input) {
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
        Map<Environment, Integer> maxAge = null;
        Integer grace = null;
        if (input.secretPolicy() != null) {
            maxAge = maxAge(input.secretPolicy().maxAgeDays());
            grace = Checks.range("secretPolicy.rotationGraceSeconds", input.secretPolicy().rotationGraceSeconds(),
                    entity.getRotationGraceSeconds(), 0, 30 * 86400);
        }
        List<String> jwksUrlHosts = input.jwksUrlHosts() == null ? null : jwksUrlHosts(input.jwksUrlHosts());
        int maxGrants = Checks.range("maxGrantsPerEnvironment", input.maxGrantsPerEnvironment(),
                entity.getMaxGrantsPerEnvironment(), 1, IntegrationService.MAX_GRANTS_PER_ENVIRONMENT);
        String accessRequests = input.accessRequests() == null ? null : accessRequests(input.accessRequests());
        String slug = input.joinSlug() == null || Checks.isBlank(input.joinSlug()) ? null : joinSlug(input.joinSlug());
        List<JoinField> joinFields = input.joinFields() == null ? null : joinFields(input.joinFields());
        String color = Checks.isBlank(input.color()) ? null : color(input.color());
        String icon = Checks.isBlank(input.icon()) ? null : icon(input.icon());
        return new IntegrationSettings(description, environments, ttl, origins, topics, maxAge, grace, maxGrants, jwksUrlHosts,
                accessRequests, slug, joinFields, color, icon);
    }

    private static String accessRequests(String value) {
        if (!IntegrationEntity.ACCESS_REQUESTS_OFF.equals(value) && !IntegrationEntity.ACCESS_REQUESTS_APPROVAL.equals(value)) {
            throw ApiException.invalid("accessRequests", "accessRequests must be off or approval.");
        }
        return value;
    }

    /** Whether a value has a join slug's shape: anything else is unknown without a database round trip. */
    static boolean isJoinSlug(String value) {
        return value != null && JOIN_SLUG.matcher(value).matches() && !Ids.isId(value);
    }

    private static String joinSlug(String value) {
        if (!isJoinSlug(value)) {
            throw ApiException.invalid("joinSlug",
                    "A join slug is 3 to 40 lower-case letters, digits and inner hyphens, like acme-events.");
        }
        return value;
    }

    private static String color(String value) {
        if (!Checks.isColor(value)) {
            throw ApiException.invalid("color", "color must be a colour like #0055ff.");
        }
        return value;
    }

    private static String icon(String value) {
        if (!Checks.isIconUrl(value)) {
            throw ApiException.invalid("icon", "icon must be an https URL of at most " + Checks.MAX_ICON_URL + " characters.");
        }
        return value;
    }

    private static List<JoinField> joinFields(List<IntegrationInput.JoinFieldInput> values) {
        if (values.size() > MAX_JOIN_FIELDS) {
            throw ApiException.invalid("joinFields", "A join page asks at most " + MAX_JOIN_FIELDS + " questions of its own.");
        }
        List<JoinField> result = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String field = "joinFields[" + i + "]";
            IntegrationInput.JoinFieldInput value = values.get(i);
            if (value == null) {
                throw ApiException.invalid(field, "A join field must be an object.");
            }
            if (value.key() == null || !JOIN_FIELD_KEY.matcher(value.key()).matches() || RESERVED_JOIN_KEYS.contains(value.key())) {
                throw ApiException.invalid(field + ".key", "A key is a letter then letters, digits or _, at most 32,"
                        + " starting lower case, and none of " + String.join(", ", new java.util.TreeSet<>(RESERVED_JOIN_KEYS)) + ".");
            }
            if (!keys.add(value.key())) {
                throw ApiException.invalid(field + ".key", "The key '" + value.key() + "' is listed twice.");
            }
            String label = Checks.requiredText(field + ".label", value.label(), 60);
            result.add(new JoinField(value.key(), label, Boolean.TRUE.equals(value.required())));
        }
        return result;
    }

    /**
     * The hosts a partner's JWKS URL may point at (SPEC §14): DNS names only (no IP literal, no port, no scheme — the URL
     * itself must be https), because Keycloak fetches that URL from inside the network.
     */
    static List<String> jwksUrlHosts(List<String> values) {
        if (values.size() > MAX_JWKS_URL_HOSTS) {
            throw ApiException.invalid("jwksUrlHosts", "At most " + MAX_JWKS_URL_HOSTS + " hosts are allowed.");
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String host = values.get(i);
            if (host == null || !HOST_NAME.matcher(host).matches()) {
                throw ApiException.invalid("jwksUrlHosts[" + i + "]",
                        "A host name in lower case, like keys.partner.example: no scheme, port, path or IP address.");
            }
            if (!result.contains(host)) {
                result.add(host);
            }
        }
        return result;
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
