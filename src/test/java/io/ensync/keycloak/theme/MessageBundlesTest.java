package io.ensync.keycloak.theme;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The message bundles of the admin theme {@code ensync} and the portal theme {@code ensync-portal}: every language
 * has every key of English and no other, with the same placeholders, no value left empty; every key the portal's
 * templates and the console's sources use exists in English.
 */
class MessageBundlesTest {

    private static final Path ADMIN = Path.of("themes/ensync/admin/messages");
    private static final Path PORTAL = Path.of("themes/ensync-portal/login/messages");
    private static final Path PORTAL_TEMPLATES = Path.of("themes/ensync-portal/login");
    private static final Path CONSOLE_SOURCES = Path.of("src/main/admin-console/src");
    /** The languages shipped besides English (theme.properties' locales of the portal lists them too). */
    private static final List<String> LANGUAGES = List.of("de");

    @ParameterizedTest
    @ValueSource(strings = {"themes/ensync/admin/messages", "themes/ensync-portal/login/messages"})
    void everyLanguageHasExactlyEnglishKeys(String dir) throws IOException {
        Properties english = load(Path.of(dir).resolve("messages_en.properties"));
        assertFalse(english.isEmpty(), "English bundle of " + dir);
        for (String language : LANGUAGES) {
            Properties other = load(Path.of(dir).resolve("messages_" + language + ".properties"));
            assertEquals(Set.of(), difference(english, other), "keys of _en missing from _" + language + " in " + dir);
            assertEquals(Set.of(), difference(other, english), "keys of _" + language + " not in _en in " + dir);
            for (String key : english.stringPropertyNames()) {
                assertEquals(placeholders(english.getProperty(key)), placeholders(other.getProperty(key)),
                        "placeholders of " + key + " in _" + language + " of " + dir);
                assertFalse(other.getProperty(key).isBlank(), key + " is empty in _" + language + " of " + dir);
            }
        }
    }

    @Test
    void portalLanguagesAreDeclared() throws IOException {
        Properties theme = load(PORTAL_TEMPLATES.resolve("theme.properties"));
        Set<String> declared = new TreeSet<>(List.of(theme.getProperty("locales", "").split("\\s*,\\s*")));
        Set<String> shipped = new TreeSet<>(LANGUAGES);
        shipped.add("en");
        assertEquals(shipped, declared, "theme.properties locales of the portal");
    }

    @Test
    void everyKeyThePortalTemplatesUseExists() throws IOException {
        Properties english = load(PORTAL.resolve("messages_en.properties"));
        // msg.key, ${msg.key}, msg["key"] (keys built at run time, like msg["grantStatus_" + …], are checked by
        // their prefix).
        Pattern dotted = Pattern.compile("\\bmsg\\.([A-Za-z0-9_]+)");
        Pattern quoted = Pattern.compile("\\bmsg\\[\"([A-Za-z0-9_]+)\"(\\s*\\+)?");
        Set<String> missing = new TreeSet<>();
        int used = 0;
        try (Stream<Path> files = Files.list(PORTAL_TEMPLATES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".ftl")).toList()) {
                String text = Files.readString(file);
                for (Matcher m = dotted.matcher(text); m.find(); used++) {
                    if (!english.containsKey(m.group(1))) missing.add(file.getFileName() + ": " + m.group(1));
                }
                for (Matcher m = quoted.matcher(text); m.find(); used++) {
                    String key = m.group(1);
                    boolean found = m.group(2) == null ? english.containsKey(key)
                            : english.stringPropertyNames().stream().anyMatch(k -> k.startsWith(key));
                    if (!found) missing.add(file.getFileName() + ": " + key + (m.group(2) == null ? "" : "…"));
                }
            }
        }
        assertTrue(used > 50, "the templates use messages (" + used + " found)");
        assertEquals(Set.of(), missing, "keys used in the portal templates, missing from messages_en.properties");
    }

    @Test
    void everyEnsyncKeyTheConsoleUsesExists() throws IOException {
        Properties english = load(ADMIN.resolve("messages_en.properties"));
        // Every quoted ensync… key: t("ensyncX"), titleKey="ensyncX", navigation and breadcrumb titles; a template
        // `ensyncStatus-${…}` or "ensyncStatus-" + … is checked by its prefix.
        Pattern literal = Pattern.compile("[\"'`](ensync[A-Z][A-Za-z0-9-]*)(\\$\\{)?");
        Set<String> missing = new TreeSet<>();
        int used = 0;
        try (Stream<Path> files = Files.walk(CONSOLE_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().matches(".*\\.tsx?$")).toList()) {
                String text = Files.readString(file);
                for (Matcher m = literal.matcher(text); m.find(); used++) {
                    String key = m.group(1);
                    boolean prefix = m.group(2) != null || key.endsWith("-");
                    boolean found = !prefix ? english.containsKey(key)
                            : english.stringPropertyNames().stream().anyMatch(k -> k.startsWith(key));
                    if (!found) missing.add(CONSOLE_SOURCES.relativize(file) + ": " + key);
                }
            }
        }
        assertTrue(used > 50, "the console uses EnSync messages (" + used + " found)");
        assertEquals(Set.of(), missing, "EnSync keys used in the console, missing from messages_en.properties");
    }

    @Test
    void consoleKeysAreNamespacedSoTheyCannotShadowKeycloaks() throws IOException {
        List<String> others = new ArrayList<>();
        for (String key : load(ADMIN.resolve("messages_en.properties")).stringPropertyNames()) {
            if (!key.matches("ensync[A-Z][A-Za-z0-9-]*")) others.add(key);
        }
        assertEquals(List.of(), others, "admin theme keys outside the ensync… namespace");
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    private static Set<String> difference(Properties a, Properties b) {
        Set<String> result = new TreeSet<>(a.stringPropertyNames());
        result.removeAll(b.stringPropertyNames());
        return result;
    }

    private static Set<String> placeholders(String value) {
        Set<String> result = new TreeSet<>();
        for (Matcher m = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}|\\{(\\d+)}").matcher(value); m.find(); ) {
            result.add(m.group());
        }
        return result;
    }
}
