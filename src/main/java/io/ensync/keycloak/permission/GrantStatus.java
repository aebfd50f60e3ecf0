package io.ensync.keycloak.permission;

import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.ErrorCode;

import java.util.Locale;

/** A grant's life: requested (pending), decided (approved or denied), ended (revoked by an admin, withdrawn by the partner). */
public enum GrantStatus {
    PENDING, APPROVED, DENIED, REVOKED, WITHDRAWN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static GrantStatus parse(String field, String value) {
        for (GrantStatus s : values()) {
            if (s.id().equals(value)) {
                return s;
            }
        }
        throw ApiException.of(ErrorCode.INVALID_QUERY, field + " must be pending, approved, denied, revoked or withdrawn.", field);
    }
}
