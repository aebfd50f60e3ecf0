package io.ensync.keycloak.integration;

import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.ErrorCode;

import java.util.regex.Pattern;

/**
 * EnSync topic names and patterns: {@code domain/resource/action} segments ({@code app/order/created}); a pattern may
 * end in {@code /*} (every topic below that prefix) or be {@code *} (every topic).
 */
public final class TopicPattern {

    public static final String EVERYTHING = "*";
    public static final int MAX_LENGTH = 255;

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private TopicPattern() {
    }

    /** Validates a pattern (or an exact topic) and answers it unchanged. */
    public static String validate(String field, String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw ApiException.of(ErrorCode.MISSING_FIELD, "The field '" + field + "' is required.", field);
        }
        if (pattern.length() > MAX_LENGTH) {
            throw ApiException.of(ErrorCode.TOO_LONG, "A topic pattern is at most " + MAX_LENGTH + " characters.", field);
        }
        if (EVERYTHING.equals(pattern)) {
            return pattern;
        }
        String body = pattern.endsWith("/*") ? pattern.substring(0, pattern.length() - 2) : pattern;
        for (String segment : body.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw ApiException.invalid(field, "'" + pattern + "' is not a topic pattern: use segments like "
                        + "app/order/created, optionally ending in /*, or * alone.");
            }
        }
        return pattern;
    }

    /** Whether {@code pattern} covers {@code topic} (a topic or a narrower pattern). */
    public static boolean covers(String pattern, String topic) {
        if (EVERYTHING.equals(pattern) || pattern.equals(topic)) {
            return true;
        }
        if (pattern.endsWith("/*")) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            return topic.startsWith(prefix) && topic.length() > prefix.length();
        }
        return false;
    }
}
