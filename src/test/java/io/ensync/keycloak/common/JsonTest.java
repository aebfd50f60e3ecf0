package io.ensync.keycloak.common;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.ensync.keycloak.common.ApiErrors.assertBadRequest;
import static io.ensync.keycloak.common.ApiErrors.assertError;
import static io.ensync.keycloak.common.ApiErrors.orNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The strict reader of request bodies (SPEC §3): every failure a precise 400, 413 or 415. */
class JsonTest {

    public record Inner(String value, List<String> list) {
    }

    public record Body(String name, Integer count, Boolean enabled, List<String> scopes, Inner inner,
                       Map<String, Integer> days, JsonNode metadata) {
    }

    /** Headers as the framework gives them: only the content type and length are read. */
    static HttpHeaders headers(String contentType, long length) {
        MediaType type = contentType == null ? null : MediaType.valueOf(contentType);
        return (HttpHeaders) Proxy.newProxyInstance(JsonTest.class.getClassLoader(), new Class<?>[]{HttpHeaders.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getMediaType" -> type;
                    case "getLength" -> (int) length;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    static HttpHeaders json() {
        return headers("application/json", -1);
    }

    static InputStream body(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    static Body read(String text) {
        return Json.read(json(), body(text), Body.class);
    }

    @Test
    void readsAnObject() {
        Body body = read("{\"name\":\"a\",\"count\":5,\"enabled\":false,\"scopes\":[\"send\"],\"inner\":{\"value\":\"v\"},"
                + "\"days\":{\"prod\":90},\"metadata\":{\"k\":[1,true,null]}}");
        assertEquals("a", body.name());
        assertEquals(5, body.count());
        assertEquals(false, body.enabled());
        assertEquals(List.of("send"), body.scopes());
        assertEquals("v", body.inner().value());
        assertEquals(Map.of("prod", 90), body.days());
        assertEquals("{\"k\":[1,true,null]}", body.metadata().toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{}", " { } ", "{\"name\":null}", "\n{\"count\":null,\"scopes\":null}\n"})
    void nullAndAbsentAreTheSame(String text) {
        Body body = read(text);
        assertNull(body.name());
        assertNull(body.count());
        assertNull(body.scopes());
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
            // unknown fields, named with their path
            "{\"nme\":\"a\"}|unknown_field|nme",
            "{\"name\":\"a\",\"Name\":\"b\"}|unknown_field|Name",
            "{\"inner\":{\"x\":1}}|unknown_field|inner.x",
            "{\"status\":\"active\"}|unknown_field|status",
            "{\"__proto__\":{}}|unknown_field|__proto__",
            // duplicate keys
            "{\"name\":\"a\",\"name\":\"b\"}|duplicate_field|name",
            "{\"name\":\"a\",\"count\":1,\"name\":\"a\"}|duplicate_field|name",
            "{\"metadata\":{\"k\":1,\"k\":2}}|duplicate_field|metadata.k",
            // no coercion: a string is no number, a number no string or boolean
            "{\"count\":\"5\"}|invalid_type|count",
            "{\"count\":true}|invalid_type|count",
            "{\"count\":[5]}|invalid_type|count",
            "{\"count\":{}}|invalid_type|count",
            "{\"name\":5}|invalid_type|name",
            "{\"name\":1.5}|invalid_type|name",
            "{\"name\":true}|invalid_type|name",
            "{\"name\":[\"a\"]}|invalid_type|name",
            "{\"name\":{}}|invalid_type|name",
            "{\"enabled\":1}|invalid_type|enabled",
            "{\"enabled\":0}|invalid_type|enabled",
            "{\"enabled\":\"true\"}|invalid_type|enabled",
            "{\"scopes\":\"send\"}|invalid_type|scopes",
            "{\"scopes\":[1]}|invalid_type|scopes[0]",
            "{\"scopes\":[\"send\",false]}|invalid_type|scopes[1]",
            "{\"scopes\":[[\"send\"]]}|invalid_type|scopes[0]",
            "{\"inner\":\"v\"}|invalid_type|inner",
            "{\"inner\":{\"list\":[\"a\",2]}}|invalid_type|inner.list[1]",
            "{\"days\":{\"prod\":\"90\"}}|invalid_type|days.prod",
            "{\"days\":[]}|invalid_type|days",
            // a number out of the field's range
            "{\"count\":99999999999}|invalid_value|count",
            "{\"days\":{\"prod\":2147483648}}|invalid_value|days",   // Jackson names the map, not its key
            // malformed JSON met inside a field: still a 400, naming the field where it broke
            "{\"scopes\":[\"a\",]}|invalid_value|scopes[1]",
            "{\"name\":\"a\u0001b\"}|invalid_value|name",
            "{\"name\":\"\\x41\"}|invalid_value|name",
            "{\"metadata\":{\"k\":1,}}|invalid_value|metadata",
    })
    void refusesWithTheFieldAtFault(String text, String code, String field) {
        assertBadRequest(code, field, () -> read(text));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            "null",                                    // not an object
            "[]",
            "[{}]",
            "\"text\"",
            "5",
            "true",
            "{\"name\":\"a\"} x",                     // something after the value
            "{\"name\":\"a\"}{\"name\":\"b\"}",
            "{\"name\":\"a\"},",
            "{\"name\":",                              // malformed
            "{\"name\":\"a\"",
            "{name:\"a\"}",
            "{'name':'a'}",
            "{\"name\":\"a\",}",
            "// comment\n{}",
            "{\"count\":NaN}",
            "{\"count\":01}",
            "{\"count\":+1}",
            "{\"count\":0x10}",
            " ",
            "\n\t",
    })
    void refusesWhatIsNotAJsonObject(String text) {
        assertBadRequest("invalid_json", null, () -> read(text));
    }

    @Test
    void refusesMalformedUtf8() {
        byte[] bytes = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'};
        assertBadRequest("invalid_value", "name", () -> Json.read(json(), new ByteArrayInputStream(bytes), Body.class));
    }

    /** Jackson's nesting limit answers before any stack overflows (PartnerMetadata then bounds depth to 3). */
    @ParameterizedTest(name = "depth {0}")
    @ValueSource(ints = {2_000, 20_000})
    void refusesTooDeepBodiesWith400(int depth) {
        String deep = "{\"metadata\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        assertBadRequest("invalid_value", "metadata", () -> read(deep));
        String deepTop = "[".repeat(depth) + "]".repeat(depth);
        assertBadRequest("invalid_json", null, () -> read(deepTop));
    }

    @Test
    void aByteOrderMarkIsSkipped() {
        assertEquals("a", read("\ufeff{\"name\":\"a\"}").name());
    }

    @Test
    void readsUpTo64KiB() {
        String name = "a".repeat(Json.MAX_BODY_BYTES - "{\"name\":\"\"}".length());
        String text = "{\"name\":\"" + name + "\"}";
        assertEquals(Json.MAX_BODY_BYTES, text.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(name, read(text).name());
    }

    @Test
    void refusesOneByteMoreWith413() {
        String text = "{\"name\":\"" + "a".repeat(Json.MAX_BODY_BYTES - "{\"name\":\"\"}".length() + 1) + "\"}";
        assertError(413, "body_too_large", null, () -> read(text));
    }

    @Test
    void refusesALargerDeclaredLengthBeforeReading() {
        assertError(413, "body_too_large", null,
                () -> Json.read(headers("application/json", Json.MAX_BODY_BYTES + 1L), body("{}"), Body.class));
    }

    @Test
    void refusesAnEmptyBody() {
        assertBadRequest("invalid_json", null, () -> read(""));
        assertBadRequest("invalid_json", null, () -> Json.read(json(), null, Body.class));
    }

    @ParameterizedTest(name = "Content-Type: {0}")
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
            "APPLICATION/JSON", "application/json; boundary=x"})
    void acceptsJsonInUtf8(String contentType) {
        assertEquals("a", Json.read(headers(contentType, -1), body("{\"name\":\"a\"}"), Body.class).name());
    }

    @ParameterizedTest(name = "Content-Type: {0}")
    @NullSource
    @ValueSource(strings = {"text/plain", "text/json", "application/xml", "application/x-www-form-urlencoded",
            "application/merge-patch+json", "application/*", "*/*", "application/json; charset=iso-8859-1",
            "application/json; charset=utf-16", "multipart/form-data"})
    void refusesOtherContentTypesWith415(String contentType) {
        assertError(415, "unsupported_media_type", null,
                () -> Json.read(headers(contentType, -1), body("{\"name\":\"a\"}"), Body.class));
    }

    @Test
    void contentTypeIsCheckedBeforeTheSize() {
        assertError(415, "unsupported_media_type", null,
                () -> Json.read(headers("text/plain", Json.MAX_BODY_BYTES + 1L), body("{}"), Body.class));
    }

    @ParameterizedTest(name = "optional body [{1}] as {0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "null|''|",                                   // no body at all: no content type needed
            "text/plain|''|",
            "application/json|''|",
            "application/json|{}|ok",
            "text/plain|{}|unsupported_media_type",
            "null|{}|unsupported_media_type",
            "application/json|{\"nme\":1}|unknown_field",
            "application/json|[]|invalid_json",
    })
    void readOptional(String contentType, String text, String outcome) {
        HttpHeaders headers = headers(contentType, -1);
        switch (orNull(outcome) == null ? "absent" : outcome) {
            case "absent" -> assertNull(Json.readOptional(headers, body(text), Body.class));
            case "ok" -> assertEquals(null, Json.readOptional(headers, body(text), Body.class).name());
            case "unsupported_media_type" -> assertError(415, outcome, null, () -> Json.readOptional(headers, body(text), Body.class));
            default -> assertError(400, outcome, outcome.equals("unknown_field") ? "nme" : null,
                    () -> Json.readOptional(headers, body(text), Body.class));
        }
    }

    @Test
    void writeLeavesNullsOut() {
        assertEquals("{\"name\":\"a\",\"scopes\":[]}", Json.write(new Body("a", null, null, List.of(), null, null, null)));
    }

    @Test
    void readStoredFailsLoudlyOnBadStoredJson() {
        assertEquals("a", Json.readStored("{\"name\":\"a\"}", Body.class).name());
        assertThrows(IllegalStateException.class, () -> Json.readStored("{\"name\":", Body.class));
    }

    // Found by the fuzzer (FuzzIT): refused by the reader, for every body at once.

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"count\":1.5}", "{\"count\":1.0}", "{\"count\":1e3}", "{\"days\":{\"prod\":90.9}}"})
    void refusesAFractionForAWholeNumber(String text) {
        assertBadRequest("invalid_type", text.contains("days") ? "days.prod" : "count", () -> read(text));
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"scopes\":[null]}|scopes[0]",
            "{\"scopes\":[\"send\",null]}|scopes[1]",
            "{\"inner\":{\"list\":[null]}}|inner.list[0]",
    })
    void refusesANullElementInAList(String text, String field) {
        assertBadRequest("invalid_value", field, () -> read(text));
    }
}
