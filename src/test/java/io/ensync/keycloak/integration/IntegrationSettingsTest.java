package io.ensync.keycloak.integration;

import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.integration.IntegrationInput.SecretPolicy;
import io.ensync.keycloak.integration.IntegrationInput.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.ensync.keycloak.common.ApiErrors.assertBadRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The settings of {@code POST}/{@code PUT /integrations} (SPEC §4), validated against the current ones. */
class IntegrationSettingsTest {

    private static final int DAY = 86400;

    /** An integration as created: every environment, a day's link TTL and rotation grace, no origins, no topics. */
    static IntegrationEntity current() {
        IntegrationEntity entity = new IntegrationEntity("3f2c1a9e-8b7d-4c6e-9f01-23456789abcd", "realm", 0);
        entity.setEnvironments(EnumSet.allOf(Environment.class));
        entity.setLinkTtlSeconds(DAY);
        entity.setEmbedOrigins(List.of());
        entity.setRotationGraceSeconds(DAY);
        return entity;
    }

    static Input input() {
        return new Input();
    }

    /** An {@link IntegrationInput} field by field; what is not set is left out of the body (null). */
    static final class Input {
        private String description;
        private List<String> environments;
        private Integer linkTtlSeconds;
        private List<String> allowedEmbedOrigins;
        private List<Topic> topics;
        private SecretPolicy secretPolicy;
        private String accessRequests;
        private String joinSlug;
        private List<IntegrationInput.JoinFieldInput> joinFields;
        private String color;
        private String icon;

        Input description(String value) { description = value; return this; }
        Input environments(List<String> value) { environments = value; return this; }
        Input linkTtlSeconds(Integer value) { linkTtlSeconds = value; return this; }
        Input allowedEmbedOrigins(List<String> value) { allowedEmbedOrigins = value; return this; }
        Input topics(List<Topic> value) { topics = value; return this; }
        Input secretPolicy(SecretPolicy value) { secretPolicy = value; return this; }
        Input accessRequests(String value) { accessRequests = value; return this; }
        Input joinSlug(String value) { joinSlug = value; return this; }
        Input joinFields(List<IntegrationInput.JoinFieldInput> value) { joinFields = value; return this; }
        Input color(String value) { color = value; return this; }
        Input icon(String value) { icon = value; return this; }

        IntegrationInput build() {
            return new IntegrationInput(null, description, environments, linkTtlSeconds, allowedEmbedOrigins, topics, secretPolicy,
                    null, null, null, accessRequests, joinSlug, joinFields, color, icon);
        }
    }

    static List<String> list(String csv) {
        return csv.isEmpty() ? List.of() : Arrays.asList(csv.split(","));
    }

    static Topic topic(String pattern, String autoApprove) {
        return new Topic(pattern, true, false, autoApprove == null ? null : list(autoApprove));
    }

    static IntegrationSettings validate(Input input) {
        return IntegrationSettings.validate(current(), input.build());
    }

    @Test
    void anEmptyBodyKeepsEverything() {
        IntegrationSettings settings = validate(input());
        assertNull(settings.description());
        assertEquals(EnumSet.allOf(Environment.class), settings.environments());
        assertEquals(DAY, settings.linkTtlSeconds());
        assertNull(settings.origins());
        assertNull(settings.topics());
        assertNull(settings.maxAge());
        assertNull(settings.rotationGraceSeconds());
    }

    // access requests (SPEC §15): the mode, the join page's slug, its questions and the integration's colour and icon

    @ParameterizedTest(name = "accessRequests={0} -> {1}")
    @CsvSource(delimiter = '|', value = {"off|off", "approval|approval", "on|!", "Approval|!", "''|!", "open|!"})
    void accessRequestsMode(String given, String expected) {
        if (expected.equals("!")) {
            assertBadRequest("invalid_value", "accessRequests", () -> validate(input().accessRequests(given)));
        } else {
            assertEquals(expected, validate(input().accessRequests(given)).accessRequests());
        }
    }

    @ParameterizedTest(name = "joinSlug=[{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
            "acme|acme", "acme-events|acme-events", "a1b|a1b", "'  '|-", "''|-",
            "ab|!", "-acme|!", "acme-|!", "Acme|!", "acme_events|!", "acme events|!", "acme/x|!",
            "3f2c1a9e-8b7d-4c6e-9f01-23456789abcd|!",
    })
    void joinSlug(String given, String expected) {
        if (expected.equals("!")) {
            assertBadRequest("invalid_value", "joinSlug", () -> validate(input().joinSlug(given)));
        } else {
            assertEquals(expected.equals("-") ? null : expected, validate(input().joinSlug(given)).joinSlug());
        }
    }

    @Test
    void joinSlugOfFortyCharactersAtMost() {
        assertEquals("a".repeat(40), validate(input().joinSlug("a".repeat(40))).joinSlug());
        assertBadRequest("invalid_value", "joinSlug", () -> validate(input().joinSlug("a".repeat(41))));
    }

    @ParameterizedTest(name = "color={0} icon={1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "#0055ff|https://cdn.example.com/i.png|ok", "''|''|ok",
            "blue||color", "#05f||color", "#0055ffaa||color",
            "|http://cdn.example.com/i.png|icon", "|javascript:alert(1)|icon", "|https://u:p@cdn.example.com/i.png|icon", "|//cdn.example.com/i.png|icon",
    })
    void colorAndIcon(String color, String icon, String outcome) {
        Input input = input().color(color).icon(icon);
        if (outcome.equals("ok")) {
            IntegrationSettings settings = validate(input);
            assertEquals(color == null || color.isEmpty() ? null : color, settings.color());
            assertEquals(icon == null || icon.isEmpty() ? null : icon, settings.icon());
        } else {
            assertBadRequest("invalid_value", outcome, () -> validate(input));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "website:Website:false|ok",
            "website:Website:true,teamSize:Team size:false|ok",
            "Website:Website:false|joinFields[0].key",
            "1st:First:false|joinFields[0].key",
            "color:Colour:false|joinFields[0].key",
            "accessRequest:Request:false|joinFields[0].key",
            "web-site:Website:false|joinFields[0].key",
            "website:Website:false,website:Again:false|joinFields[1].key",
            "website: :false|joinFields[0].label",
    })
    void joinFields(String given, String outcome) {
        List<IntegrationInput.JoinFieldInput> fields = Arrays.stream(given.split(","))
                .map(f -> f.split(":", -1)).map(p -> new IntegrationInput.JoinFieldInput(p[0], p[1], Boolean.valueOf(p[2]))).toList();
        if (outcome.equals("ok")) {
            assertEquals(fields.stream().map(f -> new JoinField(f.key(), f.label(), f.required())).toList(),
                    validate(input().joinFields(fields)).joinFields());
        } else {
            assertBadRequest(outcome.endsWith("label") ? "missing_field" : "invalid_value", outcome, () -> validate(input().joinFields(fields)));
        }
    }

    @ParameterizedTest(name = "{0} join fields -> {1}")
    @CsvSource({"5, ok", "6, joinFields"})
    void atMostFiveJoinFields(int n, String outcome) {
        List<IntegrationInput.JoinFieldInput> fields = IntStream.range(0, n)
                .mapToObj(i -> new IntegrationInput.JoinFieldInput("q" + i, "Question " + i, false)).toList();
        if (outcome.equals("ok")) {
            assertEquals(n, validate(input().joinFields(fields)).joinFields().size());
        } else {
            assertBadRequest("invalid_value", outcome, () -> validate(input().joinFields(fields)));
        }
    }

    // linkTtlSeconds: 1 second to 30 days

    @ParameterizedTest
    @ValueSource(ints = {1, 60, DAY, 30 * DAY})
    void linkTtlWithinBounds(int ttl) {
        assertEquals(ttl, validate(input().linkTtlSeconds(ttl)).linkTtlSeconds());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 30 * DAY + 1, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void linkTtlOutOfBounds(int ttl) {
        assertBadRequest("invalid_value", "linkTtlSeconds", () -> validate(input().linkTtlSeconds(ttl)));
    }

    // environments: a non-empty subset, no repeats

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {"dev|dev", "prod|prod", "stage,dev|dev,stage", "dev,stage,prod|dev,stage,prod"})
    void environmentsSubset(String given, String expected) {
        assertEquals(expected, Environment.join(validate(input().environments(list(given))).environments()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "|environments",
            "dev,dev|environments",
            "qa|environments[0]",
            "dev,Prod|environments[1]",
    })
    void environmentsRefused(String given, String field) {
        assertBadRequest("invalid_value", field, () -> validate(input().environments(list(given == null ? "" : given))));
    }

    // allowedEmbedOrigins: scheme, host, optional port; nothing else

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "https://app.example.com",
            "http://localhost",
            "http://localhost:3000",
            "https://app.example.com:8443",
            "https://*.example.com",
            "http://127.0.0.1:8080",
            "https://a",
            "https://xn--bcher-kva.example",
            "https://a-b.example.com",
    })
    void originsAccepted(String origin) {
        assertEquals(List.of(origin), validate(input().allowedEmbedOrigins(List.of(origin))).origins());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            "app.example.com",                  // no scheme
            "//app.example.com",
            "ftp://app.example.com",
            "ws://app.example.com",
            "HTTPS://app.example.com",          // the scheme as the browser sends it: lower case
            "https://app.example.com/",         // no path, not even /
            "https://app.example.com/embed",
            "https://app.example.com?x=1",
            "https://app.example.com#top",
            "https://user@app.example.com",
            "https://user:pw@app.example.com",
            "https://app.example.com:",
            "https://app.example.com:port",
            "https://*",
            "https://*.*.example.com",
            "https://a*.example.com",
            "https://app.*.com",
            "https://-app.example.com",
            "https://app-.example.com",
            "https://app..example.com",
            "https://app_1.example.com",
            "https://bücher.example",
            "https://[::1]:8080",
            "https://app.example.com ",
            "*",
            "null",
            "",
    })
    void originsRefused(String origin) {
        assertBadRequest("invalid_value", "allowedEmbedOrigins[1]",
                () -> validate(input().allowedEmbedOrigins(List.of("https://ok.example.com", origin))));
    }

    @Test
    void originsRefuseANullElementAndTooLongOnes() {
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertBadRequest("invalid_value", "allowedEmbedOrigins[0]", () -> validate(input().allowedEmbedOrigins(withNull)));
        String longest = "https://" + "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(55);
        assertEquals(255, longest.length());
        assertEquals(List.of(longest), validate(input().allowedEmbedOrigins(List.of(longest))).origins());
        assertBadRequest("invalid_value", "allowedEmbedOrigins[0]",
                () -> validate(input().allowedEmbedOrigins(List.of(longest + "d"))));
    }

    @Test
    void originsAreDeduplicatedInOrder() {
        assertEquals(List.of("https://b.example.com", "https://a.example.com"),
                validate(input().allowedEmbedOrigins(List.of("https://b.example.com", "https://a.example.com", "https://b.example.com"))).origins());
    }

    @ParameterizedTest(name = "{0} origins -> {1}")
    @CsvSource({"0, ok", "20, ok", "21, allowedEmbedOrigins"})
    void atMost20Origins(int n, String outcome) {
        List<String> origins = IntStream.range(0, n).mapToObj(i -> "https://o" + i + ".example.com").toList();
        if (outcome.equals("ok")) {
            assertEquals(origins, validate(input().allowedEmbedOrigins(origins)).origins());
        } else {
            assertBadRequest("invalid_value", outcome, () -> validate(input().allowedEmbedOrigins(origins)));
        }
    }

    // topics: the catalog

    @Test
    void topicsBecomeRules() {
        IntegrationSettings settings = validate(input().topics(List.of(
                new Topic("app/order/*", true, true, List.of("stage", "dev")),
                new Topic("app/payment/created", null, true, null))));
        assertEquals(List.of(
                new IntegrationSettings.TopicRule("app/order/*", true, true, EnumSet.of(Environment.DEV, Environment.STAGE)),
                new IntegrationSettings.TopicRule("app/payment/created", false, true, EnumSet.noneOf(Environment.class))),
                settings.topics());
    }

    @ParameterizedTest(name = "{0} topics -> {1}")
    @CsvSource({"0, ok", "200, ok", "201, topics"})
    void atMost200Topics(int n, String outcome) {
        List<Topic> topics = IntStream.range(0, n).mapToObj(i -> topic("app/t" + i, null)).toList();
        if (outcome.equals("ok")) {
            assertEquals(n, validate(input().topics(topics)).topics().size());
        } else {
            assertBadRequest("invalid_value", outcome, () -> validate(input().topics(topics)));
        }
    }

    @ParameterizedTest(name = "{0} {1}/{2} auto {3} -> {4} {5}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "app/order/|true|true|null|invalid_value|topics[1].pattern",
            "app/*/x|true|true|null|invalid_value|topics[1].pattern",
            "null|true|true|null|missing_field|topics[1].pattern",
            "''|true|true|null|missing_field|topics[1].pattern",
            "app/first|true|true|null|invalid_value|topics[1].pattern",      // listed twice
            "app/x|false|false|null|invalid_value|topics[1]",                // neither send nor receive
            "app/x|null|null|null|invalid_value|topics[1]",
            "app/x|true|null|qa|invalid_value|topics[1].autoApprove[0]",
            "app/x|true|null|dev,PROD|invalid_value|topics[1].autoApprove[1]",
    })
    void topicsRefused(String pattern, Boolean send, Boolean receive, String autoApprove, String code, String field) {
        List<Topic> topics = List.of(topic("app/first", null), new Topic(pattern, send, receive, autoApprove == null ? null : list(autoApprove)));
        assertBadRequest(code, field, () -> validate(input().topics(topics)));
    }

    @Test
    void aNullCatalogEntryIsRefused() {
        List<Topic> topics = new ArrayList<>();
        topics.add(null);
        assertBadRequest("invalid_value", "topics[0]", () -> validate(input().topics(topics)));
    }

    /** Auto-approval only in environments the integration has: the given ones, else the current ones. */
    @ParameterizedTest(name = "environments {0}, current {1}, auto {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "dev,stage|dev,stage,prod|stage|ok",
            "dev,stage|dev,stage,prod|prod|topics[0].autoApprove[0]",
            "null|dev|dev|ok",
            "null|dev|stage|topics[0].autoApprove[0]",
            "prod|dev|prod|ok",
            "dev|dev,stage,prod|dev,prod|topics[0].autoApprove[1]",
    })
    void autoApproveWithinTheEnvironments(String environments, String current, String auto, String outcome) {
        IntegrationEntity entity = current();
        entity.setEnvironments(Environment.parseSet("current", list(current)));
        Input input = input().topics(List.of(topic("app/order/*", auto)));
        if (environments != null) {
            input.environments(list(environments));
        }
        if (outcome.equals("ok")) {
            assertEquals(Environment.parseSet("auto", list(auto)), IntegrationSettings.validate(entity, input.build()).topics().get(0).autoApprove());
        } else {
            assertBadRequest("invalid_value", outcome, () -> IntegrationSettings.validate(entity, input.build()));
        }
    }

    /** Narrowing the environments without a new catalog: the stored catalog must still fit. */
    @ParameterizedTest(name = "stored auto {0}, environments {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "prod|dev,stage,prod|ok",
            "prod|dev,prod|ok",
            "prod|dev,stage|topics[1].autoApprove[0]",
            "''|dev|ok",
            "dev,stage|dev|topics[1].autoApprove[1]",
    })
    void narrowingEnvironmentsChecksTheStoredCatalog(String storedAuto, String environments, String outcome) {
        IntegrationEntity entity = current();
        entity.getTopics().add(new TopicRuleEntity("t0", entity, 0, "app/a", true, true, ""));
        entity.getTopics().add(new TopicRuleEntity("t1", entity, 1, "app/b", true, true, storedAuto.equals("''") ? "" : storedAuto));
        IntegrationInput input = input().environments(list(environments)).build();
        if (outcome.equals("ok")) {
            IntegrationSettings settings = IntegrationSettings.validate(entity, input);
            assertNull(settings.topics(), "the stored catalog stays as it is");
        } else {
            assertBadRequest("invalid_value", outcome, () -> IntegrationSettings.validate(entity, input));
        }
    }

    // secretPolicy

    @ParameterizedTest(name = "maxAgeDays {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "prod=90|{PROD=90}",
            "dev=1,prod=3650|{DEV=1, PROD=3650}",
            "stage=|{}",                      // null: no maximum
            "|{}",                            // none given: every maximum removed
    })
    void maxAgeDays(String given, String expected) {
        SecretPolicy policy = new SecretPolicy(days(given), null);
        assertEquals(expected, validate(input().secretPolicy(policy)).maxAge().toString());
    }

    @ParameterizedTest(name = "maxAgeDays {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "prod=0|secretPolicy.maxAgeDays.prod",
            "prod=-1|secretPolicy.maxAgeDays.prod",
            "dev=3651|secretPolicy.maxAgeDays.dev",
            "qa=30|secretPolicy.maxAgeDays.qa",
            "PROD=30|secretPolicy.maxAgeDays.PROD",
    })
    void maxAgeDaysRefused(String given, String field) {
        assertBadRequest("invalid_value", field, () -> validate(input().secretPolicy(new SecretPolicy(days(given), null))));
    }

    @Test
    void maxAgeDaysAsNullKeepsNoMaximum() {
        assertEquals(Map.of(), validate(input().secretPolicy(new SecretPolicy(null, null))).maxAge());
    }

    @ParameterizedTest(name = "rotationGraceSeconds {0} -> {1}")
    @CsvSource(nullValues = "null", value = {"null, 86400", "0, 0", "3600, 3600", "2592000, 2592000"})
    void rotationGrace(Integer grace, int expected) {
        assertEquals(expected, validate(input().secretPolicy(new SecretPolicy(Map.of(), grace))).rotationGraceSeconds());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 2592001})
    void rotationGraceRefused(int grace) {
        assertBadRequest("invalid_value", "secretPolicy.rotationGraceSeconds",
                () -> validate(input().secretPolicy(new SecretPolicy(Map.of(), grace))));
    }

    // description

    @Test
    void description() {
        assertEquals("Line 1\nLine 2", validate(input().description("  Line 1\nLine 2 ")).description());
        assertEquals(1000, validate(input().description("d".repeat(1000))).description().length());
        assertBadRequest("too_long", "description", () -> validate(input().description("d".repeat(1001))));
        // Blank is "no value" (docs/api.md): given on an update, it removes the stored description.
        assertNull(validate(input().description("  ")).description());
        assertNull(validate(input().description("")).description());
        assertBadRequest("invalid_value", "description", () -> validate(input().description("a\u0000")));
    }

    /** {@code dev=1,prod=} as a map; an empty value is null. */
    static Map<String, Integer> days(String given) {
        Map<String, Integer> map = new HashMap<>();
        if (given != null && !given.isEmpty()) {
            for (String pair : given.split(",")) {
                String[] kv = pair.split("=", -1);
                map.put(kv[0], kv[1].isEmpty() ? null : Integer.valueOf(kv[1]));
            }
        }
        return map;
    }
}
