package io.ensync.keycloak.portal;

import io.ensync.keycloak.common.ApiException;
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
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The events page (portal-events.ftl): the integration's topic catalog, the partner's grants per environment and its
 * promotion requests; a topic request, a withdrawal or a promotion request answers the same page with its outcome,
 * or with the service's refusal and the form as it was typed.
 */
final class EventsPage {

    /** Enough for any partner's recent promotions (at most two environments to move to, plus denied retries). */
    private static final String PROMOTIONS_SHOWN = "20";

    record Model(List<Topic> catalog, List<EnvironmentRow> environments, List<String> openEnvironments,
                 List<Promotion> promotions, Outcome outcome, Refused error, Typed typed) {
    }

    record Topic(String pattern, boolean send, boolean receive, String autoApprove) {
    }

    /** promotion: reached, pending, otherPending or available; with next only. */
    record EnvironmentRow(String name, boolean open, List<Grant> grants, String next, String promotion) {
    }

    record Grant(String id, String environment, String topic, String scopes, String status, boolean active,
                 String requestedAt, String decidedAt, String reason) {
    }

    record Promotion(String id, String from, String to, String status, String requestedAt, String decidedAt,
                     String reason, List<String> grants) {
    }

    /** kind: requested or withdrawn (a grant's topic, scopes, environment), or promotion (from, to). */
    record Outcome(String kind, String status, String topic, String scopes, String environment, String from, String to) {
        static Outcome of(String kind, GrantView grant) {
            return new Outcome(kind, grant.status(), grant.topic(), String.join(", ", grant.scopes()), grant.environment(), null, null);
        }
    }

    record Refused(String code, String textKey, String detail) {
    }

    record Typed(String topic, String environment, List<String> scopes) {
    }

    private final SignedIn signedIn;
    private final GrantService grants;
    private final PromotionService promotions;

    EventsPage(SignedIn signedIn) {
        this.signedIn = signedIn;
        this.grants = new GrantService(signedIn.request().session(), signedIn.request().realm());
        this.promotions = new PromotionService(signedIn.request().session(), signedIn.request().realm());
    }

    Response show() {
        return page(200, null, null, null);
    }

    /** A topic request, as the API's POST /me/grants but for any of the partner's open environments. */
    Response requestGrant() {
        MultivaluedMap<String, String> form = signedIn.request().form();
        List<String> scopes = form.get("scope") == null ? List.of() : form.get("scope");
        Typed typed = new Typed(form.getFirst("topic") == null ? "" : form.getFirst("topic"),
                form.getFirst("environment") == null ? "" : form.getFirst("environment"), scopes);
        return change(typed, () -> Outcome.of("requested", grants.request(signedIn.partner(),
                Environment.parse("environment", form.getFirst("environment")),
                new GrantService.GrantInput(form.getFirst("topic"), scopes), signedIn.actor())));
    }

    Response withdrawGrant(String grantId) {
        return change(null, () -> Outcome.of("withdrawn",
                grants.withdraw(signedIn.partner(), signedIn.scope(), grantId, signedIn.actor())));
    }

    Response requestPromotion(String env) {
        return change(null, () -> {
            PromotionView promotion = promotions.request(signedIn.partner(), Environment.parse("environment", env), signedIn.actor());
            return new Outcome("promotion", promotion.status(), null, null, null, promotion.from(), promotion.to());
        });
    }

    /**
     * Runs a grant or promotion change and answers the page with its outcome. A refusal of the service (not in the
     * catalog, already granted, environment not open, bad topic…) answers the same page with its status, the reason
     * and the form as it was typed; the guard rolls the request back.
     */
    private Response change(Typed typed, Supplier<Outcome> change) {
        try {
            return page(200, change.get(), null, null);
        } catch (ApiException e) {
            Refused error = new Refused(e.code(), errorKey(e.code()), e.getMessage() == null ? "" : e.getMessage());
            return page(e.getResponse().getStatus(), null, error, typed);
        }
    }

    private Response page(int httpStatus, Outcome outcome, Refused error, Typed typed) {
        PartnerEntity partner = signedIn.partner();
        Set<Environment> scope = signedIn.scope();
        List<Topic> catalog = new ArrayList<>();
        for (TopicRuleEntity rule : partner.getIntegration().getTopics()) {
            catalog.add(new Topic(rule.getPattern(), rule.isSend(), rule.isReceive(),
                    String.join(", ", Environment.ids(Environment.split(rule.getAutoApprove())))));
        }

        List<PromotionView> requested = promotions.list(null, partner.getId(), Paging.of("0", PROMOTIONS_SHOWN));
        boolean promotionPending = requested.stream().anyMatch(p -> GrantStatus.PENDING.id().equals(p.status()));
        Environment stage = Environment.parse("stage", partner.getStage());

        PartnerSelfService.Me me = new PartnerSelfService(signedIn.request().session(), signedIn.request().realm()).me(partner, scope);
        List<GrantView> partnerGrants = grants.ofPartner(partner, scope);
        List<PartnerSelfService.EnvironmentStatus> ordered = new ArrayList<>(me.environments());
        ordered.sort(Comparator.comparing(s -> Environment.parse("environment", s.name())));
        List<EnvironmentRow> environments = new ArrayList<>();
        List<String> open = new ArrayList<>();
        for (PartnerSelfService.EnvironmentStatus status : ordered) {
            Environment env = Environment.parse("environment", status.name());
            if (status.enabled()) {
                open.add(status.name());
            }
            List<Grant> rows = partnerGrants.stream().filter(g -> g.environment().equals(status.name())).map(EventsPage::grant).toList();
            Environment next = Environment.next(partner.getIntegration().getEnvironments(), env);
            String promotion = null;
            if (next != null) {
                // Mirrors what PromotionService.request accepts, so that the button is offered only where it can work.
                if (stage.compareTo(next) >= 0) {
                    promotion = "reached";
                } else if (requested.stream().anyMatch(p -> GrantStatus.PENDING.id().equals(p.status()) && p.from().equals(env.id()))) {
                    promotion = "pending";
                } else if (promotionPending) {
                    promotion = "otherPending";
                } else {
                    promotion = "available";
                }
            }
            environments.add(new EnvironmentRow(status.name(), status.enabled(), rows, next == null ? null : next.id(), promotion));
        }

        List<Promotion> promotionRows = requested.stream().map(p -> new Promotion(p.id(), p.from(), p.to(), p.status(),
                PortalPages.shown(p.requestedAt()), PortalPages.shown(p.decidedAt()), p.reason() == null ? "" : p.reason(),
                p.grants().stream().map(g -> g.topic() + " (" + String.join(", ", g.scopes()) + ")").toList())).toList();
        Model model = new Model(catalog, environments, open, promotionRows, outcome, error, typed);
        return signedIn.pages().page(httpStatus, "portal-events.ftl", signedIn.frame(), model);
    }

    private static Grant grant(GrantView grant) {
        return new Grant(grant.id(), grant.environment(), grant.topic(), String.join(", ", grant.scopes()), grant.status(),
                GrantStatus.PENDING.id().equals(grant.status()) || GrantStatus.APPROVED.id().equals(grant.status()),
                PortalPages.shown(grant.requestedAt()), PortalPages.shown(grant.decidedAt()),
                grant.reason() == null ? "" : grant.reason());
    }

    private static String errorKey(String code) {
        return switch (code == null ? "" : code) {
            case "not_in_catalog" -> "eventErrorNotInCatalog";
            case "grant_exists" -> "eventErrorGrantExists";
            case "environment_not_open" -> "eventErrorEnvironmentNotOpen";
            case "invalid_value", "missing_field", "too_long" -> "eventErrorInvalid";
            case "grant_not_active" -> "eventErrorGrantNotActive";
            case "not_found" -> "eventErrorNotFound";
            case "promotion_pending" -> "eventErrorPromotionPending";
            case "already_promoted" -> "eventErrorAlreadyPromoted";
            case "no_next_environment" -> "eventErrorNoNextEnvironment";
            case "grant_limit" -> "eventErrorGrantLimit";
            default -> "eventErrorOther";
        };
    }
}
