package io.ensync.keycloak.portal;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.Checks;
import io.ensync.keycloak.common.Secrets;
import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.Json;
import io.ensync.keycloak.common.Paging;
import io.ensync.keycloak.link.LinkEntity;
import io.ensync.keycloak.link.LinkPurpose;
import io.ensync.keycloak.link.LinkService;
import io.ensync.keycloak.partner.PartnerEntity;
import io.ensync.keycloak.partner.PartnerLoginFailures;
import io.ensync.keycloak.partner.Jwks;
import io.ensync.keycloak.partner.PartnerKeys;
import io.ensync.keycloak.partner.PartnerSelfService;
import io.ensync.keycloak.partner.PartnerService;
import io.ensync.keycloak.throttle.FailureThrottle;
import io.ensync.keycloak.partner.PartnerStatus;
import io.ensync.keycloak.permission.GrantService;
import io.ensync.keycloak.permission.GrantView;
import io.ensync.keycloak.permission.PromotionService;
import io.ensync.keycloak.permission.PromotionView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code /realms/{realm}/ensync/portal}: the partner person's pages. Opening a link (GET) never consumes it; the
 * page's form (POST, CSRF-protected) redeems it and opens a database-backed session. Every action goes through the
 * same services as the partner API (PartnerService, PartnerSelfService, GrantService, PromotionService), acting on all
 * of the partner's environments.
 */
public class PortalResource {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final String HISTORY_PAGE_SIZE = "20";
    private static final int FAILURES_SHOWN = 20;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final PortalSessions sessions;

    public PortalResource(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.sessions = new PortalSessions(session, realm);
    }

    /** A refusal with its page: thrown inside a handler, answered by {@link #guard}. */
    private static final class Refusal extends RuntimeException {
        private final transient Response response;

        Refusal(Response response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    // ---------------------------------------------------------------- link page and start

    @GET
    @Path("links/{linkId}")
    public Response link(@PathParam("linkId") String linkId) {
        PortalPages pages = new PortalPages(session, realm);
        return guard(pages, () -> {
            PartnerEntity partner = partnerOfLink(pages, linkId);
            LinkEntity link = new LinkService(session, realm).find(linkId);
            requireUsable(partner);
            String start = sessions.startSecret();
            Map<String, Object> data = branding(partner);
            data.put("reentry", link.getPurpose() == LinkPurpose.REENTRY);
            data.put("startToken", PortalSessions.startToken(start));
            data.put("formAction", pages.portalUrl() + "/links/" + linkId);
            return pages.cookie(PortalSessions.START_COOKIE, start).page(200, "portal-link.ftl", data);
        });
    }

    @POST
    @Path("links/{linkId}")
    public Response start(@PathParam("linkId") String linkId) {
        PortalPages pages = new PortalPages(session, realm);
        return guard(pages, () -> {
            partnerOfLink(pages, linkId);
            // A used or expired link says so before anything else (a second tab's form may have lost its cookie).
            new LinkService(session, realm).find(linkId);
            if (!sessions.startTokenMatches(form().getFirst("csrf"))) {
                throw refusal(pages, 403, "formExpired");
            }
            PortalSessions.Current previous = sessions.current();
            if (previous != null) {
                sessions.end(previous);
            }
            PartnerService.Redeemed redeemed = new PartnerService(session, realm).redeemForPortal(linkId);
            PortalSessions.Current opened = sessions.open(redeemed.partner().getId());
            pages.cookie(PortalSessions.SESSION_COOKIE, opened.secret()).clearCookie(PortalSessions.START_COOKIE);
            if (redeemed.onboarded() == null) {
                return pages.redirect("environments");
            }
            Map<String, Object> data = sessionPage(redeemed.partner(), opened);
            List<Map<String, Object>> credentials = new ArrayList<>();
            for (PartnerService.Credentials c : redeemed.onboarded().environments()) {
                Map<String, Object> env = new LinkedHashMap<>();
                env.put("name", c.name());
                env.put("clientId", c.clientId());
                env.put("clientSecret", c.clientSecret());
                env.put("tokenUrl", c.tokenUrl());
                env.put("enabled", c.enabled());
                credentials.add(env);
            }
            data.put("credentials", credentials);
            return pages.page(200, "portal-onboarded.ftl", data);
        });
    }

    // ---------------------------------------------------------------- environments and rotation

    @GET
    @Path("environments")
    public Response environments() {
        PortalPages pages = new PortalPages(session, realm);
        return guard(pages, () -> {
            PortalSessions.Current current = requireSession(pages);
            PartnerEntity partner = partnerOf(pages, current);
            return pages.page(200, "portal-environments.ftl", environmentsPage(partner, current));
        });
    }

    @POST
    @Path("environments/{env}/secret")
    public Response rotate(@PathParam("env") String env) {
        PortalPages pages = new PortalPages(session, realm);
        return guard(pages, () -> {
            PortalSessions.Current current = requireSession(pages);
            PartnerEntity partner = partnerOf(pages, current);
            MultivaluedMap<String, String> form = form();
            requireCsrf(pages, current, form);
            Environment environment = Environment.parse("environment", env);
            boolean revokePrevious = "true".equals(form.getFirst("revokePrevious"));
            PartnerSelfService.RotatedSecret rotated = new PartnerSelfService(session, realm)
                    .rotateSecret(partner, environment, revokePrevious, new Actor.Partner(partner.getId(), null));
            Map<String, Object> data = environmentsPage(partner, current);
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("environment", rotated.environment());
            shown.put("clientId", rotated.clientId());
            shown.put("clientSecret", rotated.clientSecret());
            shown.put("previousSecretValidUntil", shown(rotated.previousSecretValidUntil()));
            data.put("rotated", shown);
            return pages.page(200, "portal-environments.ftl", data);
        });
    }

    /** Registers (replaces) an environment's public keys, pasted as a JWK Set, one JWK or PEM; a refusal is shown on the page. */
    @POST
    @Path("environments/{env}/keys")
    public Response registerKeys(@PathParam("env") String env) {
        PortalPages pages = new PortalPages(session, realm);
        return guard(pages, () -> {
            PortalSessions.Current current = requireSession(pages);
            PartnerEntity partner = partnerOf(pages, current);
            MultivaluedMap<String, String> form = form();
            requireCsrf(pages, current, form);
            Environment environment = Environment.parse("environment", env);
            try {
                new PartnerKeys(session, realm).register(partner, environment, Jwks.parsePasted(form.getFirst("keys")),
                        new Actor.Partner(partner.getId(), null));
            } catch (ApiException e) {
                if (e.getResponse().getStatus() != 400) {
                    throw e;
                }
                Map<String, Object> data = environmentsPage(partner, current);
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("environment", environment.id());
                error.put("message", e.getMessage());
                error.put("field", e.field() == null ? "" : e.field());
                data.put("keysError", error);
                return pages.page(400, "portal-environments.ftl", data);
            }
            Map<String, Object> data = environmentsPage(partner, current);
            data.put("keysRegistered", environment.id());
            return pages.page(200, "portal-environments.ftl", data);
        });
    }

    /** Removes an environment's keys: back to a fresh secret, shown once as a rotation's is. */
    @POST
    @Path("environments/{env}/keys/remove")
    public Response removeKeys(@PathParam("env") String env) {
        PortalPages pages = new PortalPages(session, realm);
        return guard(pages, () -> {
            PortalSessions.Current current = requireSession(pages);
            PartnerEntity partner = partnerOf(pages, current);
            requireCsrf(pages, current, form());
            Environment environment = Environment.parse("environment", env);
            PartnerKeys.SecretIssued issued = new PartnerKeys(session, realm)
                    .remove(partner, environment, new Actor.Partner(partner.getId(), null));
            Map<String, Object> data = environmentsPage(partner, current);
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("environment", issued.environment());
            shown.put("clientId", issued.clientId());
            shown.put("clientSecret", issued.clientSecret());
            shown.put("keysRemoved", true);
            data.put("rotated", shown);
            return pages.page(200, "portal-environments.ftl", data);
        });
    }

    private Map<String, Object> environmentsPage(PartnerEntity partner, PortalSessions.Current current) {
        PartnerSelfService.Me me = new PartnerSelfService(session, realm).me(partner, scope(partner));
        List<Map<String, Object>> environments = new ArrayList<>();
        long now = Instant.now().toEpochMilli();
        List<PartnerSelfService.EnvironmentStatus> ordered = new ArrayList<>(me.environments());
        // Promotion order (dev, stage, prod), not the stored alphabetical one.
        ordered.sort(java.util.Comparator.comparing(s -> Environment.parse("environment", s.name())));
        for (PartnerSelfService.EnvironmentStatus s : ordered) {
            Map<String, Object> env = new LinkedHashMap<>();
            env.put("name", s.name());
            env.put("clientId", s.clientId());
            env.put("enabled", s.enabled());
            env.put("tokenUrl", s.tokenUrl());
            env.put("authMethod", s.authMethod());
            List<Map<String, Object>> keys = new ArrayList<>();
            for (Jwks.KeyView key : s.keys() == null ? List.<Jwks.KeyView>of() : s.keys()) {
                Map<String, Object> shownKey = new LinkedHashMap<>();
                shownKey.put("kid", key.kid());
                shownKey.put("kty", key.kty());
                shownKey.put("alg", key.alg() == null ? "" : key.alg());
                shownKey.put("detail", key.crv() != null ? key.crv() : key.bits() + " bits");
                keys.add(shownKey);
            }
            env.put("keys", keys);
            env.put("secretCreatedAt", shown(s.secretCreatedAt()));
            if (s.secretCreatedAt() != null) {
                env.put("secretAgeDays", Duration.ofMillis(now - Instant.parse(s.secretCreatedAt()).toEpochMilli()).toDays());
            }
            env.put("secretExpiresAt", shown(s.secretExpiresAt()));
            env.put("secretExpiresSoon", s.secretExpiresSoon());
            env.put("previousSecretValidUntil", shown(s.previousSecretValidUntil()));
            environments.add(env);
        }
        Map<String, Object> data = sessionPage(partner, current);
        data.put("environments", environments);
        data.put("graceSeconds", partner.getIntegration().getRotationGraceSeconds());
        // No grace where Keycloak cannot give one: the form then says so and always revokes.
        data.put("graceAvailable", PartnerSelfService.rotationGraceAvailable() && partner.getIntegration().getRotationGraceSeconds() > 0);
        return data;
    }

    // ---------------------------------------------------------------- history

    @GET
    @Path("history")
    public Response history(@QueryParam("first") String first, @QueryParam("max") String max) {
        PortalPages pages = new PortalPages(session, realm);
        return guard(pages, () -> {
            PortalSessions.Current current = requireSession(pages);
            PartnerEntity partner = partnerOf(pages, current);
            Paging paging = Paging.of(first, max == null ? HISTORY_PAGE_SIZE : max);
            Map<String, Object> data = sessionPage(partner, current);
            List<PartnerSelfService.HistoryEntry> entries = new PartnerSelfService(session, realm).history(partner, EnumSet.allOf(Environment.class), paging);
            data.put("auditStored", entries != null);
            List<Map<String, Object>> rows = new ArrayList<>();
            if (entries != null) {
                for (PartnerSelfService.HistoryEntry e : entries) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("time", shown(e.time()));
                    row.put("resourceType", e.resourceType());
                    row.put("operation", e.operation());
                    row.put("principal", e.principal() == null ? "" : e.principal());
                    row.put("details", details(e.representation()));
                    rows.add(row);
                }
            }
            data.put("entries", rows);
            data.put("first", paging.first());
            data.put("max", paging.max());
            data.put("hasPrevious", paging.first() > 0);
            data.put("previousFirst", Math.max(0, paging.first() - paging.max()));
            data.put("hasNext", rows.size() == paging.max());
            data.put("nextFirst", paging.end());

            data.put("loginEventsStored", PartnerLoginFailures.stored(realm));
            List<Map<String, Object>> failures = new ArrayList<>();
            for (PartnerLoginFailures.Failure f : PartnerLoginFailures.recent(session, realm, partner, scope(partner), FAILURES_SHOWN)) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("time", shown(f.time()));
                row.put("environment", f.environment());
                row.put("clientId", f.clientId());
                row.put("error", f.error() == null ? "" : f.error());
                row.put("ipAddress", f.ipAddress() == null ? "" : f.ipAddress());
                failures.add(row);
            }
            data.put("failures", failures);
            return pages.page(200, "portal-history.ftl", data);
        });
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

    // ---------------------------------------------------------------- events: topic grants and promotions

    @GET
    @Path("events")
    public Response events() {
        PortalPages pages = new PortalPages(session, realm);
        return guard(pages, () -> {
            PortalSessions.Current current = requireSession(pages);
            PartnerEntity partner = partnerOf(pages, current);
            return eventsPage(pages, partner, current, 200, Map.of());
        });
    }

    /** A topic request, as the API's POST /me/grants but for any of the partner's open environments. */
    @POST
    @Path("events/grants")
    public Response requestGrant() {
        PortalPages pages = new PortalPages(session, realm);
        return guard(pages, () -> {
            PortalSessions.Current current = requireSession(pages);
            PartnerEntity partner = partnerOf(pages, current);
            MultivaluedMap<String, String> form = form();
            requireCsrf(pages, current, form);
            Map<String, Object> typed = new HashMap<>();
            typed.put("topic", form.getFirst("topic") == null ? "" : form.getFirst("topic"));
            typed.put("environment", form.getFirst("environment") == null ? "" : form.getFirst("environment"));
            List<String> scopes = form.get("scope") == null ? List.of() : form.get("scope");
            typed.put("scopes", scopes);
            return eventsAction(pages, partner, current, typed, () -> {
                Environment env = Environment.parse("environment", form.getFirst("environment"));
                GrantView grant = new GrantService(session, realm).request(partner, env,
                        new GrantService.GrantInput(form.getFirst("topic"), scopes), new Actor.Partner(partner.getId(), null));
                Map<String, Object> outcome = PortalEventsPage.grant(grant);
                outcome.put("kind", "requested");
                return outcome;
            });
        });
    }

    @POST
    @Path("events/grants/{grantId}/withdraw")
    public Response withdrawGrant(@PathParam("grantId") String grantId) {
        PortalPages pages = new PortalPages(session, realm);
        return guard(pages, () -> {
            PortalSessions.Current current = requireSession(pages);
            PartnerEntity partner = partnerOf(pages, current);
            requireCsrf(pages, current, form());
            return eventsAction(pages, partner, current, Map.of(), () -> {
                GrantView grant = new GrantService(session, realm).withdraw(partner, scope(partner), grantId,
                        new Actor.Partner(partner.getId(), null));
                Map<String, Object> outcome = PortalEventsPage.grant(grant);
                outcome.put("kind", "withdrawn");
                return outcome;
            });
        });
    }

    @POST
    @Path("events/promotion/{env}")
    public Response requestPromotion(@PathParam("env") String env) {
        PortalPages pages = new PortalPages(session, realm);
        return guard(pages, () -> {
            PortalSessions.Current current = requireSession(pages);
            PartnerEntity partner = partnerOf(pages, current);
            requireCsrf(pages, current, form());
            return eventsAction(pages, partner, current, Map.of(), () -> {
                PromotionView promotion = new PromotionService(session, realm).request(partner,
                        Environment.parse("environment", env), new Actor.Partner(partner.getId(), null));
                Map<String, Object> outcome = new LinkedHashMap<>();
                outcome.put("kind", "promotion");
                outcome.put("from", promotion.from());
                outcome.put("to", promotion.to());
                outcome.put("status", promotion.status());
                return outcome;
            });
        });
    }

    /**
     * Runs a grant or promotion change and answers the events page with its outcome. A refusal of the service
     * (not in the catalog, already granted, environment not open, bad topic…) answers the same page with its status,
     * the reason and the form as it was typed; the exception has already rolled the request back.
     */
    private Response eventsAction(PortalPages pages, PartnerEntity partner, PortalSessions.Current current,
                                  Map<String, Object> typed, Supplier<Map<String, Object>> change) {
        try {
            Map<String, Object> outcome = change.get();
            return eventsPage(pages, partner, current, 200, Map.of("outcome", outcome));
        } catch (ApiException e) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", e.code() == null ? "" : e.code());
            error.put("textKey", eventErrorKey(e.code()));
            error.put("detail", e.getMessage() == null ? "" : e.getMessage());
            Map<String, Object> extra = new HashMap<>();
            extra.put("error", error);
            extra.put("typed", typed);
            return eventsPage(pages, partner, current, e.getResponse().getStatus(), extra);
        }
    }

    private Response eventsPage(PortalPages pages, PartnerEntity partner, PortalSessions.Current current, int status,
                                Map<String, Object> extra) {
        Map<String, Object> data = sessionPage(partner, current);
        data.putAll(PortalEventsPage.values(session, realm, partner, scope(partner)));
        data.putAll(extra);
        return pages.page(status, "portal-events.ftl", data);
    }

    private static String eventErrorKey(String code) {
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

    // ---------------------------------------------------------------- sign out

    @POST
    @Path("logout")
    public Response logout() {
        PortalPages pages = new PortalPages(session, realm);
        return guard(pages, () -> {
            PortalSessions.Current current = requireSession(pages);
            PartnerEntity partner = new PartnerService(session, realm).get(current.entity().getPartnerId());
            pages.framedFor(partner.getIntegration());
            requireCsrf(pages, current, form());
            sessions.end(current);
            pages.clearCookie(PortalSessions.SESSION_COOKIE);
            return message(pages, 200, "signedOut");
        });
    }

    // ---------------------------------------------------------------- helpers

    /** Runs a handler; a refusal answers its page, a service error its message page, with nothing of it kept. */
    private Response guard(PortalPages pages, Supplier<Response> handler) {
        try {
            return handler.get();
        } catch (Refusal r) {
            session.getTransactionManager().setRollbackOnly();
            return r.response;
        } catch (ApiException e) {
            session.getTransactionManager().setRollbackOnly();
            Response page = message(pages, e.getResponse().getStatus(), messageKey(e.code()), e.getMessage());
            String retryAfter = e.getResponse().getHeaderString("Retry-After");
            return retryAfter == null ? page : Response.fromResponse(page).header("Retry-After", retryAfter).build();
        }
    }

    private static String messageKey(String code) {
        return switch (code == null ? "" : code) {
            case "not_found" -> "notFound";
            case "link_used" -> "linkUsed";
            case "link_expired" -> "linkExpired";
            case "partner_suspended" -> "partnerSuspended";
            case "partner_offboarded" -> "partnerOffboarded";
            default -> "requestFailed";
        };
    }

    private Response message(PortalPages pages, int status, String key) {
        return message(pages, status, key, null);
    }

    private Response message(PortalPages pages, int status, String key, String detail) {
        return pages.message(status, key, "requestFailed".equals(key) ? detail : null);
    }

    private Refusal refusal(PortalPages pages, int status, String key) {
        return new Refusal(message(pages, status, key));
    }

    /** The partner a link belongs to (any state of the link), so that even its error page is framed for its integration. */
    private PartnerEntity partnerOfLink(PortalPages pages, String linkId) {
        LinkEntity link = new LinkService(session, realm).lookup(linkId);
        if (link == null) {
            // A well-formed unknown id is a guess: counted like the API's (429 after too many).
            throw Secrets.looksLike("", linkId)
                    ? FailureThrottle.failed(session, realm, FailureThrottle.Kind.LINK, ApiException.notFound("Link"))
                    : ApiException.notFound("Link");
        }
        PartnerEntity partner = new PartnerService(session, realm).get(link.getPartnerId());
        pages.framedFor(partner.getIntegration());
        return partner;
    }

    private PortalSessions.Current requireSession(PortalPages pages) {
        PortalSessions.Current current = sessions.current();
        if (current == null) {
            throw refusal(pages, 401, "sessionEnded");
        }
        return current;
    }

    private PartnerEntity partnerOf(PortalPages pages, PortalSessions.Current current) {
        PartnerEntity partner = new PartnerService(session, realm).get(current.entity().getPartnerId());
        pages.framedFor(partner.getIntegration());
        requireUsable(partner);
        return partner;
    }

    private static void requireUsable(PartnerEntity partner) {
        if (partner.getStatus() == PartnerStatus.OFFBOARDED) {
            throw ApiException.gone("partner_offboarded", "This partner has been offboarded.");
        }
        if (partner.getStatus() == PartnerStatus.SUSPENDED) {
            throw ApiException.forbidden("partner_suspended", "This partner is suspended.");
        }
    }

    /** Constant-time comparison of the form's token with the session's; a mismatch changes nothing. */
    private void requireCsrf(PortalPages pages, PortalSessions.Current current, MultivaluedMap<String, String> form) {
        if (!current.csrfMatches(form.getFirst("csrf"))) {
            throw refusal(pages, 403, "formExpired");
        }
    }

    private MultivaluedMap<String, String> form() {
        return session.getContext().getHttpRequest().getDecodedFormParameters();
    }

    /** The portal acts on every environment of the partner (the API on its token's one). */
    private static Set<Environment> scope(PartnerEntity partner) {
        Set<Environment> envs = partner.getIntegration().getEnvironments();
        return envs.isEmpty() ? EnumSet.noneOf(Environment.class) : EnumSet.copyOf(envs);
    }

    private Map<String, Object> sessionPage(PartnerEntity partner, PortalSessions.Current current) {
        Map<String, Object> data = branding(partner);
        data.put("csrf", current.csrfToken());
        data.put("signedIn", true);
        return data;
    }

    /** Who invites and who is invited: names, colour and icon, re-checked before they reach a page. */
    private static Map<String, Object> branding(PartnerEntity partner) {
        Map<String, Object> data = new HashMap<>();
        data.put("integrationName", partner.getIntegration().getName());
        data.put("appName", partner.getAppName() == null ? "" : partner.getAppName());
        data.put("appDescription", partner.getAppDescription() == null ? "" : partner.getAppDescription());
        JsonNode metadata = partner.getMetadata() == null ? null : Json.readStored(partner.getMetadata(), JsonNode.class);
        String color = metadata == null ? null : metadata.path("color").asText(null);
        if (Checks.isColor(color)) {
            data.put("color", color);
        }
        String icon = metadata == null ? null : metadata.path("icon").asText(null);
        if (icon != null && icon.startsWith("https://")) {
            data.put("icon", icon);
        }
        data.put("signedIn", false);
        return data;
    }

    static String shown(String iso) {
        return iso == null ? null : SHOWN.format(Instant.parse(iso));
    }
}
