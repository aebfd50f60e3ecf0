package io.ensync.keycloak.partner;

import org.keycloak.models.ClientModel;

/**
 * The times of Keycloak's client-secret rotation (epoch seconds), read and written as the client attributes Keycloak
 * stores them in. {@code OIDCClientSecretConfigWrapper}'s typed accessors changed from {@code int} to {@code long}
 * in Keycloak 26.7, so a jar calling them links on one side of that change only; the attributes are the same on
 * every supported version (26.4 to 26.7). The wrapper's boolean checks and {@code setClientRotatedSecret} kept their
 * signatures and are still used.
 */
final class SecretTimes {

    static final String CREATION = "client.secret.creation.time";
    static final String EXPIRATION = "client.secret.expiration.time";
    static final String ROTATED_CREATION = "client.secret.rotated.creation.time";
    static final String ROTATED_EXPIRATION = "client.secret.rotated.expiration.time";

    private SecretTimes() {
    }

    /** The attribute's seconds, or 0 when it is absent or blank (as Keycloak reads it). */
    static long get(ClientModel client, String attribute) {
        String value = client.getAttribute(attribute);
        return value == null || value.isBlank() ? 0 : Long.parseLong(value.trim());
    }

    static void set(ClientModel client, String attribute, long seconds) {
        client.setAttribute(attribute, String.valueOf(seconds));
    }
}
