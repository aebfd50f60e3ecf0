package io.ensync.keycloak.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.ensync.keycloak.common.ApiErrors.assertBadRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class IdsTest {

    @ParameterizedTest(name = "[{0}] is an id: {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "3f2c1a9e-8b7d-4c6e-9f01-23456789abcd|true",
            "3F2C1A9E-8B7D-4C6E-9F01-23456789ABCD|true",
            "00000000-0000-0000-0000-000000000000|true",
            "null|false",
            "''|false",
            "3f2c1a9e8b7d4c6e9f0123456789abcd|false",        // no hyphens
            "3f2c1a9e-8b7d-4c6e-9f01-23456789abc|false",     // one short
            "3f2c1a9e-8b7d-4c6e-9f01-23456789abcde|false",   // one long
            "3f2c1a9e-8b7d-4c6e-9f01-23456789abcg|false",    // not hex
            "{3f2c1a9e-8b7d-4c6e-9f01-23456789abcd}|false",
            "' 3f2c1a9e-8b7d-4c6e-9f01-23456789abcd'|false",
            "3f2c1a9e-8b7d-4c6e-9f0123-456789abcd|false",    // hyphens misplaced
            "3f2c1a9e/8b7d-4c6e-9f01-23456789abcd|false",
            "..|false",
            "1 OR 1=1|false",
    })
    void isId(String value, boolean expected) {
        assertEquals(expected, Ids.isId(value));
    }

    @Test
    void trailingNewlineOrNulIsNoId() {
        assertEquals(false, Ids.isId("3f2c1a9e-8b7d-4c6e-9f01-23456789abcd\n"));
        assertEquals(false, Ids.isId("3f2c1a9e-8b7d-4c6e-9f01-23456789abc\u0000"));
    }

    @Test
    void optionalFilter() {
        assertNull(Ids.optionalFilter("integrationId", null));
        assertNull(Ids.optionalFilter("integrationId", ""));
        assertEquals("3f2c1a9e-8b7d-4c6e-9f01-23456789abcd", Ids.optionalFilter("integrationId", "3f2c1a9e-8b7d-4c6e-9f01-23456789abcd"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", " ", "3f2c1a9e", "%00", "3f2c1a9e-8b7d-4c6e-9f01-23456789abcd,3f2c1a9e-8b7d-4c6e-9f01-23456789abce"})
    void optionalFilterRefusesWhatIsNoId(String value) {
        assertBadRequest("invalid_query", "partnerId", () -> Ids.optionalFilter("partnerId", value));
    }
}
