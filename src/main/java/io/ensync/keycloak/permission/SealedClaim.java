package io.ensync.keycloak.permission;

import io.ensync.keycloak.common.Hmac;
import io.ensync.keycloak.common.Json;

import javax.crypto.SecretKey;
import java.util.List;

/**
 * The token claim of one partner client as stored on the client (attribute {@value #ATTR}), sealed with the realm's
 * HMAC key and bound to the client's internal id: {@code v1.<mac>.<json>}. Keycloak's client cache serves it to the
 * token mapper without a query; whoever may edit the client's attributes through Keycloak's admin API (fine-grained
 * client permissions) cannot forge or move it, because a value that does not verify is never read.
 */
public record SealedClaim(String partner, String env, List<String> send, List<String> receive) {

    public static final String ATTR = "ensync.claim";
    private static final String VERSION = "v1.";
    private static final String PURPOSE = "ensync-claim";

    public String seal(SecretKey key, String clientUuid) {
        String json = Json.write(this);
        return VERSION + Hmac.sign(key, PURPOSE, clientUuid + "." + json) + "." + json;
    }

    /** The claim a stored value holds, or null when it is absent, malformed, or not sealed for this client. */
    public static SealedClaim open(SecretKey key, String clientUuid, String stored) {
        if (key == null || stored == null || !stored.startsWith(VERSION)) {
            return null;
        }
        int dot = stored.indexOf('.', VERSION.length());
        if (dot < 0) {
            return null;
        }
        String mac = stored.substring(VERSION.length(), dot);
        String json = stored.substring(dot + 1);
        if (!Hmac.matches(Hmac.sign(key, PURPOSE, clientUuid + "." + json), mac)) {
            return null;
        }
        return Json.readStored(json, SealedClaim.class);
    }
}
