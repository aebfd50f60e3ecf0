package io.ensync.keycloak.common;

/** {@code first}/{@code max} query parameters of list endpoints, validated and bounded. */
public record Paging(int first, int max) {

    public static final int DEFAULT_MAX = 100;
    public static final int MAX_MAX = 500;

    public static Paging of(String first, String max) {
        int f = parse("first", first, 0);
        int m = parse("max", max, DEFAULT_MAX);
        if (f < 0) {
            throw ApiException.of(ErrorCode.INVALID_QUERY, "first must be 0 or more.", "first");
        }
        if (m < 1 || m > MAX_MAX) {
            throw ApiException.of(ErrorCode.INVALID_QUERY, "max must be between 1 and " + MAX_MAX + ".", "max");
        }
        return new Paging(f, m);
    }

    /** {@code first + max}, saturated: {@code first=2147483647} must not wrap around into a negative end. */
    public int end() {
        return (int) Math.min((long) first + max, Integer.MAX_VALUE);
    }

    private static int parse(String name, String value, int fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiException.of(ErrorCode.INVALID_QUERY, name + " must be a whole number.", name);
        }
    }
}
