package io.ensync.keycloak.portal;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.Paging;
import io.ensync.keycloak.partner.PartnerLoginFailures;
import io.ensync.keycloak.partner.PartnerSelfService;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The history page (portal-history.ftl): the partner's audit trail, a page at a time, and its recent failed token
 * requests, where the realm stores them.
 */
final class HistoryPage {

    private static final String PAGE_SIZE = "20";
    private static final int FAILURES_SHOWN = 20;

    record Model(boolean auditStored, List<Entry> entries, int first, int max, boolean hasPrevious, int previousFirst,
                 boolean hasNext, int nextFirst, boolean loginEventsStored, List<Failure> failures) {
    }

    record Entry(String time, String resourceType, String operation, String principal, String details) {
    }

    record Failure(String time, String environment, String clientId, String error, String ipAddress) {
    }

    private final SignedIn signedIn;

    HistoryPage(SignedIn signedIn) {
        this.signedIn = signedIn;
    }

    Response show(String first, String max) {
        PortalRequest request = signedIn.request();
        Paging paging = Paging.of(first, max == null ? PAGE_SIZE : max);
        List<PartnerSelfService.HistoryEntry> stored = new PartnerSelfService(request.session(), request.realm())
                .history(signedIn.partner(), EnumSet.allOf(Environment.class), paging);
        List<Entry> entries = stored == null ? List.of() : stored.stream()
                .map(e -> new Entry(PortalPages.shown(e.time()), e.resourceType(), e.operation(),
                        e.principal() == null ? "" : e.principal(), details(e.representation())))
                .toList();
        List<Failure> failures = PartnerLoginFailures.recent(request.session(), request.realm(), signedIn.partner(),
                        signedIn.scope(), FAILURES_SHOWN).stream()
                .map(f -> new Failure(PortalPages.shown(f.time()), f.environment(), f.clientId(),
                        f.error() == null ? "" : f.error(), f.ipAddress() == null ? "" : f.ipAddress()))
                .toList();
        Model model = new Model(stored != null, entries, paging.first(), paging.max(), paging.first() > 0,
                Math.max(0, paging.first() - paging.max()), entries.size() == paging.max(), paging.end(),
                PartnerLoginFailures.stored(request.realm()), failures);
        return signedIn.pages().page(200, "portal-history.ftl", signedIn.frame(), model);
    }

    /** A short readable summary of an audit representation: the fields a partner cares about, never a secret. */
    private static String details(JsonNode representation) {
        if (representation == null || !representation.isObject()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (String field : List.of("action", "environment", "purpose", "status", "revokePrevious")) {
            JsonNode value = representation.get(field);
            if (value != null && !value.isNull() && value.isValueNode()) {
                parts.add(field + ": " + value.asText());
            }
        }
        return String.join(", ", parts);
    }
}
