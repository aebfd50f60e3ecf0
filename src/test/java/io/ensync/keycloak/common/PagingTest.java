package io.ensync.keycloak.common;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.ensync.keycloak.common.ApiErrors.assertBadRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PagingTest {

    @ParameterizedTest(name = "first={0} max={1} -> ({2}, {3})")
    @CsvSource(nullValues = "null", value = {
            "null,       null, 0,          100",   // defaults
            "'',         '',   0,          100",   // ?first=&max= as absent
            "0,          1,    0,          1",
            "10,         500,  10,         500",   // the cap itself
            "2147483647, 100,  2147483647, 100",
            "+5,         +7,   5,          7",     // Integer.parseInt's sign
            "-0,         null, 0,          100",
            "007,        050,  7,          50",
    })
    void accepts(String first, String max, int expectedFirst, int expectedMax) {
        assertEquals(new Paging(expectedFirst, expectedMax), Paging.of(first, max));
    }

    @ParameterizedTest(name = "first={0} max={1} -> 400 naming {2}")
    @CsvSource(nullValues = "null", value = {
            "-1,          null,   first",
            "-100,        10,     first",
            "null,        0,      max",
            "null,        -1,     max",
            "null,        501,    max",
            "null,        100000, max",
            "abc,         null,   first",
            "1.5,         null,   first",
            "' 5',        null,   first",
            "0x10,        null,   first",
            "2147483648,  null,   first",   // beyond int
            "null,        ten,    max",
            "null,        1e2,    max",
            "null,        '10 ',  max",
            "-1,          abc,    max",     // both read before either is bounded: the unreadable one is named
            "abc,         abc,    first",
            "-1,          501,    first",
    })
    void refuses(String first, String max, String field) {
        assertBadRequest("invalid_query", field, () -> Paging.of(first, max));
    }
}
