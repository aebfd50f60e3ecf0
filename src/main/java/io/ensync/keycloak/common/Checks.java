package io.ensync.keycloak.common;

import java.util.regex.Pattern;

/** Field checks shared by every input: bounded lengths, no control characters. Each failure names its field. */
public final class Checks {

    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");

    public static final int MAX_ICON_URL = 2048;

    private Checks() {
    }

    /** An icon the portal may show: an https URL without user info (a partner's {@code metadata.icon}, an integration's {@code icon}). */
    public static boolean isIconUrl(String value) {
        if (value == null || value.length() > MAX_ICON_URL) {
            return false;
        }
        try {
            java.net.URI uri = new java.net.URI(value);
            return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && uri.getRawUserInfo() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** A colour as {@code #rrggbb} (a partner's {@code metadata.color}; the portal shows no other). */
    public static boolean isColor(String value) {
        return value != null && COLOR.matcher(value).matches();
    }

    /**
     * An optional one-line text field: absent, empty or only white space is "no value" ({@code null}); given, it is
     * checked and stripped. On an update, "no value" given explicitly removes the stored one (see docs/api.md).
     */
    public static String optionalText(String field, String value, int maxLength) {
        return isBlank(value) ? null : text(field, value, maxLength, false);
    }

    /** A string that must have content wherever it is given (metadata values): blank is refused. */
    public static String nonBlankText(String field, String value, int maxLength) {
        return value == null ? null : text(field, value, maxLength, false);
    }

    public static String requiredText(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw ApiException.of(ErrorCode.MISSING_FIELD, "The field '" + field + "' is required.", field);
        }
        return text(field, value, maxLength, false);
    }

    /** Optional free text that may span lines (descriptions, reasons); blank is "no value", as for {@link #optionalText}. */
    public static String optionalMultiline(String field, String value, int maxLength) {
        return isBlank(value) ? null : text(field, value, maxLength, true);
    }

    /** Empty or only white space (Unicode's, as {@link String#strip()} sees it). */
    public static boolean isBlank(String value) {
        return value == null || value.strip().isEmpty();
    }

    private static String text(String field, String value, int maxLength, boolean multiline) {
        if (value.codePointCount(0, value.length()) > maxLength) {
            throw ApiException.of(ErrorCode.TOO_LONG, "The field '" + field + "' is longer than " + maxLength + " characters.", field);
        }
        boolean clean = value.codePoints().allMatch(cp -> multiline && (cp == '\n' || cp == '\r' || cp == '\t')
                || !Character.isISOControl(cp) && !(cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE));
        if (!clean) {
            throw ApiException.invalid(field, "The field '" + field + "' contains control characters or broken Unicode.");
        }
        String trimmed = value.strip();
        if (trimmed.isEmpty()) {
            throw ApiException.invalid(field, "The field '" + field + "' must not be blank.");
        }
        return trimmed;
    }

    public static int range(String field, Integer value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw ApiException.invalid(field, "The field '" + field + "' must be between " + min + " and " + max + ".");
        }
        return value;
    }
}
