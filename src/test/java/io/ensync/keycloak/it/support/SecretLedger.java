package io.ensync.keycloak.it.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every secret the product handed out during this test run (integration keys, client secrets, link ids), so that
 * the last test can prove none of them reached the server log or the audit trail.
 */
public final class SecretLedger {

    private static final List<String> SECRETS = new CopyOnWriteArrayList<>();

    private SecretLedger() {
    }

    public static String record(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new AssertionError("Not a secret worth tracking: " + secret);
        }
        SECRETS.add(secret);
        return secret;
    }

    public static List<String> all() {
        return List.copyOf(SECRETS);
    }
}
