package io.globalgate.filter;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The seconds the rate-limit headers give: whole seconds, rounded up, 0 only when nothing is left to wait. */
class RateLimitersTest {

    @Test
    void secondsAreRoundedUpAndZeroOnlyWhenNothingIsLeftToWait() {
        assertEquals(0, RateLimiters.seconds(-5));
        assertEquals(0, RateLimiters.seconds(0));
        assertEquals(1, RateLimiters.seconds(1));
        assertEquals(1, RateLimiters.seconds(1_000_000_000L));
        assertEquals(2, RateLimiters.seconds(1_000_000_001L));
        assertEquals(60, RateLimiters.seconds(60_000_000_000L));
    }
}
