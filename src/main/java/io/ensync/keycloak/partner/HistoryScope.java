package io.ensync.keycloak.partner;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.common.Environment;

import java.util.Set;

/**
 * Which of a partner's audit events a caller acting on some environments may read: partner-wide events (the partner
 * itself, its links, its portal sessions, which act on every environment) always; an environment's events ({@code …/environments/{env}/…}) only with that environment.
 * Grant and promotion events recorded before they carried their environment in the path are placed by their
 * representation ({@code environment}, or a promotion's {@code from}); one that cannot be placed is not shown.
 */
final class HistoryScope {

    private HistoryScope() {
    }

    static boolean visible(String partnerRoot, String path, JsonNode representation, Set<Environment> scope) {
        if (path == null || !(path.equals(partnerRoot) || path.startsWith(partnerRoot + "/"))) {
            return false;
        }
        String[] rest = path.substring(partnerRoot.length()).split("/");
        if (rest.length < 2) {
            return true;
        }
        return switch (rest[1]) {
            case "links", "portal" -> true;
            case "environments" -> rest.length > 2 && inScope(rest[2], scope);
            case "grants" -> inScope(text(representation, "environment"), scope);
            case "promotions" -> inScope(text(representation, "from"), scope);
            default -> false;
        };
    }

    private static boolean inScope(String environment, Set<Environment> scope) {
        return environment != null && scope.stream().anyMatch(env -> env.id().equals(environment));
    }

    private static String text(JsonNode node, String field) {
        return node == null || !node.path(field).isTextual() ? null : node.path(field).asText();
    }
}
