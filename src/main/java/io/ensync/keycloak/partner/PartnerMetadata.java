package io.ensync.keycloak.partner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.Checks;
import io.ensync.keycloak.common.ErrorCode;
import io.ensync.keycloak.common.Json;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a partner's {@code metadata}: presentation ({@code color}, {@code icon}, {@code tags}) and free keys for
 * routing ({@code owner}, {@code sla}, …), bounded in keys, depth and size.
 */
final class PartnerMetadata {

    static final int MAX_KEYS = 32;
    static final int MAX_DEPTH = 3;
    static final int MAX_STRING = 500;
    static final int MAX_TAGS = 20;
    static final int MAX_TAG = 50;
    static final int MAX_SERIALIZED = 8192;

    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    private PartnerMetadata() {
    }

    /** Answers the metadata as stored JSON, or null when none was given. */
    static String validate(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return null;
        }
        if (!metadata.isObject()) {
            throw ApiException.of(ErrorCode.INVALID_TYPE, "The field 'metadata' must be a JSON object.", "metadata");
        }
        checkObject("metadata", (ObjectNode) metadata, 1);
        JsonNode color = metadata.get("color");
        if (color != null && !(color.isTextual() && Checks.isColor(color.asText()))) {
            throw ApiException.invalid("metadata.color", "metadata.color must be a colour like #0055ff.");
        }
        JsonNode icon = metadata.get("icon");
        if (icon != null && !(icon.isTextual() && Checks.isIconUrl(icon.asText()))) {
            throw ApiException.invalid("metadata.icon", "metadata.icon must be an https URL of at most " + Checks.MAX_ICON_URL + " characters.");
        }
        JsonNode tags = metadata.get("tags");
        if (tags != null) {
            checkTags(tags);
        }
        String json = Json.write(metadata);
        if (json.length() > MAX_SERIALIZED) {
            throw ApiException.invalid("metadata", "metadata is larger than " + MAX_SERIALIZED + " characters.");
        }
        return json;
    }

    private static void checkObject(String path, ObjectNode node, int depth) {
        if (depth > MAX_DEPTH) {
            throw ApiException.invalid(path, "metadata nests deeper than " + MAX_DEPTH + " levels.");
        }
        if (node.size() > MAX_KEYS) {
            throw ApiException.invalid(path, path + " has more than " + MAX_KEYS + " keys.");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!KEY.matcher(field.getKey()).matches()) {
                throw ApiException.invalid(path, "The key '" + truncate(field.getKey()) + "' in " + path
                        + " is not allowed: use letters, digits, '_', '.', '-', starting with a letter, at most 64.");
            }
            checkValue(path + "." + field.getKey(), field.getValue(), depth);
        }
    }

    private static void checkValue(String path, JsonNode value, int depth) {
        if (value.isObject()) {
            checkObject(path, (ObjectNode) value, depth + 1);
        } else if (value.isArray()) {
            if (depth + 1 > MAX_DEPTH) {
                throw ApiException.invalid(path, "metadata nests deeper than " + MAX_DEPTH + " levels.");
            }
            if (value.size() > MAX_KEYS) {
                throw ApiException.invalid(path, path + " has more than " + MAX_KEYS + " elements.");
            }
            for (int i = 0; i < value.size(); i++) {
                checkValue(path + "[" + i + "]", value.get(i), depth + 1);
            }
        } else if (value.isTextual()) {
            Checks.nonBlankText(path, value.asText(), MAX_STRING);
        } else if (!(value.isNumber() || value.isBoolean() || value.isNull())) {
            throw ApiException.of(ErrorCode.INVALID_TYPE, "The field '" + path + "' has an unsupported type.", path);
        }
    }

    private static void checkTags(JsonNode tags) {
        if (!tags.isArray()) {
            throw ApiException.of(ErrorCode.INVALID_TYPE, "metadata.tags must be an array of strings.", "metadata.tags");
        }
        if (tags.size() > MAX_TAGS) {
            throw ApiException.invalid("metadata.tags", "metadata.tags holds at most " + MAX_TAGS + " tags.");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < tags.size(); i++) {
            String field = "metadata.tags[" + i + "]";
            JsonNode tag = tags.get(i);
            if (!tag.isTextual()) {
                throw ApiException.of(ErrorCode.INVALID_TYPE, field + " must be a string.", field);
            }
            String value = Checks.requiredText(field, tag.asText(), MAX_TAG);
            if (!seen.add(value)) {
                throw ApiException.invalid(field, "The tag '" + value + "' is listed twice.");
            }
        }
    }

    private static String truncate(String key) {
        return key.length() > 64 ? key.substring(0, 64) + "…" : key;
    }
}
