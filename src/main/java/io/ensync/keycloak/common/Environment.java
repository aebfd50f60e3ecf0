package io.ensync.keycloak.common;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The deployment stages a partner moves through, in promotion order. */
public enum Environment {
    DEV, STAGE, PROD;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Environment parse(String field, String value) {
        if (value != null) {
            for (Environment env : values()) {
                if (env.id().equals(value)) {
                    return env;
                }
            }
        }
        throw ApiException.invalid(field, "'" + value + "' is not an environment; use dev, stage or prod.");
    }

    /** Validates a list given by a client: known names, no repeats, at least one. */
    public static Set<Environment> parseSet(String field, List<String> values) {
        if (values.isEmpty()) {
            throw ApiException.invalid(field, "The field '" + field + "' needs at least one environment.");
        }
        Set<Environment> result = EnumSet.noneOf(Environment.class);
        for (int i = 0; i < values.size(); i++) {
            if (!result.add(parse(field + "[" + i + "]", values.get(i)))) {
                throw ApiException.invalid(field, "The field '" + field + "' names an environment twice.");
            }
        }
        return result;
    }

    /** The environment after {@code from} among {@code environments} (an integration's), in promotion order; null if none. */
    public static Environment next(Set<Environment> environments, Environment from) {
        if (environments.contains(from)) {
            for (Environment env : values()) {
                if (env.compareTo(from) > 0 && environments.contains(env)) {
                    return env;
                }
            }
        }
        return null;
    }

    /** Stored form: {@code dev,stage,prod}. */
    public static String join(Set<Environment> envs) {
        return String.join(",", ids(envs));
    }

    public static Set<Environment> split(String stored) {
        Set<Environment> result = EnumSet.noneOf(Environment.class);
        if (stored != null && !stored.isEmpty()) {
            for (String id : stored.split(",")) {
                result.add(valueOf(id.toUpperCase(Locale.ROOT)));
            }
        }
        return result;
    }

    public static List<String> ids(Set<Environment> envs) {
        List<String> ids = new ArrayList<>(envs.size());
        for (Environment env : envs) {
            ids.add(env.id());
        }
        return ids;
    }
}
