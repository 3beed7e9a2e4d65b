package io.globalgate.token;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpirationPolicyTest {

    private static final Instant NOW = Instant.parse("2030-01-15T10:00:00.123Z");

    @Test
    void theFixedPoliciesAreTheContractsCodesInFormOrder() {
        assertEquals(List.of("never", "7d", "30d", "60d", "90d", "365d"),
                ExpirationPolicy.FIXED.stream().map(ExpirationPolicy::code).toList());
    }

    @ParameterizedTest
    @CsvSource({"7d, 7", "30d, 30", "60d, 60", "90d, 90", "365d, 365"})
    void aFixedPeriodExpiresThatManyDaysAfterIssue(String code, int days) {
        ExpirationPolicy policy = ExpirationPolicy.fixed(code);
        assertEquals(code, policy.code());
        assertEquals(NOW.plus(Duration.ofDays(days)), policy.expiresAt(NOW));
        assertFalse(policy.isNever());
        assertFalse(policy.isCustom());
    }

    @Test
    void neverHasNoExpiry() {
        assertSame(ExpirationPolicy.NEVER, ExpirationPolicy.fixed("never"));
        assertNull(ExpirationPolicy.NEVER.expiresAt(NOW));
        assertTrue(ExpirationPolicy.NEVER.isNever());
        assertFalse(ExpirationPolicy.NEVER.isCustom());
    }

    @ParameterizedTest
    @ValueSource(strings = {"custom", "8d", "30D", " 30d", "forever", "", "-7d", "0d"})
    void anUnknownCodeIsNoFixedPolicy(String code) {
        assertNull(ExpirationPolicy.fixed(code));
    }

    @Test
    void noCodeIsNoFixedPolicy() {
        assertNull(ExpirationPolicy.fixed(null));
    }

    @Test
    void aCustomPolicyExpiresAtItsInstantWhenever() {
        Instant at = Instant.parse("2031-06-01T00:00:00Z");
        ExpirationPolicy policy = ExpirationPolicy.custom(at);
        assertEquals("custom", policy.code());
        assertTrue(policy.isCustom());
        assertFalse(policy.isNever());
        assertEquals(at, policy.expiresAt(NOW));
        assertEquals(at, policy.expiresAt(NOW.plus(Duration.ofDays(1000))));
        assertEquals("custom(2031-06-01T00:00:00Z)", policy.toString());
    }

    @Test
    void aCustomPolicyNeedsAnInstant() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> ExpirationPolicy.custom(null));
        assertEquals("expiresAt", e.getMessage());
    }

    @Test
    void policiesAreEqualByCodeAndInstant() {
        Instant at = Instant.parse("2031-06-01T00:00:00Z");
        assertEquals(ExpirationPolicy.custom(at), ExpirationPolicy.custom(at));
        assertEquals(ExpirationPolicy.custom(at).hashCode(), ExpirationPolicy.custom(at).hashCode());
        assertNotEquals(ExpirationPolicy.custom(at), ExpirationPolicy.custom(at.plusMillis(1)));
        assertNotEquals(ExpirationPolicy.DAYS_7, ExpirationPolicy.DAYS_30);
        assertEquals(ExpirationPolicy.DAYS_30, ExpirationPolicy.fixed("30d"));
    }

    @Test
    void aReplacementRepeatsAFixedPolicy() {
        Instant created = NOW.minus(Duration.ofDays(20));
        assertEquals(ExpirationPolicy.DAYS_30,
                ExpirationPolicy.forReplacement("30d", created, created.plus(Duration.ofDays(30)), NOW));
        assertSame(ExpirationPolicy.NEVER, ExpirationPolicy.forReplacement("never", created, null, NOW));
    }

    @Test
    void aReplacementOfACustomPolicyKeepsTheOldLifetimeCountedFromNow() {
        Instant created = NOW.minus(Duration.ofDays(3));
        Instant expires = created.plus(Duration.ofDays(10)).plusSeconds(3600);
        ExpirationPolicy replacement = ExpirationPolicy.forReplacement("custom", created, expires, NOW);
        assertTrue(replacement.isCustom());
        assertEquals(NOW.plus(Duration.ofDays(10)).plusSeconds(3600), replacement.expiresAt(NOW));
    }

    @Test
    void aReplacementOfACustomPolicyWithoutExpiryNeverExpires() {
        assertSame(ExpirationPolicy.NEVER, ExpirationPolicy.forReplacement("custom", NOW.minusSeconds(60), null, NOW));
    }
}
