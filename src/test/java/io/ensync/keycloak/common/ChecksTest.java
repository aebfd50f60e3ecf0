package io.ensync.keycloak.common;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.ensync.keycloak.common.ApiErrors.assertBadRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ChecksTest {

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', value = {
            "abc|abc",
            "'  abc  '|abc",           // stripped
            "Crème|Crème",
            "日本語|日本語",
            "a b|a b",
            "1234567890|1234567890",   // exactly 10
            "😀😀😀😀😀😀😀😀😀😀|😀😀😀😀😀😀😀😀😀😀",  // 10 code points, 20 chars
    })
    void requiredTextAcceptsAndStrips(String value, String expected) {
        assertEquals(expected, Checks.requiredText("name", value, 10));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "   ", "\t", "\n "})
    void requiredTextNeedsAValue(String value) {
        assertBadRequest("missing_field", "name", () -> Checks.requiredText("name", value, 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345678901", "😀😀😀😀😀😀😀😀😀😀😀", "           x"})
    void requiredTextIsBoundedInCodePoints(String value) {
        assertBadRequest("too_long", "name", () -> Checks.requiredText("name", value, 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a\nb", "a\rb", "a\tb", "\u0007", "a\u007f", "a\u0085", "a\u009fb", "a\ud800b", "\udc00", "x\ud83d"})
    void refusesControlCharactersAndBrokenUnicode(String value) {
        assertBadRequest("invalid_value", "name", () -> Checks.requiredText("name", value, 10));
        assertBadRequest("invalid_value", "name", () -> Checks.optionalText("name", value, 10));
    }

    @org.junit.jupiter.api.Test
    void optionalTextIsNullWhenAbsent() {
        assertNull(Checks.optionalText("description", null, 10));
        assertEquals("x", Checks.optionalText("description", " x ", 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\u2003"})
    void optionalTextGivenBlankIsNoValue(String value) {
        assertNull(Checks.optionalText("description", value, 10));
        assertNull(Checks.optionalMultiline("description", value + "\n", 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\u2003"})
    void requiredAndNonBlankTextRefuseBlank(String value) {
        assertBadRequest("missing_field", "name", () -> Checks.requiredText("name", value, 10));
        assertBadRequest("invalid_value", "metadata.owner", () -> Checks.nonBlankText("metadata.owner", value, 10));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"line 1\nline 2", "a\r\nb", "col\tcol", "\n text \n"})
    void multilineAllowsLineBreaksAndTabs(String value) {
        assertEquals(value.strip(), Checks.optionalMultiline("description", value, 20));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a\u000bb", "a\u001bb"})
    void multilineRefusesOtherControls(String value) {
        assertBadRequest("invalid_value", "description", () -> Checks.optionalMultiline("description", value, 20));
    }

    @org.junit.jupiter.api.Test
    void multilineIsBoundedAndOptional() {
        assertNull(Checks.optionalMultiline("description", null, 20));
        assertBadRequest("too_long", "description", () -> Checks.optionalMultiline("description", "a\n".repeat(11), 20));
    }

    @ParameterizedTest(name = "{0} in [1, 100], fallback 7 -> {1}")
    @CsvSource(nullValues = "null", value = {
            "null, 7",
            "1,    1",
            "50,   50",
            "100,  100",
    })
    void rangeAccepts(Integer value, int expected) {
        assertEquals(expected, Checks.range("ttl", value, 7, 1, 100));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 101, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void rangeRefuses(int value) {
        assertBadRequest("invalid_value", "ttl", () -> Checks.range("ttl", value, 7, 1, 100));
    }

    @ParameterizedTest(name = "[{0}] is a colour: {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "#0055ff|true",
            "#0055FF|true",
            "#AbCdEf|true",
            "#000000|true",
            "null|false",
            "''|false",
            "0055ff|false",
            "#05f|false",
            "#0055f|false",
            "#0055ff0|false",
            "#0055fg|false",
            "' #0055ff'|false",
            "'#0055ff '|false",
            "##0055f|false",
            "red|false",
            "#ｆｆｆｆｆｆ|false",
            "rgb(0,0,0)|false",
    })
    void isColor(String value, boolean expected) {
        assertEquals(expected, Checks.isColor(value));
    }

    @org.junit.jupiter.api.Test
    void colourWithTrailingNewlineIsNotAColour() {
        assertEquals(false, Checks.isColor("#0055ff\n"));
    }
}
