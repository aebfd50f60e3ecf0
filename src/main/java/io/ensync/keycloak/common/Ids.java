package io.ensync.keycloak.common;

import java.util.regex.Pattern;

/**
 * The extension's object ids are Keycloak-generated UUIDs. Anything else in a path or query is unknown without a
 * database round trip — and never reaches the database, which may refuse it (PostgreSQL fails on a NUL byte).
 */
public final class Ids {

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Ids() {
    }

    public static boolean isId(String value) {
        return value != null && UUID.matcher(value).matches();
    }

    /** A filter given as a query parameter: absent, or an id (400 otherwise). */
    public static String optionalFilter(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!isId(value)) {
            throw ApiException.of(ErrorCode.INVALID_QUERY, name + " must be an id.", name);
        }
        return value;
    }
}
