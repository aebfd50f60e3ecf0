package io.ensync.keycloak.it.support;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Unique, URL-safe names, so tests never collide with each other or with data that survived a restart. */
public final class Names {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Names() {
    }

    /** For example {@code realm-7-k3x9q2}: a counter for readability in logs, a random part for uniqueness. */
    public static String unique(String prefix) {
        String random = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36), 36);
        return prefix + "-" + COUNTER.incrementAndGet() + "-" + random;
    }
}
