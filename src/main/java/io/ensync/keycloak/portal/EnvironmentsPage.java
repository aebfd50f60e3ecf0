package io.ensync.keycloak.portal;

import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.partner.Jwks;
import io.ensync.keycloak.partner.PartnerKeys;
import io.ensync.keycloak.partner.PartnerSelfService;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The environments page (portal-environments.ftl): each environment's client, secret age and keys; rotating a
 * secret and registering or removing public keys, through the same services as the partner API. A new secret is
 * shown once, on the answer of the change.
 */
final class EnvironmentsPage {

    record Model(List<Row> environments, int graceSeconds, boolean graceAvailable, Shown rotated, KeysError keysError,
                 String keysRegistered) {
    }

    record Row(String name, String clientId, boolean enabled, String tokenUrl, String authMethod, List<Key> keys,
               String secretCreatedAt, Long secretAgeDays, String secretExpiresAt, boolean secretExpiresSoon,
               String previousSecretValidUntil) {
    }

    record Key(String kid, String kty, String alg, String detail) {
    }

    /** A new secret, shown once: after a rotation (with the previous one's grace), or after the keys were removed. */
    record Shown(String environment, String clientId, String clientSecret, String previousSecretValidUntil,
                 Boolean keysRemoved) {
    }

    record KeysError(String environment, String message, String field) {
    }

    private final SignedIn signedIn;
    private final PartnerSelfService self;

    EnvironmentsPage(SignedIn signedIn) {
        this.signedIn = signedIn;
        this.self = new PartnerSelfService(signedIn.request().session(), signedIn.request().realm());
    }

    Response show() {
        return page(200, null, null, null);
    }

    Response rotate(String env) {
        Environment environment = Environment.parse("environment", env);
        boolean revokePrevious = "true".equals(signedIn.request().form().getFirst("revokePrevious"));
        PartnerSelfService.RotatedSecret rotated = self.rotateSecret(signedIn.partner(), environment, revokePrevious, signedIn.actor());
        return page(200, new Shown(rotated.environment(), rotated.clientId(), rotated.clientSecret(),
                PortalPages.shown(rotated.previousSecretValidUntil()), null), null, null);
    }

    /** Registers (replaces) an environment's public keys, pasted as a JWK Set, one JWK or PEM; a refusal is shown on the page. */
    Response registerKeys(String env) {
        Environment environment = Environment.parse("environment", env);
        try {
            keys().register(signedIn.partner(), environment, Jwks.parsePasted(signedIn.request().form().getFirst("keys")),
                    signedIn.actor());
        } catch (ApiException e) {
            if (e.getResponse().getStatus() != 400) {
                throw e;
            }
            return page(400, null, new KeysError(environment.id(), e.getMessage(), e.field() == null ? "" : e.field()), null);
        }
        return page(200, null, null, environment.id());
    }

    /** Removes an environment's keys: back to a fresh secret, shown once as a rotation's is. */
    Response removeKeys(String env) {
        Environment environment = Environment.parse("environment", env);
        PartnerKeys.SecretIssued issued = keys().remove(signedIn.partner(), environment, signedIn.actor());
        return page(200, new Shown(issued.environment(), issued.clientId(), issued.clientSecret(), null, true), null, null);
    }

    private PartnerKeys keys() {
        return new PartnerKeys(signedIn.request().session(), signedIn.request().realm());
    }

    private Response page(int status, Shown rotated, KeysError keysError, String keysRegistered) {
        long now = Times.now();
        List<Row> environments = self.me(signedIn.partner(), signedIn.scope()).environments().stream()
                // Promotion order (dev, stage, prod), not the stored alphabetical one.
                .sorted(Comparator.comparing(s -> Environment.parse("environment", s.name())))
                .map(s -> new Row(s.name(), s.clientId(), s.enabled(), s.tokenUrl(), s.authMethod(), keys(s.keys()),
                        PortalPages.shown(s.secretCreatedAt()),
                        s.secretCreatedAt() == null ? null
                                : Duration.ofMillis(now - Instant.parse(s.secretCreatedAt()).toEpochMilli()).toDays(),
                        PortalPages.shown(s.secretExpiresAt()), s.secretExpiresSoon(),
                        PortalPages.shown(s.previousSecretValidUntil())))
                .toList();
        int grace = signedIn.partner().getIntegration().getRotationGraceSeconds();
        // No grace where Keycloak cannot give one: the form then says so and always revokes.
        Model model = new Model(environments, grace, PartnerSelfService.rotationGraceAvailable() && grace > 0,
                rotated, keysError, keysRegistered);
        return signedIn.pages().page(status, "portal-environments.ftl", signedIn.frame(), model);
    }

    private static List<Key> keys(List<Jwks.KeyView> keys) {
        return (keys == null ? List.<Jwks.KeyView>of() : keys).stream()
                .map(key -> new Key(key.kid(), key.kty(), key.alg() == null ? "" : key.alg(),
                        key.crv() != null ? key.crv() : key.bits() + " bits"))
                .toList();
    }
}
