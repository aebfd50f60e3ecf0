package io.ensync.keycloak.common;

/**
 * Every error the extension answers: the {@code error.code} of SPEC §3 and the HTTP status it goes with (docs/api.md
 * lists them; {@code ErrorCodeTest} keeps the two equal). A code that means one thing to the caller but is answered
 * with two statuses, depending on whether the caller acts or decides, is two constants with the same code.
 */
public enum ErrorCode {

    // 400: the body, a parameter or a header is wrong; nothing changed
    INVALID_JSON(400, "invalid_json"),
    INVALID_FORM(400, "invalid_form"),
    UNKNOWN_FIELD(400, "unknown_field"),
    DUPLICATE_FIELD(400, "duplicate_field"),
    INVALID_TYPE(400, "invalid_type"),
    MISSING_FIELD(400, "missing_field"),
    TOO_LONG(400, "too_long"),
    INVALID_VALUE(400, "invalid_value"),
    INVALID_QUERY(400, "invalid_query"),
    INVALID_IDEMPOTENCY_KEY(400, "invalid_idempotency_key"),
    NOT_IN_CATALOG(400, "not_in_catalog"),
    WEBHOOK_TARGET_BLOCKED(400, "webhook_target_blocked"),
    JWKS_URL_NOT_ALLOWED(400, "jwks_url_not_allowed"),
    /** A partner's public key that is no usable key (the 401 {@link #INVALID_KEY} is about Integration Keys). */
    MALFORMED_KEY(400, "invalid_key"),
    PRIVATE_KEY(400, "private_key"),
    SYMMETRIC_KEY(400, "symmetric_key"),
    WEAK_KEY(400, "weak_key"),
    UNSUPPORTED_KEY_TYPE(400, "unsupported_key_type"),
    UNSUPPORTED_CURVE(400, "unsupported_curve"),
    DUPLICATE_KEY(400, "duplicate_key"),
    DUPLICATE_KEY_ID(400, "duplicate_key_id"),
    TOO_MANY_KEYS(400, "too_many_keys"),

    // 401: no or an unknown credential, with WWW-Authenticate
    MISSING_CREDENTIALS(401, "missing_credentials"),
    INVALID_KEY(401, "invalid_key"),
    INVALID_TOKEN(401, "invalid_token"),

    // 403: authenticated, not allowed
    INSUFFICIENT_SCOPE(403, "insufficient_scope"),
    KEY_REVOKED(403, "key_revoked"),
    KEY_EXPIRED(403, "key_expired"),
    /** The integration's key acts while the integration is disabled. */
    INTEGRATION_DISABLED(403, "integration_disabled"),
    /** The partner acts (or is given a link) while suspended. */
    PARTNER_SUSPENDED(403, "partner_suspended"),
    NOT_A_PARTNER(403, "not_a_partner"),
    FORBIDDEN(403, "forbidden"),

    NOT_FOUND(404, "not_found"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),

    // 409: the target's state does not allow it (never a 5xx)
    NAME_TAKEN(409, "name_taken"),
    JOIN_SLUG_TAKEN(409, "join_slug_taken"),
    ENVIRONMENTS_LOCKED(409, "environments_locked"),
    AUDIT_NOT_STORED(409, "audit_not_stored"),
    EMAIL_NOT_CONFIGURED(409, "email_not_configured"),
    IDEMPOTENCY_KEY_REUSED(409, "idempotency_key_reused"),
    IDEMPOTENCY_CONFLICT(409, "idempotency_conflict"),
    IDEMPOTENCY_REPLAY_UNAVAILABLE(409, "idempotency_replay_unavailable"),
    IDEMPOTENCY_UNAVAILABLE(409, "idempotency_unavailable"),
    LINK_FOR_PORTAL(409, "link_for_portal"),
    ALREADY_ONBOARDED(409, "already_onboarded"),
    GRANT_EXISTS(409, "grant_exists"),
    GRANT_LIMIT(409, "grant_limit"),
    GRANT_NOT_PENDING(409, "grant_not_pending"),
    GRANT_NOT_ACTIVE(409, "grant_not_active"),
    ENVIRONMENT_NOT_OPEN(409, "environment_not_open"),
    PROMOTION_PENDING(409, "promotion_pending"),
    PROMOTION_NOT_PENDING(409, "promotion_not_pending"),
    ALREADY_PROMOTED(409, "already_promoted"),
    NO_NEXT_ENVIRONMENT(409, "no_next_environment"),
    /** An item of an offboarded partner is decided (the partner itself answers 410 {@link #PARTNER_OFFBOARDED}). */
    PARTNER_OFFBOARDED_CONFLICT(409, "partner_offboarded"),
    /** An item of a suspended partner is decided (the partner acting answers 403 {@link #PARTNER_SUSPENDED}). */
    PARTNER_SUSPENDED_CONFLICT(409, "partner_suspended"),
    /** An access request to a disabled integration is approved (its key acting answers 403). */
    INTEGRATION_DISABLED_CONFLICT(409, "integration_disabled"),
    ACCESS_REQUEST_DECIDED(409, "access_request_decided"),
    ACCESS_REQUEST_LIMIT(409, "access_request_limit"),
    ROTATION_IN_PROGRESS(409, "rotation_in_progress"),
    ROTATION_GRACE_UNAVAILABLE(409, "rotation_grace_unavailable"),
    CREDENTIALS_ARE_KEYS(409, "credentials_are_keys"),
    NO_KEYS(409, "no_keys"),
    WEBHOOK_DISABLED(409, "webhook_disabled"),
    WEBHOOK_LIMIT(409, "webhook_limit"),

    // 410: gone for good
    LINK_USED(410, "link_used"),
    LINK_EXPIRED(410, "link_expired"),
    PARTNER_OFFBOARDED(410, "partner_offboarded"),

    BODY_TOO_LARGE(413, "body_too_large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
    TOO_MANY_ATTEMPTS(429, "too_many_attempts"),
    /** The realm's mail server refused a message the request must send (an access request's confirmation). */
    MAIL_UNAVAILABLE(503, "mail_unavailable");

    private final int status;
    private final String code;

    ErrorCode(int status, String code) {
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** The wire code, {@code error.code}. */
    public String code() {
        return code;
    }
}
