package io.ensync.keycloak.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The one place where request bodies become objects: content type, size limit, strict JSON (no unknown fields, no
 * duplicate keys, no type coercion, nothing after the value), and every failure as a precise 400/413/415.
 */
public final class Json {

    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final java.util.regex.Pattern DUPLICATE = java.util.regex.Pattern.compile("Duplicate field '([^']*)'");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT) // 1.5 is not a number of days, and neither is 1.0
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // No "123" for a number, no 123 or true for a string: a wrong type is the client's error to hear about.
            .withCoercionConfigDefaults(config -> config.setAcceptBlankAsEmpty(false))
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            // No null inside a list or map of any body (["send",null], {"prod":null}): refused here with the element's
            // path (scopes[1]), so that no service meets a null element. Trees (metadata) are not affected.
            .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Json() {
    }

    /** Reads the body as {@code type}; a JSON object is required. */
    public static <T> T read(HttpHeaders headers, InputStream body, Class<T> type) {
        requireJsonContentType(headers);
        byte[] bytes = readLimited(headers, body);
        if (bytes.length == 0) {
            throw ApiException.of(ErrorCode.INVALID_JSON, "The request body must be a JSON object.", null);
        }
        return parse(bytes, type);
    }

    /** Like {@link #read} for endpoints whose body is optional: no body at all gives {@code null}. */
    public static <T> T readOptional(HttpHeaders headers, InputStream body, Class<T> type) {
        byte[] bytes = readLimited(headers, body);
        if (bytes.length == 0) {
            return null;
        }
        requireJsonContentType(headers);
        return parse(bytes, type);
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize " + value.getClass().getName(), e);
        }
    }

    public static <T> T readStored(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalStateException("Stored JSON cannot be read as " + type.getName(), e);
        }
    }

    private static void requireJsonContentType(HttpHeaders headers) {
        MediaType type = headers.getMediaType();
        if (type == null || !MediaType.APPLICATION_JSON_TYPE.isCompatible(type) || type.isWildcardType() || type.isWildcardSubtype()) {
            throw ApiException.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The request body must be sent as Content-Type: application/json.", null);
        }
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !charset.equalsIgnoreCase("utf-8")) {
            throw ApiException.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "JSON must be encoded in UTF-8.", null);
        }
    }

    private static byte[] readLimited(HttpHeaders headers, InputStream body) {
        if (headers.getLength() > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        if (body == null) {
            return new byte[0];
        }
        try {
            byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw ApiException.of(ErrorCode.INVALID_JSON, "The request body could not be read.", null);
        }
    }

    private static ApiException tooLarge() {
        return ApiException.of(ErrorCode.BODY_TOO_LARGE, "The request body is larger than " + MAX_BODY_BYTES / 1024 + " KiB.", null);
    }

    private static <T> T parse(byte[] bytes, Class<T> type) {
        try {
            T value = MAPPER.readValue(bytes, type);
            if (value == null) {
                throw ApiException.of(ErrorCode.INVALID_JSON, "The request body must be a JSON object.", null);
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw ApiException.of(ErrorCode.UNKNOWN_FIELD, "The field '" + field + "' is not allowed here.", field);
        } catch (JsonMappingException e) {
            String duplicate = duplicateName(e);
            String field = path(e);
            if (duplicate != null) {
                String name = field == null ? duplicate : field + "." + duplicate;
                throw ApiException.of(ErrorCode.DUPLICATE_FIELD, "The field '" + name + "' appears more than once.", name);
            }
            if (e instanceof MismatchedInputException && field == null) {
                throw ApiException.of(ErrorCode.INVALID_JSON, "The request body must be a JSON object.", null);
            }
            if (e instanceof InvalidNullException) {
                throw ApiException.of(ErrorCode.INVALID_VALUE, "The field '" + field + "' must not be null.", field);
            }
            if (e instanceof MismatchedInputException) {
                throw ApiException.of(ErrorCode.INVALID_TYPE, "The field '" + field + "' has the wrong type.", field);
            }
            throw ApiException.of(ErrorCode.INVALID_VALUE, "The field '" + field + "' has an invalid value.", field);
        } catch (StreamReadException e) {
            String duplicate = duplicateName(e);
            if (duplicate != null) {
                throw ApiException.of(ErrorCode.DUPLICATE_FIELD, "The field '" + duplicate + "' appears more than once.", duplicate);
            }
            throw ApiException.of(ErrorCode.INVALID_JSON, "The request body is not well-formed JSON.", null);
        } catch (IOException e) {
            throw ApiException.of(ErrorCode.INVALID_JSON, "The request body is not well-formed JSON.", null);
        }
    }

    /** The name in Jackson's "Duplicate field 'x'" (parser or tree reader), anywhere in the cause chain. */
    private static String duplicateName(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            java.util.regex.Matcher m = t.getMessage() == null ? null : DUPLICATE.matcher(t.getMessage());
            if (m != null && m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    /** {@code metadata.tags[2]}-style path of the failing element, or null at the top level. */
    private static String path(JsonMappingException e) {
        List<JsonMappingException.Reference> refs = e.getPath();
        if (refs.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
