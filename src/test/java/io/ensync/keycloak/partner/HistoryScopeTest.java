package io.ensync.keycloak.partner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensync.keycloak.common.Environment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which audit events a caller acting on some environments reads (SPEC §7): written as a table by hand. */
class HistoryScopeTest {

    private static final String ROOT = "ensync/partners/p1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} as {2} → {3}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            ensync/partners/p1                                   | null                     | dev           | true
            ensync/partners/p1/links/l1                          | null                     | dev           | true
            ensync/partners/p1/portal/sessions/s1                | null                     | prod          | true
            ensync/partners/p1/environments/dev/secret           | null                     | dev           | true
            ensync/partners/p1/environments/stage/secret         | null                     | dev           | false
            ensync/partners/p1/environments/prod/secret          | null                     | dev           | false
            ensync/partners/p1/environments/stage/secret         | null                     | dev,stage     | true
            ensync/partners/p1/environments/stage/grants/g1      | null                     | stage         | true
            ensync/partners/p1/environments/stage/grants/g1      | null                     | prod          | false
            ensync/partners/p1/environments/dev/promotions/x     | null                     | dev           | true
            ensync/partners/p1/environments/dev/promotions/x     | null                     | stage         | false
            ensync/partners/p1/environments                      | null                     | dev           | false
            ensync/partners/p1/grants/g1                         | {"environment":"dev"}    | dev           | true
            ensync/partners/p1/grants/g1                         | {"environment":"stage"}  | dev           | false
            ensync/partners/p1/grants/g1                         | null                     | dev           | false
            ensync/partners/p1/grants/g1                         | {"environment":7}        | dev,stage,prod| false
            ensync/partners/p1/promotions/x                      | {"from":"stage"}         | stage         | true
            ensync/partners/p1/promotions/x                      | {"from":"stage"}         | dev           | false
            ensync/partners/p1/something-new/x                   | null                     | dev,stage,prod| false
            ensync/partners/p10                                  | null                     | dev           | false
            ensync/partners/p10/environments/dev/secret          | null                     | dev           | false
            ensync/partners/p2/environments/dev/secret           | null                     | dev           | false
            ensync/integrations/i1                               | null                     | dev           | false
            null                                                 | null                     | dev           | false
            """)
    void visibility(String path, String representation, String environments, boolean visible) throws IOException {
        JsonNode rep = representation == null ? null : JSON.readTree(representation);
        Set<Environment> scope = EnumSet.noneOf(Environment.class);
        for (String env : environments.split(",")) {
            scope.add(Environment.parse("environment", env.trim()));
        }
        assertEquals(visible, HistoryScope.visible(ROOT, path, rep, scope));
    }
}
