package io.ensync.keycloak.common;

import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Assertions on the API's error answers ({@link ApiException}): status, {@code error.code}, {@code error.field}. */
public final class ApiErrors {

    private ApiErrors() {
    }

    /** {@code call} fails with {@code status} and {@code code}, naming {@code field} (null: none). */
    public static ApiException assertError(int status, String code, String field, Executable call) {
        ApiException e = assertThrows(ApiException.class, call);
        assertAll(
                () -> assertEquals(status, e.getResponse().getStatus(), "status; " + e.getMessage()),
                () -> assertEquals(code, e.code(), "error.code; " + e.getMessage()),
                () -> assertEquals(field, e.field(), "error.field; " + e.getMessage()));
        return e;
    }

    public static ApiException assertBadRequest(String code, String field, Executable call) {
        return assertError(400, code, field, call);
    }

    /** Blank cells of a {@code @CsvSource} are null: "no field named". */
    public static String orNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
