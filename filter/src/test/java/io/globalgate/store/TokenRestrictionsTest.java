package io.globalgate.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The stored values of a token's restrictions: the scopes' codes, and the smallest rate limit there is. */
class TokenRestrictionsTest {

    @Test
    void eachScopeIsReadBackFromItsStoredCode() {
        assertEquals("read-write", TokenRestrictions.Scope.READ_WRITE.code());
        assertEquals("read-only", TokenRestrictions.Scope.READ_ONLY.code());
        for (TokenRestrictions.Scope scope : TokenRestrictions.Scope.values()) {
            assertEquals(scope, TokenRestrictions.Scope.fromCode(scope.code()));
        }
        assertNull(TokenRestrictions.Scope.fromCode("READ_ONLY"));
    }

    @Test
    void aRateLimitNeedsAtLeastOneRequestPerMinuteAndABurstOfOne() {
        assertEquals(1, new TokenRestrictions.RateLimit(1, 1).requestsPerMinute());
        for (int[] bad : new int[][] {{0, 1}, {1, 0}, {-1, 5}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TokenRestrictions.RateLimit(bad[0], bad[1]));
            assertEquals("a rate limit needs at least 1 request per minute and a burst of at least 1", e.getMessage());
        }
    }
}
