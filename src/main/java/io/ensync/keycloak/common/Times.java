package io.ensync.keycloak.common;

import org.keycloak.common.util.Time;

import java.time.Instant;

/** Clock and wire format of times: Keycloak's clock (so server-side time offsets apply), ISO-8601 in JSON. */
public final class Times {

    private Times() {
    }

    public static long now() {
        return Time.currentTimeMillis();
    }

    public static String iso(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
