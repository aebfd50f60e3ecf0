package io.ensync.keycloak.access;

import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.ErrorCode;

import java.util.Locale;

/**
 * An access request's life: submitted ({@code UNVERIFIED}, seen by nobody but its contact until the address is
 * verified; expires after 24 h), verified ({@code PENDING}, waiting for a decision), decided.
 */
public enum AccessRequestStatus {
    UNVERIFIED, PENDING, APPROVED, DENIED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A status filter of a list: only what admins may see (an unverified request is nobody's business yet). */
    static AccessRequestStatus parseVisible(String value) {
        for (AccessRequestStatus s : values()) {
            if (s != UNVERIFIED && s.id().equals(value)) {
                return s;
            }
        }
        throw ApiException.of(ErrorCode.INVALID_QUERY, "status must be pending, approved or denied.", "status");
    }
}
