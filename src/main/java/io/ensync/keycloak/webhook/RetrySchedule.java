package io.ensync.keycloak.webhook;

/**
 * Standard Webhooks' retry schedule: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, and every 10 h after, for 18
 * attempts in all (a little over 5 days; at least 3). An endpoint failing for 5 days in a row is disabled.
 */
final class RetrySchedule {

    static final int MAX_ATTEMPTS = 18;
    static final long DISABLE_AFTER_MILLIS = 5L * 24 * 3600 * 1000;
    private static final long[] DELAYS_MILLIS = {5_000L, 300_000L, 1_800_000L, 7_200_000L, 18_000_000L, 36_000_000L};

    private RetrySchedule() {
    }

    /** The delay before the next attempt after {@code attemptsMade} failed ones, or -1 when there is none. */
    static long delayAfter(int attemptsMade) {
        if (attemptsMade < 1) {
            return 0;
        }
        if (attemptsMade >= MAX_ATTEMPTS) {
            return -1;
        }
        return DELAYS_MILLIS[Math.min(attemptsMade, DELAYS_MILLIS.length) - 1];
    }
}
