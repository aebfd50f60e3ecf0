package io.ensync.keycloak.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.ensync.keycloak.common.ApiErrors.assertBadRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EnvironmentTest {

    @Test
    void promotionOrderIsDevStageProd() {
        assertEquals(List.of(Environment.DEV, Environment.STAGE, Environment.PROD), List.of(Environment.values()));
        assertEquals(List.of("dev", "stage", "prod"), Arrays.stream(Environment.values()).map(Environment::id).toList());
    }

    @ParameterizedTest
    @CsvSource({"dev, DEV", "stage, STAGE", "prod, PROD"})
    void parsesItsIds(String id, Environment expected) {
        assertEquals(expected, Environment.parse("environment", id));
    }

    @ParameterizedTest(name = "[{0}]")
    @NullSource
    @ValueSource(strings = {"", "DEV", "Dev", " dev", "dev ", "production", "staging", "test", "d", "dev,stage", "0"})
    void refusesAnythingElse(String value) {
        assertBadRequest("invalid_value", "environment", () -> Environment.parse("environment", value));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "dev|dev",
            "prod,dev|dev,prod",         // stored and answered in promotion order
            "stage,prod,dev|dev,stage,prod",
            "prod|prod",
    })
    void parseSetKeepsPromotionOrder(String given, String joined) {
        Set<Environment> set = Environment.parseSet("environments", List.of(given.split(",")));
        assertEquals(joined, Environment.join(set));
        assertEquals(List.of(joined.split(",")), Environment.ids(set));
    }

    @ParameterizedTest(name = "{0} -> field {1}")
    @CsvSource(delimiter = '|', value = {
            "dev,dev|environments",
            "dev,stage,dev|environments",
            "qa|environments[0]",
            "dev,PROD|environments[1]",
            "dev,stage,''|environments[2]",
    })
    void parseSetRefuses(String given, String field) {
        List<String> values = Arrays.stream(given.split(",")).map(s -> s.equals("''") ? "" : s).toList();
        assertBadRequest("invalid_value", field, () -> Environment.parseSet("environments", values));
    }

    @Test
    void parseSetNeedsOne() {
        assertBadRequest("invalid_value", "environments", () -> Environment.parseSet("environments", List.of()));
    }

    @Test
    void parseSetRefusesANullElement() {
        List<String> values = new ArrayList<>();
        values.add(null);
        assertBadRequest("invalid_value", "environments[0]", () -> Environment.parseSet("environments", values));
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "null|''",
            "''|''",
            "dev|dev",
            "dev,stage,prod|dev,stage,prod",
            "prod,dev|dev,prod",
    })
    void storedFormRoundTrips(String stored, String joined) {
        Set<Environment> set = Environment.split(stored);
        assertEquals(joined, Environment.join(set));
    }

    /** The next environment of an integration's: skips those it does not have; none after the last or outside. */
    @ParameterizedTest(name = "next of {1} in [{0}] -> {2}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "dev,stage,prod|DEV|STAGE",
            "dev,stage,prod|STAGE|PROD",
            "dev,stage,prod|PROD|null",
            "dev,prod|DEV|PROD",
            "stage,prod|STAGE|PROD",
            "dev,stage|STAGE|null",
            "dev|DEV|null",
            "prod|PROD|null",
            "stage,prod|DEV|null",      // not one of the integration's
            "dev,prod|STAGE|null",
    })
    void next(String environments, Environment from, Environment expected) {
        assertEquals(expected, Environment.next(Environment.parseSet("environments", List.of(environments.split(","))), from));
    }

    @Test
    void joinOfNothingIsEmpty() {
        assertEquals("", Environment.join(EnumSet.noneOf(Environment.class)));
        assertEquals(List.of(), Environment.ids(EnumSet.noneOf(Environment.class)));
    }
}
