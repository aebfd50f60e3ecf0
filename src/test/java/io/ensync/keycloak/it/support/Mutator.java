package io.ensync.keycloak.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The mutations of the fuzzer ({@code FuzzIT}): from a valid JSON body, form, header set or id, one hostile variant
 * and a short description of what was done. Pure and deterministic for a given {@link Random}.
 */
public final class Mutator {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Strings at the edges: empty, huge, control and format characters, lone surrogates, RTL, combining marks. */
    static final List<String> STRINGS = List.of("", " ", "x", "\u0000", "a\u0000b", "\u202eevil", "\u200f\u200e", "e\u0301\u0301\u0301\u0301",
            "\ufeff", "\u200b", "🙂", "𝔘𝔫𝔦", "\r\n", "\t", "%", "_", "%_%", "\\", "\"", "'", "${7*7}", "<b>x</b>", "../..",
            "A".repeat(256), "A".repeat(1001), "A".repeat(5000), "€".repeat(20000), "x".repeat(60000), "x".repeat(70000),
            "app/order/created", "app/order/*", "*", "send", "receive", "dev", "stage", "prod", "https://a.example",
            "#112233", "null", "true", "0");

    /** Raw JSON texts, written as they are: escapes a Java string cannot carry, numbers past every bound. */
    static final List<String> RAW = List.of("\"\\ud800\"", "\"\\udc00x\"", "\"\\ud83d\"", "\"\\u0000\"", "\"a\\u0000\"",
            "1e400", "-1e400", "1e-400", "-0", "-0.0", "9223372036854775808", "-9223372036854775809", "2147483648",
            "-2147483649", "1" + "0".repeat(400), "0.1", "1.5", "1E2", "18446744073709551616");

    static final List<Long> NUMBERS = List.of(0L, -1L, 1L, 2L, 500L, 501L, 3650L, 3651L, 86400L, 2147483647L, -2147483648L,
            Long.MAX_VALUE, Long.MIN_VALUE);

    private final Random random;

    public Mutator(Random random) {
        this.random = random;
    }

    public <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A JSON value of any kind, hostile or not. */
    public JsonNode anyValue() {
        return switch (random.nextInt(14)) {
            case 0 -> F.nullNode();
            case 1 -> F.booleanNode(random.nextBoolean());
            case 2, 3 -> F.numberNode(pick(NUMBERS));
            case 4 -> F.numberNode(random.nextDouble() * 1e6 - 5e5);
            case 5, 6, 7 -> F.textNode(pick(STRINGS));
            case 8 -> F.rawValueNode(new RawValue(pick(RAW)));
            case 9 -> F.arrayNode();
            case 10 -> F.objectNode();
            case 11 -> {
                ArrayNode array = F.arrayNode();
                int n = pick(List.of(1, 2, 3, 21, 201, 3000));
                for (int i = 0; i < n; i++) {
                    array.add(random.nextInt(4) == 0 ? F.nullNode() : F.textNode("x" + i));
                }
                yield array;
            }
            case 12 -> nested(pick(List.of(4, 50, 1000, 2500)));
            default -> {
                ArrayNode array = F.arrayNode();
                array.add(F.nullNode());
                yield array;
            }
        };
    }

    private JsonNode nested(int depth) {
        if (depth > 900) {           // past what Jackson writes: the text itself
            return F.rawValueNode(new RawValue("[".repeat(depth) + "\"deep\"" + "]".repeat(depth)));
        }
        JsonNode node = F.textNode("deep");
        for (int i = 0; i < depth; i++) {
            if (random.nextBoolean()) {
                node = F.arrayNode().add(node);
            } else {
                ObjectNode o = F.objectNode();
                o.set("a", node);
                node = o;
            }
        }
        return node;
    }

    /** A mutated JSON body: the text to send and what was done to the valid one. */
    public record Body(String text, String what) {
    }

    public Body mutateJson(JsonNode valid) {
        JsonNode copy = valid == null ? F.objectNode() : valid.deepCopy();
        String text = write(copy);
        switch (random.nextInt(12)) {
            case 0, 1, 2, 3 -> {
                List<String> paths = new ArrayList<>();
                collect(copy, "", paths);
                if (paths.isEmpty()) {
                    ObjectNode o = F.objectNode();
                    o.set("unknown", anyValue());
                    return new Body(write(o), "an unknown key in an empty body");
                }
                String path = pick(paths);
                JsonNode value = anyValue();
                return new Body(write(replace(copy, path, value)), "value at " + path + " := " + describe(value));
            }
            case 4 -> {
                List<String> paths = new ArrayList<>();
                collect(copy, "", paths);
                if (paths.isEmpty()) {
                    return new Body("{\"\":null}", "an empty key");
                }
                String path = pick(paths);
                return new Body(write(replace(copy, path, null)), "removed " + path);
            }
            case 5 -> {
                if (copy.isObject()) {
                    ((ObjectNode) copy).set(pick(List.of("unknown", "isAdmin", "", "__proto__", "id", "status", "\u0000", "a".repeat(300))), anyValue());
                }
                return new Body(write(copy), "an unknown key");
            }
            case 6 -> {
                Iterator<String> names = copy.fieldNames();
                String name = names.hasNext() ? names.next() : "x";
                String dup = "\"" + name + "\":" + write(anyValue());
                return new Body(text.length() > 1 ? "{" + dup + "," + text.substring(1) : "{" + dup + "}", "duplicate key " + name);
            }
            case 7 -> {
                int cut = text.isEmpty() ? 0 : random.nextInt(text.length());
                return new Body(text.substring(0, cut), "truncated at " + cut);
            }
            case 8 -> {
                String whole = pick(List.of("[]", "null", "\"text\"", "42", "true", "[" + text + "]", text + text, text + " x",
                        "{}", "", " ", "\ufeff" + text, "{\"a\":1,}", "{'a':1}", "[" + "[".repeat(3000)));
                return new Body(whole, "whole body " + abbreviate(whole, 40));
            }
            case 9 -> {
                int at = text.isEmpty() ? 0 : random.nextInt(text.length());
                String junk = pick(List.of("\u0000", "\"", "{", "}", "[", ",", ":", "\\", "\\u", "\ud800", "\u202e", "  "));
                return new Body(text.substring(0, at) + junk + text.substring(at), "inserted " + describe(F.textNode(junk)) + " at " + at);
            }
            case 10 -> {
                List<String> arrays = new ArrayList<>();
                collectArrays(copy, "", arrays);
                if (arrays.isEmpty()) {
                    return new Body(write(replace(copy, firstPath(copy), anyValue())), "no array: a value replaced");
                }
                String path = pick(arrays);
                ArrayNode array = (ArrayNode) at(copy, path);
                JsonNode element = random.nextBoolean() ? F.nullNode() : anyValue();
                if (array.isEmpty() || random.nextBoolean()) {
                    array.add(element);
                } else {
                    array.insert(random.nextInt(array.size()), element);
                }
                return new Body(write(copy), "an element " + describe(element) + " in " + path);
            }
            default -> {
                List<String> paths = new ArrayList<>();
                collect(copy, "", paths);
                String path = paths.isEmpty() ? null : pick(paths);
                JsonNode deep = nested(pick(List.of(10, 1200)));
                return new Body(path == null ? write(deep) : write(replace(copy, path, deep)), "nesting at " + path);
            }
        }
    }

    private String firstPath(JsonNode node) {
        List<String> paths = new ArrayList<>();
        collect(node, "", paths);
        return paths.isEmpty() ? "" : paths.get(0);
    }

    /** Paths of every field and element: {@code a}, {@code a.b}, {@code a[0]}. */
    private static void collect(JsonNode node, String prefix, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                String p = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
                out.add(p);
                collect(f.getValue(), p, out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String p = prefix + "[" + i + "]";
                out.add(p);
                collect(node.get(i), p, out);
            }
        }
    }

    private static void collectArrays(JsonNode node, String prefix, List<String> out) {
        if (node.isArray()) {
            out.add(prefix);
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> collectArrays(f.getValue(), prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectArrays(node.get(i), prefix + "[" + i + "]", out);
            }
        }
    }

    private static List<Object> steps(String path) {
        List<Object> steps = new ArrayList<>();
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            String name = bracket < 0 ? part : part.substring(0, bracket);
            if (!name.isEmpty()) {
                steps.add(name);
            }
            while (bracket >= 0) {
                int end = part.indexOf(']', bracket);
                steps.add(Integer.parseInt(part.substring(bracket + 1, end)));
                bracket = part.indexOf('[', end);
            }
        }
        return steps;
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (Object step : steps(path)) {
            node = step instanceof Integer i ? node.get(i) : node.get((String) step);
        }
        return node;
    }

    /** Replaces (or, with a null value, removes) the node at {@code path}; answers the root. */
    private static JsonNode replace(JsonNode root, String path, JsonNode value) {
        List<Object> steps = steps(path);
        if (steps.isEmpty()) {
            return value == null ? F.objectNode() : value;
        }
        JsonNode parent = root;
        for (Object step : steps.subList(0, steps.size() - 1)) {
            parent = step instanceof Integer i ? parent.get(i) : parent.get((String) step);
        }
        Object last = steps.get(steps.size() - 1);
        if (parent instanceof ObjectNode o) {
            if (value == null) {
                o.remove((String) last);
            } else {
                o.set((String) last, value);
            }
        } else if (parent instanceof ArrayNode a) {
            if (value == null) {
                a.remove((Integer) last);
            } else {
                a.set((Integer) last, value);
            }
        }
        return root;
    }

    /** A hostile form: a field dropped, emptied, made huge or odd, repeated; an unknown field; garbage text. */
    public record Form(String text, String what) {
    }

    public Form mutateForm(Map<String, List<String>> valid) {
        List<String[]> pairs = new ArrayList<>();
        valid.forEach((k, vs) -> vs.forEach(v -> pairs.add(new String[] {k, v})));
        String what;
        int choice = random.nextInt(7);
        if (pairs.isEmpty()) {
            choice = 4;
        }
        switch (choice) {
            case 0 -> {
                String[] p = pairs.remove(random.nextInt(pairs.size()));
                what = "dropped " + p[0];
            }
            case 1, 2 -> {
                String[] p = pairs.get(random.nextInt(pairs.size()));
                p[1] = pick(STRINGS);
                what = p[0] + " := " + describe(F.textNode(p[1]));
            }
            case 3 -> {
                String[] p = pairs.get(random.nextInt(pairs.size()));
                pairs.add(new String[] {p[0], pick(STRINGS)});
                what = "repeated " + p[0];
            }
            case 4 -> {
                pairs.add(new String[] {pick(List.of("unknown", "csrf", "scope", "environment", "revokePrevious", "topic", "")), pick(STRINGS)});
                what = "an extra field " + pairs.get(pairs.size() - 1)[0];
            }
            case 5 -> {
                String raw = pick(List.of("%", "%zz", "=", "&&&", "csrf", "a=%00", "%ff%fe", "csrf=%E2%80%AE"));
                return new Form(encode(pairs) + "&" + raw, "raw tail " + raw);
            }
            default -> {
                String text = encode(pairs);
                int cut = text.isEmpty() ? 0 : random.nextInt(text.length());
                return new Form(text.substring(0, cut), "truncated at " + cut);
            }
        }
        return new Form(encode(pairs), what);
    }

    public static String encode(List<String[]> pairs) {
        StringBuilder sb = new StringBuilder();
        for (String[] p : pairs) {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(java.net.URLEncoder.encode(p[0], java.nio.charset.StandardCharsets.UTF_8)).append('=')
                    .append(java.net.URLEncoder.encode(p[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    /** An id for a path segment, already percent-encoded where needed. */
    public String pathId(List<String> otherIds) {
        return switch (random.nextInt(4)) {
            case 0 -> pick(otherIds);
            case 1 -> java.util.UUID.randomUUID().toString();
            case 2 -> pick(List.of("", "%20", "..", "%2F", "%2e%2e", "%00", "%25", "%", "*", "null", "-1", "0", "x".repeat(300),
                    "%E2%80%AE", "%ED%A0%80", "%F0%9F%99%82", "e%CC%81", "%27%20OR%20%271%27%3D%271", "A".repeat(43), "ensync_ik_"
                            + "A".repeat(43)));
            default -> java.net.URLEncoder.encode(prefix(pick(STRINGS), 50), java.nio.charset.StandardCharsets.UTF_8);
        };
    }

    /** A query-parameter value, percent-encoded. */
    public String queryValue(List<String> enumValues) {
        String v = switch (random.nextInt(5)) {
            case 0 -> enumValues.isEmpty() ? "x" : pick(enumValues);
            case 1 -> String.valueOf(pick(NUMBERS));
            case 2 -> pick(List.of("-1", "0", "1", "500", "501", "1e3", "0x10", "+5", " 5", "5 ", "1.0", "99999999999999999999", ""));
            default -> prefix(pick(STRINGS), 300);
        };
        if (random.nextInt(6) == 0) {
            return pick(List.of("%", "%zz", "%00", "%_", "a%25b_c", "%25%5F", "%ED%A0%80"));
        }
        return java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String prefix(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    public static String write(JsonNode node) {
        try {
            return Http.JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String describe(JsonNode value) {
        return abbreviate(write(value), 60);
    }

    /** Shortened, with control and format characters made visible, for a readable failure report. */
    public static String abbreviate(String text, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length() && sb.length() < max; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c < 0xa0) || Character.getType(c) == Character.FORMAT || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return text.length() > max ? sb + "…(" + text.length() + " chars)" : sb.toString();
    }
}
