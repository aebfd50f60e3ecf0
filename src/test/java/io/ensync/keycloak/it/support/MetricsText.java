package io.ensync.keycloak.it.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Keycloak's {@code /metrics} (the Prometheus text format), read as a scraper reads it. */
public final class MetricsText {

    private MetricsText() {
    }

    public static String scrape(KeycloakServer server) {
        return new Http(server.managementUrl(), false).request("GET", "/metrics").send().expect(200).body();
    }

    /** The value of the first series of {@code name} whose labels include each of {@code labels} ({@code key="value"}), or null. */
    public static Double value(String metrics, String name, String... labels) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} ([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(metrics);
        while (m.find()) {
            String found = m.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= found.contains(label);
            }
            if (all) {
                return Double.parseDouble(m.group(2));
            }
        }
        return null;
    }

    /** {@link #value}, which must be there. */
    public static double required(String metrics, String name, String... labels) {
        Double value = value(metrics, name, labels);
        if (value == null) {
            throw new AssertionError("no " + name + " with " + String.join(", ", labels) + " in the metrics");
        }
        return value;
    }

    public static String realm(String realm) {
        return "realm=\"" + realm + "\"";
    }
}
