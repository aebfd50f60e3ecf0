package io.ensync.keycloak.portal;

import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.Paging;
import io.ensync.keycloak.integration.TopicRuleEntity;
import io.ensync.keycloak.partner.PartnerEntity;
import io.ensync.keycloak.partner.PartnerSelfService;
import io.ensync.keycloak.permission.GrantService;
import io.ensync.keycloak.permission.GrantStatus;
import io.ensync.keycloak.permission.GrantView;
import io.ensync.keycloak.permission.PromotionService;
import io.ensync.keycloak.permission.PromotionView;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values of the events page: the integration's topic catalog, the partner's grants per environment, and its
 * promotion requests. Read-only; every change goes through GrantService / PromotionService in {@link PortalResource}.
 */
final class PortalEventsPage {

    /** Enough for any partner's recent promotions (at most two environments to move to, plus denied retries). */
    private static final String PROMOTIONS_SHOWN = "20";

    private PortalEventsPage() {
    }

    static Map<String, Object> values(KeycloakSession session, RealmModel realm, PartnerEntity partner, Set<Environment> scope) {
        Map<String, Object> data = new LinkedHashMap<>();
        Set<Environment> environmentsOfIntegration = partner.getIntegration().getEnvironments();

        List<Map<String, Object>> catalog = new ArrayList<>();
        for (TopicRuleEntity rule : partner.getIntegration().getTopics()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("pattern", rule.getPattern());
            row.put("send", rule.isSend());
            row.put("receive", rule.isReceive());
            row.put("autoApprove", String.join(", ", Environment.ids(Environment.split(rule.getAutoApprove()))));
            catalog.add(row);
        }
        data.put("catalog", catalog);

        List<PromotionView> promotions = new PromotionService(session, realm)
                .list(null, partner.getId(), Paging.of("0", PROMOTIONS_SHOWN));
        boolean promotionPending = promotions.stream().anyMatch(p -> GrantStatus.PENDING.id().equals(p.status()));
        Environment stage = Environment.parse("stage", partner.getStage());

        PartnerSelfService.Me me = new PartnerSelfService(session, realm).me(partner, scope);
        List<GrantView> partnerGrants = new GrantService(session, realm).ofPartner(partner, scope);
        List<PartnerSelfService.EnvironmentStatus> ordered = new ArrayList<>(me.environments());
        ordered.sort(Comparator.comparing(s -> Environment.parse("environment", s.name())));
        List<Map<String, Object>> environments = new ArrayList<>();
        List<String> open = new ArrayList<>();
        for (PartnerSelfService.EnvironmentStatus status : ordered) {
            Environment env = Environment.parse("environment", status.name());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", status.name());
            row.put("open", status.enabled());
            if (status.enabled()) {
                open.add(status.name());
            }
            List<Map<String, Object>> grants = new ArrayList<>();
            for (GrantView grant : partnerGrants) {
                if (grant.environment().equals(status.name())) {
                    grants.add(grant(grant));
                }
            }
            row.put("grants", grants);
            Environment next = Environment.next(environmentsOfIntegration, env);
            if (next != null) {
                row.put("next", next.id());
                // Mirrors what PromotionService.request accepts, so that the button is offered only where it can work.
                String promotion;
                if (stage.compareTo(next) >= 0) {
                    promotion = "reached";
                } else if (promotions.stream().anyMatch(p -> GrantStatus.PENDING.id().equals(p.status()) && p.from().equals(env.id()))) {
                    promotion = "pending";
                } else if (promotionPending) {
                    promotion = "otherPending";
                } else {
                    promotion = "available";
                }
                row.put("promotion", promotion);
            }
            environments.add(row);
        }
        data.put("environments", environments);
        data.put("openEnvironments", open);

        List<Map<String, Object>> promotionRows = new ArrayList<>();
        for (PromotionView p : promotions) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", p.id());
            row.put("from", p.from());
            row.put("to", p.to());
            row.put("status", p.status());
            row.put("requestedAt", PortalResource.shown(p.requestedAt()));
            row.put("decidedAt", PortalResource.shown(p.decidedAt()));
            row.put("reason", p.reason() == null ? "" : p.reason());
            row.put("grants", p.grants().stream().map(g -> g.topic() + " (" + String.join(", ", g.scopes()) + ")").toList());
            promotionRows.add(row);
        }
        data.put("promotions", promotionRows);
        return data;
    }

    static Map<String, Object> grant(GrantView grant) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", grant.id());
        row.put("environment", grant.environment());
        row.put("topic", grant.topic());
        row.put("scopes", String.join(", ", grant.scopes()));
        row.put("status", grant.status());
        row.put("active", GrantStatus.PENDING.id().equals(grant.status()) || GrantStatus.APPROVED.id().equals(grant.status()));
        row.put("requestedAt", PortalResource.shown(grant.requestedAt()));
        row.put("decidedAt", PortalResource.shown(grant.decidedAt()));
        row.put("reason", grant.reason() == null ? "" : grant.reason());
        return row;
    }
}
