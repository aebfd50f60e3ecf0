package io.ensync.keycloak.common;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The error codes: one home ({@link ErrorCode}), documented as they are. */
class ErrorCodeTest {

    private static final Pattern ROW = Pattern.compile("^\\| (\\d{3}) \\| ((?:`[a-z_]+`(?:, )?)+) \\|", Pattern.MULTILINE);

    @Test
    void docsApiListsExactlyTheStatusAndCodeOfEveryConstant() throws IOException {
        String doc = Files.readString(Path.of("docs/api.md"));
        Set<String> documented = new TreeSet<>();
        Matcher row = ROW.matcher(doc);
        while (row.find()) {
            for (String code : row.group(2).split(", ")) {
                documented.add(row.group(1) + " " + code.replace("`", ""));
            }
        }
        Set<String> declared = Arrays.stream(ErrorCode.values()).map(e -> e.status() + " " + e.code())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, documented);
    }

    @Test
    void aCodeWithTwoConstantsHasTwoStatusesAndEveryCodeIsSnakeCase() {
        Set<String> pairs = new TreeSet<>();
        for (ErrorCode e : ErrorCode.values()) {
            assertTrue(pairs.add(e.status() + " " + e.code()), "two constants for " + e.status() + " " + e.code());
            assertTrue(e.code().matches("[a-z]+(_[a-z]+)*"), e.code());
            assertTrue(e.status() >= 400 && e.status() < 600, e.name());
        }
    }
}
