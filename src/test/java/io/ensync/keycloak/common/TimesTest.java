package io.ensync.keycloak.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0,             1970-01-01T00:00:00Z",
            "1,             1970-01-01T00:00:00.001Z",
            "-1,            1969-12-31T23:59:59.999Z",
            "1700000000000, 2023-11-14T22:13:20Z",
            "1700000000123, 2023-11-14T22:13:20.123Z",
            "951782400000,  2000-02-29T00:00:00Z",
    })
    void isoIsUtcWithMillisecondsWhenThereAreAny(long millis, String expected) {
        assertEquals(expected, Times.iso(millis));
    }

    @Test
    void isoOfNothingIsNothing() {
        assertNull(Times.iso(null));
    }

    @Test
    void nowIsKeycloaksClockWithoutOffset() {
        long before = System.currentTimeMillis();
        long now = Times.now();
        assertTrue(now >= before && now <= System.currentTimeMillis());
    }
}
