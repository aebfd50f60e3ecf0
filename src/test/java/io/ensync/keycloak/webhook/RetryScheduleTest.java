package io.ensync.keycloak.webhook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryScheduleTest {

    @ParameterizedTest(name = "after {0} attempts: {1} ms")
    @CsvSource({"0, 0", "1, 5000", "2, 300000", "3, 1800000", "4, 7200000", "5, 18000000", "6, 36000000",
            "7, 36000000", "17, 36000000", "18, -1", "25, -1"})
    void standardWebhooksSchedule(int attempts, long delay) {
        assertEquals(delay, RetrySchedule.delayAfter(attempts));
    }

    @Test
    void retriesForAtLeastThreeDays() {
        long total = 0;
        for (int n = 1; RetrySchedule.delayAfter(n) >= 0; n++) {
            total += RetrySchedule.delayAfter(n);
        }
        assertTrue(total >= 3L * 24 * 3600 * 1000, "total " + total);
        assertTrue(total >= RetrySchedule.DISABLE_AFTER_MILLIS, "retries reach the 5-day disable: " + total);
    }
}
