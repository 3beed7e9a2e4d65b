package io.globalgate.gateway;

import io.globalgate.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The throttle's rules on a clock the test moves; {@link GatewayLoginThrottleTest} checks them over HTTP. */
class LoginThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock, Set.of("admin"));

    private LoginThrottle.Verdict attempt(String address, String user) {
        return throttle.attempt(io.globalgate.net.ClientAddress.canonical(address), user);
    }

    @Test
    void theWaitDoublesFromOneSecondAfterFiveFailuresUpToFifteenMinutes() {
        assertEquals(Duration.ZERO, LoginThrottle.waitAfter(4));
        assertEquals(Duration.ofSeconds(1), LoginThrottle.waitAfter(5));
        assertEquals(Duration.ofSeconds(2), LoginThrottle.waitAfter(6));
        assertEquals(Duration.ofSeconds(512), LoginThrottle.waitAfter(14));
        assertEquals(Duration.ofMinutes(15), LoginThrottle.waitAfter(15));
        assertEquals(Duration.ofMinutes(15), LoginThrottle.waitAfter(Integer.MAX_VALUE));
    }

    @Test
    void concurrentAttemptsCountBeforeTheyFailSoOnlyTheFreeFiveGetIn() {
        // Six attempts in flight at once, none answered yet: the sixth must already wait.
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertInstanceOf(LoginThrottle.Attempt.class, attempt("192.0.2.1", "admin"));
        }
        assertEquals(new LoginThrottle.Wait(1), attempt("192.0.2.1", "admin"));
    }

    @Test
    void ipv6AddressesAreCountedByTheirSlash64() {
        for (int i = 1; i <= LoginThrottle.FREE_FAILURES; i++) {
            assertInstanceOf(LoginThrottle.Attempt.class, attempt("2001:db8:1:2::" + Integer.toHexString(i), "user" + i));
        }
        assertEquals(new LoginThrottle.Wait(1), attempt("2001:db8:1:2:ffff:ffff:ffff:ffff", "someone-new"));
        assertInstanceOf(LoginThrottle.Attempt.class, attempt("2001:db8:1:3::1", "someone-new"), "the next /64 is another subscriber");
    }

    @Test
    void aSuccessClearsItsAddressButNotTheFailuresOfTheUserElsewhere() {
        for (int i = 1; i <= 4; i++) {
            assertInstanceOf(LoginThrottle.Attempt.class, attempt("198.51.100." + i, "admin"));
        }
        ((LoginThrottle.Attempt) attempt("192.0.2.7", "admin")).succeeded(); // the admin, from home
        assertInstanceOf(LoginThrottle.Attempt.class, attempt("198.51.100.5", "admin"));
        assertEquals(new LoginThrottle.Wait(1), attempt("198.51.100.6", "admin"), "five failures of admin, whatever succeeded between them");
        assertInstanceOf(LoginThrottle.Attempt.class, attempt("192.0.2.7", "admin"), "the admin's address is exempt from the user's wait");
    }

    @Test
    void theAdminsRepeatedSignInsDoNotKeepTheUsersLockAlive() {
        ((LoginThrottle.Attempt) attempt("192.0.2.7", "admin")).succeeded();
        for (int i = 1; i <= LoginThrottle.FREE_FAILURES; i++) {
            attempt("198.51.100." + i, "admin");
        }
        clock.advance(Duration.ofMillis(900));
        for (int i = 0; i < 10; i++) {
            ((LoginThrottle.Attempt) attempt("192.0.2.7", "admin")).succeeded();
        }
        clock.advance(Duration.ofMillis(100));
        assertInstanceOf(LoginThrottle.Attempt.class, attempt("203.0.113.9", "admin"), "the lock ended 1 s after the last failure");
    }

    @Test
    void failuresAreForgottenADayAfterTheLastOne() {
        for (int i = 0; i < 16; i++) {
            assertInstanceOf(LoginThrottle.Attempt.class, attempt("192.0.2.1", "someone"));
            clock.advance(LoginThrottle.MAX_WAIT);
        }
        assertTrue(attempt("192.0.2.1", "someone") instanceof LoginThrottle.Attempt);
        assertEquals(new LoginThrottle.Wait(900), attempt("192.0.2.1", "someone"));
        clock.advance(LoginThrottle.FORGET_AFTER.plusSeconds(1));
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertInstanceOf(LoginThrottle.Attempt.class, attempt("192.0.2.1", "someone"), "free again: " + i);
        }
    }

    @Test
    void aFloodOfDistinctAddressesAndUserNamesHoldsBoundedMemory() {
        for (int n = 0; n < 200_000; n++) {
            String address = "10." + (n >> 16 & 0xFF) + "." + (n >> 8 & 0xFF) + "." + (n & 0xFF);
            LoginThrottle.Verdict verdict = attempt(address, "made-up-" + n);
            if (n % 1000 == 0 && verdict instanceof LoginThrottle.Attempt ok) {
                ok.succeeded();
            }
        }
        int[] sizes = throttle.sizes();
        assertTrue(sizes[0] <= LoginThrottle.MAX_ADDRESSES, "addresses: " + sizes[0]);
        assertTrue(sizes[1] <= LoginThrottle.MAX_USERS, "user names: " + sizes[1]);
        assertTrue(sizes[2] <= LoginThrottle.MAX_TRUSTED, "trusted: " + sizes[2]);
    }

    @Test
    void aSprayOfMadeUpUserNamesCannotMakeTheThrottleForgetTheRealUsersFailures() {
        for (int i = 1; i <= LoginThrottle.FREE_FAILURES; i++) {
            attempt("198.51.100." + i, "admin");
        }
        for (int n = 0; n < 3 * LoginThrottle.MAX_USERS; n++) {
            attempt("10.0." + (n >> 8 & 0xFF) + "." + (n & 0xFF), "spray-" + n);
        }
        assertEquals(new LoginThrottle.Wait(1), attempt("203.0.113.1", "admin"));
        assertArrayEquals(new int[] {LoginThrottle.FREE_FAILURES + 3 * LoginThrottle.MAX_USERS, LoginThrottle.MAX_USERS + 1, 0},
                throttle.sizes());
    }
}
