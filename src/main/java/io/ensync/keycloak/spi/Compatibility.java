package io.ensync.keycloak.spi;

import org.jboss.logging.Logger;
import org.keycloak.common.Profile;
import org.keycloak.common.Version;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Which Keycloak the extension runs on. The jar supports Keycloak 26.4 to 26.7 (SPEC §1; the test command's
 * compatibility matrix, docs/compatibility.md); the admin console (admin theme {@code ensync}) is built from one
 * Keycloak version's admin UI and is only offered on that minor.
 */
public final class Compatibility {

    private static final Logger LOG = Logger.getLogger(Compatibility.class);

    /** The supported range, inclusive, as major.minor. */
    static final int[] OLDEST = {26, 4};
    static final int[] NEWEST = {26, 7};

    private static final Properties BUILD = load();

    private Compatibility() {
    }

    /** This jar's version (pom.xml). */
    public static String extensionVersion() {
        return BUILD.getProperty("version", "unknown");
    }

    /** The Keycloak version whose {@code @keycloak/keycloak-admin-ui} the admin theme {@code ensync} is built from. */
    public static String adminConsoleVersion() {
        return BUILD.getProperty("adminConsole.keycloakVersion", "unknown");
    }

    /** The running server's version. */
    public static String keycloakVersion() {
        return Version.VERSION;
    }

    /** Whether the admin theme {@code ensync} fits the running server: the same major.minor it was built from. */
    public static boolean adminConsoleFits() {
        return sameMinor(keycloakVersion(), adminConsoleVersion());
    }

    static boolean supported(String version) {
        int[] v = minor(version);
        return v != null && compare(v, OLDEST) >= 0 && compare(v, NEWEST) <= 0;
    }

    static boolean sameMinor(String a, String b) {
        int[] x = minor(a);
        int[] y = minor(b);
        return x != null && y != null && compare(x, y) == 0;
    }

    /** major.minor of a version such as {@code 26.4.7} or {@code 26.5.0-SNAPSHOT}; null if it has none. */
    static int[] minor(String version) {
        if (version == null) {
            return null;
        }
        String[] parts = version.split("[.-]");
        try {
            return parts.length < 2 ? null : new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int compare(int[] a, int[] b) {
        return a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]);
    }

    /** The start-up line (INFO, or WARN outside the supported range) and the admin console's decision. */
    static void logStartup() {
        String keycloak = keycloakVersion();
        List<String> features = new ArrayList<>();
        features.add(feature("client-secret-rotation", Profile.Feature.CLIENT_SECRET_ROTATION));
        features.add(feature("admin-fine-grained-authz", Profile.Feature.ADMIN_FINE_GRAINED_AUTHZ));
        features.add(feature("admin-fine-grained-authz:v2", Profile.Feature.ADMIN_FINE_GRAINED_AUTHZ_V2));
        String range = OLDEST[0] + "." + OLDEST[1] + " to " + NEWEST[0] + "." + NEWEST[1];
        boolean supported = supported(keycloak);
        String line = String.format("EnSync Partner Onboarding %s on Keycloak %s (%s the supported range %s); features: %s",
                extensionVersion(), keycloak, supported ? "within" : "OUTSIDE", range, String.join(", ", features));
        if (supported) {
            LOG.info(line);
        } else {
            LOG.warn(line + ". Untested on this version: the partner endpoint, redemption, permissions, portal and "
                    + "audit may fail (the extension uses Keycloak's public server SPIs of " + range + " only).");
        }
        if (!Profile.isFeatureEnabled(Profile.Feature.CLIENT_SECRET_ROTATION)) {
            LOG.warn("EnSync: Keycloak's client-secret-rotation feature is off: Keycloak does not accept a partner's "
                    + "previous secret during a rotation's grace period (start Keycloak with --features=client-secret-rotation)");
        }
        if (!adminConsoleFits()) {
            LOG.warnf("EnSync: the admin theme 'ensync' is built for Keycloak %s and is not offered on Keycloak %s; "
                    + "realms use the stock admin console (EnSync's admin pages need a jar built for this minor, "
                    + "docs/compatibility.md); the admin REST API works as documented", adminConsoleVersion(), keycloak);
        }
    }

    private static String feature(String name, Profile.Feature feature) {
        return name + (Profile.isFeatureEnabled(feature) ? " on" : " off");
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = Compatibility.class.getResourceAsStream("/META-INF/ensync-build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
