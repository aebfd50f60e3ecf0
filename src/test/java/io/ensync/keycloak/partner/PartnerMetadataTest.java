package io.ensync.keycloak.partner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.ensync.keycloak.common.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.ensync.keycloak.common.ApiErrors.assertBadRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A partner's {@code metadata} (SPEC §4): presentation keys checked, free keys bounded in count, depth and size. */
class PartnerMetadataTest {

    static JsonNode node(String json) {
        return Json.readStored(json, JsonNode.class);
    }

    static String validate(String json) {
        return PartnerMetadata.validate(node(json));
    }

    /** {@code {"k0":v,"k1":v,…}} with {@code n} keys. */
    static String keys(int n, String value) {
        return IntStream.range(0, n).mapToObj(i -> "\"k" + i + "\":" + value).collect(Collectors.joining(",", "{", "}"));
    }

    /** {@code ["t0","t1",…]} with {@code n} tags. */
    static String tags(int n) {
        return IntStream.range(0, n).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    @Test
    void absentIsNull() {
        assertNull(PartnerMetadata.validate(null));
        assertNull(PartnerMetadata.validate(NullNode.getInstance()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{}",
            "{\"color\":\"#0055ff\"}",
            "{\"color\":\"#AABBCC\",\"icon\":\"https://cdn.example.com/logo.png\",\"tags\":[\"eu\",\"gold\"]}",
            "{\"icon\":\"https://cdn.example.com:8443/a/b.svg?v=2#x\"}",
            "{\"icon\":\"HTTPS://CDN.EXAMPLE.COM/logo.png\"}",
            "{\"tags\":[]}",
            "{\"owner\":\"team-payments\",\"sla\":99.9,\"paid\":true,\"note\":null,\"tier\":3}",
            "{\"routing\":{\"region\":\"eu\",\"zones\":[1,2]}}",          // depth 2, an array at depth 2
            "{\"a\":{\"b\":{\"c\":1}}}",                                    // depth 3
            "{\"a\":{\"b\":[1,\"x\",null]}}",                                // an array at depth 3
            "{\"a\":[[1]]}",
            "{\"a\":[{\"b\":1}]}",
            "{\"A.b-c_d\":1,\"x9\":2}",
            "{\"name\":\"Crème brûlée 日本\"}",
    })
    void acceptsAndAnswersTheStoredJson(String json) {
        assertEquals(json, validate(json));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
            // not an object
            "[]|invalid_type|metadata",
            "\"#0055ff\"|invalid_type|metadata",
            "5|invalid_type|metadata",
            "true|invalid_type|metadata",
            // color: #rrggbb only
            "{\"color\":\"#05f\"}|invalid_value|metadata.color",
            "{\"color\":\"0055ff\"}|invalid_value|metadata.color",
            "{\"color\":\"#0055fg\"}|invalid_value|metadata.color",
            "{\"color\":\"red\"}|invalid_value|metadata.color",
            "{\"color\":\"#0055ff \"}|invalid_value|metadata.color",
            "{\"color\":5}|invalid_value|metadata.color",
            "{\"color\":null}|invalid_value|metadata.color",
            "{\"color\":[\"#0055ff\"]}|invalid_value|metadata.color",
            // icon: an https URL with a host and no user info
            "{\"icon\":\"http://cdn.example.com/logo.png\"}|invalid_value|metadata.icon",
            "{\"icon\":\"javascript:alert(1)\"}|invalid_value|metadata.icon",
            "{\"icon\":\"data:image/png;base64,AAAA\"}|invalid_value|metadata.icon",
            "{\"icon\":\"//cdn.example.com/logo.png\"}|invalid_value|metadata.icon",
            "{\"icon\":\"https:///logo.png\"}|invalid_value|metadata.icon",
            "{\"icon\":\"https://user:pw@cdn.example.com/logo.png\"}|invalid_value|metadata.icon",
            "{\"icon\":\"https://cdn example.com/logo.png\"}|invalid_value|metadata.icon",
            "{\"icon\":\"logo.png\"}|invalid_value|metadata.icon",
            "{\"icon\":\"\"}|invalid_value|metadata.icon",
            "{\"icon\":1}|invalid_value|metadata.icon",
            // tags: an array of distinct non-blank strings of at most 50
            "{\"tags\":\"eu\"}|invalid_type|metadata.tags",
            "{\"tags\":{\"eu\":true}}|invalid_type|metadata.tags",
            "{\"tags\":[1]}|invalid_type|metadata.tags[0]",
            "{\"tags\":[\"eu\",null]}|invalid_type|metadata.tags[1]",
            "{\"tags\":[\"eu\",[\"x\"]]}|invalid_type|metadata.tags[1]",
            "{\"tags\":[\"eu\",\"eu\"]}|invalid_value|metadata.tags[1]",
            "{\"tags\":[\"eu\",\" eu \"]}|invalid_value|metadata.tags[1]",     // the same once stripped
            "{\"tags\":[\"\"]}|invalid_value|metadata.tags[0]",
            "{\"tags\":[\"   \"]}|invalid_value|metadata.tags[0]",
            "{\"tags\":[\"a\\u0000b\"]}|invalid_value|metadata.tags[0]",
            // free keys: letters, digits, '_', '.', '-', starting with a letter, at most 64
            "{\"1abc\":1}|invalid_value|metadata",
            "{\"_x\":1}|invalid_value|metadata",
            "{\"a b\":1}|invalid_value|metadata",
            "{\"\":1}|invalid_value|metadata",
            "{\"é\":1}|invalid_value|metadata",
            "{\"a/b\":1}|invalid_value|metadata",
            "{\"routing\":{\"9\":1}}|invalid_value|metadata.routing",
            // values: strings bounded and clean, no deeper than 3
            "{\"owner\":\"a\\u0007b\"}|invalid_value|metadata.owner",
            "{\"owner\":\"\"}|invalid_value|metadata.owner",
            "{\"routing\":{\"owner\":\"\\n\"}}|invalid_value|metadata.routing.owner",
            "{\"a\":{\"b\":{\"c\":{\"d\":1}}}}|invalid_value|metadata.a.b.c",
            "{\"a\":{\"b\":{\"c\":{}}}}|invalid_value|metadata.a.b.c",
            "{\"a\":{\"b\":{\"c\":[1]}}}|invalid_value|metadata.a.b.c",
            "{\"a\":[[[1]]]}|invalid_value|metadata.a[0][0]",
            "{\"a\":[{\"b\":[1]}]}|invalid_value|metadata.a[0].b",
            "{\"a\":[[{\"b\":1}]]}|invalid_value|metadata.a[0][0]",
    })
    void refuses(String json, String code, String field) {
        assertBadRequest(code, field, () -> validate(json));
    }

    /**
     * Every string value is bounded to 500 before the icon's own rule is applied, so an icon is at most 500
     * characters (the icon rule's 2048 never bites).
     */
    @ParameterizedTest(name = "icon of {0} characters -> {1}")
    @CsvSource({"500, ok", "501, too_long", "2048, too_long"})
    void iconsOfAtMost500(int length, String outcome) {
        String prefix = "https://cdn.example.com/";
        String json = "{\"icon\":\"" + prefix + "a".repeat(length - prefix.length()) + "\"}";
        if (outcome.equals("ok")) {
            assertEquals(json, validate(json));
        } else {
            assertBadRequest(outcome, "metadata.icon", () -> validate(json));
        }
    }

    @ParameterizedTest(name = "{0} tags -> {1}")
    @CsvSource({"20, ok", "21, metadata.tags", "32, metadata.tags", "33, metadata.tags"})
    void atMost20Tags(int n, String outcome) {
        String json = "{\"tags\":" + tags(n) + "}";
        if (outcome.equals("ok")) {
            assertEquals(json, validate(json));
        } else {
            assertBadRequest("invalid_value", outcome, () -> validate(json));
        }
    }

    @ParameterizedTest(name = "tag of {0} characters -> {1}")
    @CsvSource({"50, ok", "51, too_long"})
    void tagsOfAtMost50(int length, String outcome) {
        String json = "{\"tags\":[\"" + "t".repeat(length) + "\"]}";
        if (outcome.equals("ok")) {
            assertEquals(json, validate(json));
        } else {
            assertBadRequest(outcome, "metadata.tags[0]", () -> validate(json));
        }
    }

    @ParameterizedTest(name = "key of {0} characters -> {1}")
    @CsvSource({"64, ok", "65, invalid_value", "200, invalid_value"})
    void keysOfAtMost64(int length, String outcome) {
        String json = "{\"" + "k".repeat(length) + "\":1}";
        if (outcome.equals("ok")) {
            assertEquals(json, validate(json));
        } else {
            assertBadRequest(outcome, "metadata", () -> validate(json));
        }
    }

    @ParameterizedTest(name = "{0} keys -> {1}")
    @CsvSource({"32, ok", "33, metadata"})
    void atMost32KeysAtTheTop(int n, String outcome) {
        String json = keys(n, "1");
        if (outcome.equals("ok")) {
            assertEquals(json, validate(json));
        } else {
            assertBadRequest("invalid_value", outcome, () -> validate(json));
        }
    }

    @ParameterizedTest(name = "{0} keys/elements inside -> {1}")
    @CsvSource(delimiter = '|', value = {"32|ok", "33|metadata.x"})
    void atMost32KeysOrElementsInside(int n, String outcome) {
        String object = "{\"x\":" + keys(n, "1") + "}";
        String array = "{\"x\":[" + IntStream.range(0, n).mapToObj(i -> "1").collect(Collectors.joining(",")) + "]}";
        for (String json : new String[]{object, array}) {
            if (outcome.equals("ok")) {
                assertEquals(json, validate(json));
            } else {
                assertBadRequest("invalid_value", outcome, () -> validate(json));
            }
        }
    }

    @ParameterizedTest(name = "string of {0} characters -> {1}")
    @CsvSource({"500, ok", "501, too_long"})
    void stringsOfAtMost500(int length, String outcome) {
        String json = "{\"note\":\"" + "n".repeat(length) + "\"}";
        if (outcome.equals("ok")) {
            assertEquals(json, validate(json));
        } else {
            assertBadRequest(outcome, "metadata.note", () -> validate(json));
        }
    }

    /**
     * At most 8192 characters as stored. 16 entries {@code "aNN":"<500>"} are 16 × 508 characters, 15 commas and
     * 2 braces: 8145; a 17th entry {@code ,"a16":"<m>"} adds 9 + m, so m = 38 is exactly 8192.
     */
    @ParameterizedTest(name = "last value of {0} -> {1}")
    @CsvSource({"38, ok", "39, too_large"})
    void atMost8192CharactersStored(int last, String outcome) {
        String json = IntStream.range(0, 17)
                .mapToObj(i -> String.format("\"a%02d\":\"%s\"", i, "v".repeat(i < 16 ? 500 : last)))
                .collect(Collectors.joining(",", "{", "}"));
        assertEquals(8192 + (last - 38), json.length());
        if (outcome.equals("ok")) {
            assertEquals(json, validate(json));
        } else {
            assertBadRequest("invalid_value", "metadata", () -> validate(json));
        }
    }
}
