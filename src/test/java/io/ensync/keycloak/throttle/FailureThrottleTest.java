package io.ensync.keycloak.throttle;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The throttle's count: 10 failures a minute are answered as themselves, the 11th blocks for a minute. */
class FailureThrottleTest {

    /**
     * Failures of one address at the given times (milliseconds); for each, the end of the block it answers, or
     * {@code -} for none (the failure itself is answered).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // the 11th failure within the window blocks until a minute after it
            "11 within a window|0,1,2,3,4,5,6,7,8,9,10|-,-,-,-,-,-,-,-,-,-,60010",
            "10 are allowed|0,0,0,0,0,0,0,0,0,0|-,-,-,-,-,-,-,-,-,-",
            // the window is a minute from its first failure; one more millisecond starts a new one
            "window of exactly a minute|0,0,0,0,0,0,0,0,0,0,60000|-,-,-,-,-,-,-,-,-,-,120000",
            "new window after a minute|0,0,0,0,0,0,0,0,0,0,60001,60002|-,-,-,-,-,-,-,-,-,-,-,-",
            // while blocked nothing is counted; the block's end is answered
            "blocked|0,0,0,0,0,0,0,0,0,0,10,30000,60009|-,-,-,-,-,-,-,-,-,-,60010,60010,60010",
            // at the block's end the old window is over: counting starts again
            "after the block|0,0,0,0,0,0,0,0,0,0,10,60010,60011|-,-,-,-,-,-,-,-,-,-,60010,-,-",
            // a block's end within the old window: the window goes on, so the next failure blocks again
            "window outlives the block|0,0,0,0,0,0,0,0,0,0,0,59999,60000|-,-,-,-,-,-,-,-,-,-,60000,60000,120000",
    })
    void count(String scenario, String times, String expected) {
        FailedAttemptEntity attempt = new FailedAttemptEntity("id", "realm", Long.parseLong(times.split(",")[0]));
        List<String> answers = new ArrayList<>();
        for (String t : times.split(",")) {
            Long blockedUntil = FailureThrottle.count(attempt, FailureThrottle.Kind.LINK, Long.parseLong(t));
            answers.add(blockedUntil == null ? "-" : blockedUntil.toString());
        }
        assertEquals(expected, String.join(",", answers));
    }
}
