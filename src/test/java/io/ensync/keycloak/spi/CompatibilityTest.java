package io.ensync.keycloak.spi;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CompatibilityTest {

    @ParameterizedTest
    @CsvSource({
            "26.4.0, true", "26.4.7, true", "26.5.6, true", "26.7.3, true", "26.7.99, true",
            "26.3.5, false", "26.8.0, false", "25.0.6, false", "27.0.0, false", "26.6.0-SNAPSHOT, true",
            "999.0.0-SNAPSHOT, false", "nightly, false", "26, false"})
    void supportedRange(String version, boolean supported) {
        assertEquals(supported, Compatibility.supported(version));
    }

    @ParameterizedTest
    @CsvSource({
            "26.7.3, 26.7.0, true", "26.7.3, 26.7.3, true", "26.7.3, 26.5.6, false", "26.7.3, 26.4.7, false",
            "26.7.3, 27.7.3, false", "26.7.3, unknown, false"})
    void adminConsoleFitsTheSameMinorOnly(String console, String server, boolean fits) {
        assertEquals(fits, Compatibility.sameMinor(server, console));
    }
}
