package io.globalgate.admin.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TokenStatusTest {

    private static final Instant NOW = Instant.parse("2030-01-15T10:00:00Z");

    @Test
    void aTokenIsExpiredFromItsExpiryOn() {
        assertEquals(TokenStatus.ACTIVE, TokenStatus.of(null, NOW.plusMillis(1), NOW));
        assertEquals(TokenStatus.EXPIRED, TokenStatus.of(null, NOW, NOW));
        assertEquals(TokenStatus.EXPIRED, TokenStatus.of(null, NOW.minusSeconds(1), NOW));
        assertEquals(TokenStatus.ACTIVE, TokenStatus.of(null, null, NOW));
    }

    @Test
    void revocationWinsOverExpiry() {
        assertEquals(TokenStatus.REVOKED, TokenStatus.of(NOW.minusSeconds(5), NOW.minusSeconds(1), NOW));
        assertEquals(TokenStatus.REVOKED, TokenStatus.of(NOW, null, NOW));
    }

    @Test
    void statusesHaveTheApisLowerCaseCodes() {
        assertEquals("active", TokenStatus.ACTIVE.code());
        assertEquals(TokenStatus.EXPIRED, TokenStatus.fromCode("expired"));
        assertEquals(TokenStatus.REVOKED, TokenStatus.fromCode("revoked"));
        assertNull(TokenStatus.fromCode("REVOKED"));
        assertNull(TokenStatus.fromCode("' OR '1'='1"));
        assertNull(TokenStatus.fromCode(null));
    }
}
