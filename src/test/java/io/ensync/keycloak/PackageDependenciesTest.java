package io.ensync.keycloak;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dependency graph between the feature packages under {@code io.ensync.keycloak}, read from the main sources
 * (imports and fully qualified names in code; comments and strings do not count). {@code common} depends on no
 * feature; {@code spi}, the composition root, may depend on all, and nothing depends on it. No new cycle.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java/io/ensync/keycloak");

    private static final Set<String> PACKAGES = Set.of("access", "admin", "audit", "common", "integration", "link", "metrics",
            "partner", "partnerapi", "permission", "portal", "spi", "throttle", "lifecycle", "webhook");

    /**
     * Known debt: edges that lie on a cycle. Empty since the lifecycle events became the seam between the feature
     * packages. The test fails on any other edge on a cycle, and on an entry here that is no longer on one: this list
     * only shrinks.
     */
    private static final Set<String> KNOWN_CYCLE_EDGES = Set.of();

    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.ensync\\.keycloak\\.([a-z][a-z0-9_]*)\\.");

    /** from -> to -> the files (package/File.java) that make the edge. */
    private static final Map<String, Map<String, Set<String>>> GRAPH = read();

    @Test
    void readsEveryFeaturePackage() {
        assertEquals(new TreeSet<>(PACKAGES), new TreeSet<>(GRAPH.keySet()),
                "a new package under io.ensync.keycloak belongs in PACKAGES, deliberately");
    }

    @Test
    void commonDependsOnNoFeature() {
        assertEquals(Map.of(), GRAPH.get("common"), "common must not depend on a feature package");
    }

    @Test
    void nothingDependsOnSpi() {
        List<String> into = GRAPH.entrySet().stream().filter(e -> e.getValue().containsKey("spi"))
                .map(e -> e.getKey() + " -> spi " + e.getValue().get("spi")).toList();
        assertEquals(List.of(), into, "spi is the composition root: nothing may depend on it");
    }

    @Test
    void noNewCycle() {
        Map<String, Set<String>> edges = edges(GRAPH);
        Set<String> unknown = new TreeSet<>(cyclicEdges(edges));
        unknown.removeAll(KNOWN_CYCLE_EDGES);
        String report = unknown.stream().map(edge -> {
            String[] ends = edge.split(" -> ");
            return edge + " (in " + GRAPH.get(ends[0]).get(ends[1]) + ") closes the cycle "
                    + ends[0] + " -> " + String.join(" -> ", path(edges, ends[1], ends[0]));
        }).collect(Collectors.joining("\n  ", "\n  ", ""));
        assertTrue(unknown.isEmpty(), "new package cycle edges:" + report);
    }

    /**
     * The feature line {@code integration <- partner <- permission <- partnerapi, portal <- access}: a lower package
     * learns of a higher one's concerns only through lifecycle events, never by naming it.
     */
    @ParameterizedTest(name = "{0} does not depend on {1}")
    @CsvSource({
            "integration, partner", "integration, permission", "integration, partnerapi", "integration, portal",
            "partner, permission", "partner, partnerapi", "partner, portal",
            "permission, partnerapi", "permission, portal",
            "lifecycle, integration", "lifecycle, partner", "lifecycle, permission",
            "integration, access", "partner, access", "permission, access", "portal, access", "webhook, access",
    })
    void featureLine(String from, String to) {
        assertEquals(null, GRAPH.get(from).get(to), from + " -> " + to + " goes against the feature line");
    }

    @Test
    void knownDebtOnlyShrinks() {
        Map<String, Set<String>> edges = edges(GRAPH);
        Set<String> cyclic = cyclicEdges(edges);
        Set<String> paidOff = new TreeSet<>();
        for (String edge : KNOWN_CYCLE_EDGES) {
            String[] ends = edge.split(" -> ");
            if (!edges.getOrDefault(ends[0], Set.of()).contains(ends[1])) {
                paidOff.add(edge + " no longer exists");
            } else if (!cyclic.contains(edge)) {
                paidOff.add(edge + " is no longer on a cycle");
            }
        }
        assertTrue(paidOff.isEmpty(), "remove from KNOWN_CYCLE_EDGES: " + paidOff);
    }

    /** The cycle finder itself, on small graphs given as {@code a>b} edges. */
    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', value = {
            "a>b|''",
            "a>b,b>a|a -> b,b -> a",
            "a>b,b>c|''",
            "a>b,b>c,a>c|''",
            "a>b,b>c,c>a,c>d|a -> b,b -> c,c -> a",
            "a>b,b>a,b>c,c>d,d>c|a -> b,b -> a,c -> d,d -> c",
            "a>b,b>c,c>b,d>a|b -> c,c -> b",
    })
    void cyclicEdgesOf(String given, String expected) {
        Map<String, Set<String>> edges = new HashMap<>();
        for (String edge : given.split(",")) {
            edges.computeIfAbsent(edge.split(">")[0], k -> new TreeSet<>()).add(edge.split(">")[1]);
        }
        Set<String> want = expected.isEmpty() ? Set.of() : Set.of(expected.split(","));
        assertEquals(new TreeSet<>(want), new TreeSet<>(cyclicEdges(edges)));
    }

    @Test
    void commentsAndStringsAreNoDependency() {
        String code = "package io.ensync.keycloak.audit;\n"
                + "import io.ensync.keycloak.common.Json; // io.ensync.keycloak.partner.X\n"
                + "/** {@link io.ensync.keycloak.portal.Y} */ class A { String s = \"io.ensync.keycloak.link.Z\"; "
                + "char c = '\"'; Object o = io.ensync.keycloak.throttle.T.class; String t = \"\"\"\n io.ensync.keycloak.spi.U \"\"\"; }";
        assertEquals(Set.of("common", "throttle"), references(code));
    }

    /** An edge {@code a -> b} is on a cycle when {@code a} can be reached from {@code b}. */
    static Set<String> cyclicEdges(Map<String, Set<String>> edges) {
        Set<String> cyclic = new TreeSet<>();
        edges.forEach((from, targets) -> targets.forEach(to -> {
            if (!path(edges, to, from).isEmpty()) {
                cyclic.add(from + " -> " + to);
            }
        }));
        return cyclic;
    }

    /** A shortest path from {@code from} to {@code to} (breadth first), empty when there is none. */
    static List<String> path(Map<String, Set<String>> edges, String from, String to) {
        Map<String, String> previous = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(from));
        previous.put(from, null);
        while (!queue.isEmpty()) {
            String node = queue.poll();
            if (node.equals(to)) {
                Deque<String> path = new ArrayDeque<>();
                for (String n = to; n != null; n = previous.get(n)) {
                    path.push(n);
                }
                return List.copyOf(path);
            }
            for (String next : edges.getOrDefault(node, Set.of())) {
                if (!previous.containsKey(next)) {
                    previous.put(next, node);
                    queue.add(next);
                }
            }
        }
        return List.of();
    }

    private static Map<String, Set<String>> edges(Map<String, Map<String, Set<String>>> graph) {
        Map<String, Set<String>> edges = new TreeMap<>();
        graph.forEach((from, targets) -> edges.put(from, new TreeSet<>(targets.keySet())));
        return edges;
    }

    private static Map<String, Map<String, Set<String>>> read() {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(file);
                String pkg = relative.getNameCount() > 1 ? relative.getName(0).toString() : "(io.ensync.keycloak)";
                Map<String, Set<String>> targets = graph.computeIfAbsent(pkg, k -> new TreeMap<>());
                for (String target : references(Files.readString(file, StandardCharsets.UTF_8))) {
                    if (!target.equals(pkg)) {
                        targets.computeIfAbsent(target, k -> new TreeSet<>()).add(relative.toString().replace('\\', '/'));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + SOURCES.toAbsolutePath(), e);
        }
        return graph;
    }

    /** The packages under io.ensync.keycloak that a source file's code names, without its package declaration. */
    static Set<String> references(String source) {
        String code = codeOnly(source).replaceFirst("\\bpackage\\s+[\\w.]+\\s*;", "");
        Set<String> packages = new TreeSet<>();
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
            packages.add(m.group(1));
        }
        return packages;
    }

    /** The source with comments, string, text-block and char literals blanked out. */
    private static String codeOnly(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("//", i)) {
                i = indexOrEnd(s, "\n", i);
            } else if (s.startsWith("/*", i)) {
                i = indexOrEnd(s, "*/", i + 2) + 2;
            } else if (s.startsWith("\"\"\"", i)) {
                i = indexOrEnd(s, "\"\"\"", i + 3) + 3;
                out.append("\"\"");
            } else if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
                char quote = s.charAt(i++);
                while (i < s.length() && s.charAt(i) != quote) {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                out.append(quote).append(quote);
            } else {
                out.append(s.charAt(i++));
            }
        }
        return out.toString();
    }

    private static int indexOrEnd(String s, String what, int from) {
        int at = s.indexOf(what, from);
        return at < 0 ? s.length() : at;
    }
}
