package io.globalgate.gateway;

import io.globalgate.net.ClientAddress;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Backs off failed admin sign-ins, per client address and per user name. The first
 * {@value #FREE_FAILURES} failures in a row cost nothing; after that each next attempt waits
 * twice as long as the one before, from 1 s up to 15 min. An attempt that must wait is refused
 * before its password is checked, so a flood of guesses costs no PBKDF2 work either.
 *
 * <p>Invariants:
 * <ul>
 * <li>An attempt counts as a failure from the moment it is admitted until it succeeds, so
 *     concurrent guesses cannot all slip in before the first of them fails.</li>
 * <li>An address that has signed in successfully (within {@link #TRUST_FOR}) is exempt from the per-user wait: an
 *     attacker elsewhere, failing as {@code admin}, cannot lock the real admin out. The per-address
 *     wait still applies to it, and a success there clears only that address's failures, never the
 *     user's (the admin's scripts sign in with every request; each would hand an attacker five more
 *     free guesses).</li>
 * <li>Memory is bounded whatever attackers send: at most {@link #MAX_ADDRESSES} addresses,
 *     {@link #MAX_USERS} user names that do not exist and {@link #MAX_TRUSTED} trusted addresses are
 *     remembered, the least recently seen forgotten first. The names of real users are never
 *     forgotten for want of room, so a spray of made-up names cannot reset the admin's count. A
 *     count is forgotten {@link #FORGET_AFTER} after its last failure.</li>
 * <li>IPv6 addresses are counted by their /64, the block one subscriber gets.</li>
 * </ul>
 */
final class LoginThrottle {

    static final int FREE_FAILURES = 5;
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
    static final Duration FORGET_AFTER = Duration.ofHours(24);
    /** How long an address stays exempt from the per-user wait after its last successful sign-in. */
    static final Duration TRUST_FOR = Duration.ofDays(30);
    static final int MAX_ADDRESSES = 10_000;
    static final int MAX_USERS = 1_000;
    static final int MAX_TRUSTED = 1_000;
    /** User names are 1 to 64 characters; longer ones share one count, so a key never holds a 200 KB name. */
    static final int MAX_NAME = 64;
    private static final String LONG_NAME = "\0longer than 64";

    /** Failures in a row and when the last one happened. */
    private static final class Failures {
        int count;
        Instant last;
    }

    private final Clock clock;
    private final Set<String> realUsers;
    private final Map<String, Failures> byAddress = lru(MAX_ADDRESSES);
    private final Map<String, Failures> byUnknownUser = lru(MAX_USERS);
    private final Map<String, Failures> byRealUser = new LinkedHashMap<>();
    private final Map<String, Instant> trusted = lru(MAX_TRUSTED);

    LoginThrottle(Clock clock, Set<String> realUsers) {
        this.clock = clock;
        this.realUsers = Set.copyOf(realUsers);
    }

    /** One sign-in attempt: admitted (counted as failed until {@link Attempt#succeeded()}) or told how long to wait. */
    sealed interface Verdict permits Attempt, Wait {
    }

    /** How long the client must wait before it may try again, at least one second. */
    record Wait(long seconds) implements Verdict {
    }

    /** An admitted attempt. Unless it succeeds, it stays counted as a failure. */
    final class Attempt implements Verdict {
        private final String address;
        private final String user;
        private final Instant userFailedBefore;

        private Attempt(String address, String user, Instant userFailedBefore) {
            this.address = address;
            this.user = user;
            this.userFailedBefore = userFailedBefore;
        }

        /**
         * The credentials were right: this address is trusted from now on and its failures are
         * forgotten; the user's count is as it was before this attempt (neither lower, nor
         * renewed: the admin's scripts signing in every second must not keep a lock alive).
         */
        void succeeded() {
            synchronized (LoginThrottle.this) {
                byAddress.remove(address);
                Failures mine = userMap(user).get(user);
                if (mine != null && --mine.count <= 0 || userFailedBefore == null) {
                    userMap(user).remove(user);
                } else if (mine != null) {
                    mine.last = userFailedBefore;
                }
                trusted.put(address, clock.instant());
            }
        }
    }

    /**
     * Admits an attempt to sign in as {@code user} (null when the request named none) from
     * {@code clientAddress}, or says how long it must wait.
     */
    synchronized Verdict attempt(String clientAddress, String user) {
        String address = key(clientAddress);
        String name = user == null ? "" : user.length() > MAX_NAME ? LONG_NAME : user;
        Instant now = clock.instant();
        Duration wait = remaining(byAddress.get(address), now);
        Instant trustedSince = trusted.get(address);
        if (trustedSince != null && trustedSince.plus(TRUST_FOR).isBefore(now)) {
            trusted.remove(address);
            trustedSince = null;
        }
        if (trustedSince == null) {
            Duration userWait = remaining(userMap(name).get(name), now);
            if (userWait.compareTo(wait) > 0) {
                wait = userWait;
            }
        }
        if (!wait.isZero()) {
            long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
            return new Wait(Math.max(1, seconds));
        }
        fail(byAddress, address, now);
        Instant userFailedBefore = fail(userMap(name), name, now);
        return new Attempt(address, name, userFailedBefore);
    }

    /** How many addresses, user names and trusted addresses are remembered (for tests of the bounds). */
    synchronized int[] sizes() {
        return new int[] {byAddress.size(), byUnknownUser.size() + byRealUser.size(), trusted.size()};
    }

    /** The wait after {@code failures} failures in a row: none for the free ones, then 1 s doubling up to the cap. */
    static Duration waitAfter(int failures) {
        if (failures < FREE_FAILURES) {
            return Duration.ZERO;
        }
        int doublings = failures - FREE_FAILURES;
        if (doublings >= 20) {
            return MAX_WAIT;
        }
        Duration wait = FIRST_WAIT.multipliedBy(1L << doublings);
        return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }

    private static Duration remaining(Failures failures, Instant now) {
        if (failures == null) {
            return Duration.ZERO;
        }
        Instant until = failures.last.plus(waitAfter(failures.count));
        return until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO;
    }

    /** Counts one more failure of {@code key}; returns the time of the one before, or null if none is remembered. */
    private static Instant fail(Map<String, Failures> map, String key, Instant now) {
        Failures failures = map.get(key); // access order: this key is now the most recently seen
        if (failures == null || failures.last.plus(FORGET_AFTER).isBefore(now)) {
            failures = new Failures();
            map.put(key, failures);
        }
        Instant before = failures.last;
        failures.count++;
        failures.last = now;
        return before;
    }

    private Map<String, Failures> userMap(String user) {
        return realUsers.contains(user) ? byRealUser : byUnknownUser;
    }

    /**
     * The address as it is counted: an IPv4 address whole, an IPv6 address by its /64. The text is
     * {@link io.globalgate.net.ClientAddress}'s canonical form ({@code 2001:db8:0:0:0:0:0:1}).
     */
    static String key(String address) {
        String counted = ClientAddress.perSubscriber(address);
        return counted.length() > MAX_NAME ? counted.substring(0, MAX_NAME) : counted;
    }

    private static <V> Map<String, V> lru(int max) {
        return new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }
}
