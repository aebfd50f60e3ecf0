package io.ensync.keycloak.it.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs one of the browser tests in src/test/browser (playwright-core driving Debian's chromium) with its
 * configuration as JSON in an environment variable, and returns the one JSON line it prints. Every secret the pages
 * showed goes to the {@link SecretLedger}, also when the script failed half-way. .ci/run installs chromium and the
 * npm packages.
 */
public final class BrowserScript {

    private static final Path BROWSER_DIR = Path.of("src/test/browser").toAbsolutePath();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 300;

    private BrowserScript() {
    }

    /** The screenshot folder: target/screenshots, or docs/screenshots with {@code -Densync.it.screenshotDir}. */
    public static String screenshotDir() {
        return Path.of(System.getProperty("ensync.it.screenshotDir", "target/screenshots")).toAbsolutePath().toString();
    }

    public static JsonNode run(String script, String configVariable, Map<String, Object> config, String logName)
            throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(CHROMIUM), "needs Debian's chromium (apt-get install chromium; .ci/run does it)");
        assertTrue(Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core")),
                "needs the browser test's npm packages (npm ci in src/test/browser; .ci/run does it)");
        return start(script, configVariable, config, logName);
    }

    /** A node script of src/test/browser that needs no browser (e.g. the openid-client one), run as {@link #run} runs one. */
    public static JsonNode node(String script, String configVariable, Map<String, Object> config, String logName)
            throws IOException, InterruptedException {
        assertTrue(Files.isDirectory(BROWSER_DIR.resolve("node_modules/openid-client")),
                "needs the test's npm packages (npm ci in src/test/browser; .ci/run does it)");
        return start(script, configVariable, config, logName);
    }

    private static JsonNode start(String script, String configVariable, Map<String, Object> config, String logName)
            throws IOException, InterruptedException {

        Path log = Path.of("target", logName + ".log").toAbsolutePath();
        Path out = Files.createTempFile(logName, ".json");
        ProcessBuilder builder = new ProcessBuilder("node", script)
                .directory(BROWSER_DIR.toFile())
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put(configVariable, Http.JSON.writeValueAsString(config));
        Process node = builder.start();
        boolean finished = node.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
        }
        String output = Files.readString(out);
        Files.delete(out);
        JsonNode result = output.isBlank() ? Http.JSON.createObjectNode() : Http.JSON.readTree(output);
        for (JsonNode secret : result.path("secrets")) {
            SecretLedger.record(secret.asText());
        }
        assertTrue(finished, "the browser test did not finish within " + TIMEOUT_SECONDS + " s; see " + log);
        assertEquals(0, node.exitValue(), () -> "the browser test failed; see " + log + ":\n" + tail(log));
        return result;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
