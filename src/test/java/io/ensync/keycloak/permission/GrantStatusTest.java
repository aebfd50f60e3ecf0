package io.ensync.keycloak.permission;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.ensync.keycloak.common.ApiErrors.assertBadRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GrantStatusTest {

    @ParameterizedTest
    @CsvSource({"pending, PENDING", "approved, APPROVED", "denied, DENIED", "revoked, REVOKED", "withdrawn, WITHDRAWN"})
    void parsesItsIds(String id, GrantStatus expected) {
        assertEquals(expected, GrantStatus.parse("status", id));
        assertEquals(id, expected.id());
    }

    @ParameterizedTest(name = "[{0}]")
    @NullSource
    @ValueSource(strings = {"", "PENDING", "Approved", " pending", "active", "deleted", "approve"})
    void refusesOthersAsAQueryError(String value) {
        assertBadRequest("invalid_query", "status", () -> GrantStatus.parse("status", value));
    }
}
