package io.ensync.keycloak.integration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static io.ensync.keycloak.common.ApiErrors.assertBadRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Topic names and patterns (SPEC §5): hand-written vectors, never computed by TopicPattern itself. */
class TopicPatternTest {

    private static final String S64 = "a".repeat(64);

    @ParameterizedTest(name = "valid: {0}")
    @ValueSource(strings = {
            "*",
            "app",
            "app/order/created",
            "app/order/*",
            "app/*",
            "a/*",
            "A-1/b_2/c.3",
            "app/order/created/v2/eu",
            "0/1/2",
            "app/order.v2/created-late",
            "app/Order/CREATED",
    })
    void acceptsTopicsAndPatterns(String pattern) {
        assertEquals(pattern, TopicPattern.validate("pattern", pattern));
    }

    static Stream<String> lengthsAtTheBounds() {
        return Stream.of(
                S64,                                                    // longest segment
                S64 + "/" + S64 + "/" + S64 + "/" + "a".repeat(60),     // 255 characters in all
                S64 + "/" + S64 + "/" + S64 + "/" + "a".repeat(58) + "/*"); // 255 with the wildcard
    }

    @ParameterizedTest
    @MethodSource("lengthsAtTheBounds")
    void acceptsTheLongestNames(String pattern) {
        assertEquals(pattern, TopicPattern.validate("pattern", pattern));
    }

    @ParameterizedTest(name = "invalid: [{0}]")
    @ValueSource(strings = {
            "app/order/",       // trailing slash: an empty last segment
            "/app/order",       // leading slash
            "app//order",       // empty middle segment
            "/",
            "/*",               // nothing before the wildcard
            "app/*/created",    // wildcard in the middle
            "*/order",
            "*/*",
            "app/*/*",
            "**",
            "app/order*",       // a wildcard is a whole segment
            "app/*order",
            "app/order/*/",
            "app/ord er",       // spaces
            " app",
            "app ",
            "app/order\n",
            "app\torder",
            "app/order/créé",   // unicode letters
            "app/ｏrder",        // a full-width letter
            "app/order/✓",
            "app/-order",       // segments start with a letter or digit
            "app/.order",
            "app/_order",
            "app/or+der",
            "app/or:der",
            "app/order?x",
            "app\\order",
    })
    void refusesMalformedNames(String pattern) {
        assertBadRequest("invalid_value", "topics[3].pattern", () -> TopicPattern.validate("topics[3].pattern", pattern));
    }

    @ParameterizedTest
    @ValueSource(ints = {65, 100})
    void refusesASegmentLongerThan64(int length) {
        assertBadRequest("invalid_value", "pattern", () -> TopicPattern.validate("pattern", "app/" + "a".repeat(length)));
    }

    static Stream<String> tooLong() {
        return Stream.of(
                S64 + "/" + S64 + "/" + S64 + "/" + "a".repeat(61),     // 256 characters
                S64 + "/" + S64 + "/" + S64 + "/" + "a".repeat(59) + "/*",
                "*".repeat(300));
    }

    @ParameterizedTest
    @MethodSource("tooLong")
    void refusesMoreThan255Characters(String pattern) {
        assertBadRequest("too_long", "pattern", () -> TopicPattern.validate("pattern", pattern));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.NullAndEmptySource
    void requiresAPattern(String pattern) {
        assertBadRequest("missing_field", "pattern", () -> TopicPattern.validate("pattern", pattern));
    }

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
            // everything
            "*,                 app/order/created,      true",
            "*,                 x,                      true",
            "*,                 app/*,                  true",
            "*,                 *,                      true",
            // exact names
            "app/order/created, app/order/created,      true",
            "app/order/created, app/order/created/v2,   false",
            "app/order/created, app/order,              false",
            "app/order/created, app/order/create,       false",
            "app/order/created, App/order/created,      false",
            "app/order/created, app/order/*,            false",
            "app/order/created, *,                      false",
            // a prefix: every topic below it, at any depth
            "app/order/*,       app/order/created,      true",
            "app/order/*,       app/order/created/v2,   true",
            "app/order/*,       app/order/x,            true",
            "app/order/*,       app/order,              false",
            "app/order/*,       app/order/,             false",
            "app/order/*,       app/orders/created,     false",
            "app/order/*,       app/orderx,             false",
            "app/order/*,       app/payment/created,    false",
            "app/order/*,       web/app/order/created,  false",
            "app/order/*,       APP/ORDER/CREATED,      false",
            // narrower patterns
            "app/order/*,       app/order/*,            true",
            "app/order/*,       app/order/eu/*,         true",
            "app/*,             app/order/*,            true",
            "app/*,             app/order/created,      true",
            "app/order/*,       app/*,                  false",
            "app/order/*,       *,                      false",
            "app/*,             apps/order,             false",
    })
    void covers(String pattern, String topic, boolean expected) {
        assertEquals(expected, TopicPattern.covers(pattern, topic));
    }
}
