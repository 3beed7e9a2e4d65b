package io.globalgate.filter;

import io.globalgate.store.ChangeEvent;
import io.globalgate.token.TokenFormat;
import io.globalgate.token.TokenHash;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The budget of lookups of tokens a node does not know to exist, on a clock the test moves: what
 * it admits, per address and per node, how it refills, and what lists a token.
 */
class TokenLookupBudgetTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong nanos = new AtomicLong(5 * SECOND);

    private TokenLookupBudget budget(int perNode, int perAddress) {
        return new TokenLookupBudget(perNode, perAddress, nanos::get);
    }

    private static TokenHash unknown() {
        return TokenHash.of(TokenFormat.generate());
    }

    @Test
    void eachAddressHasItsOwnBudget() {
        TokenLookupBudget budget = budget(100, 2);

        assertTrue(budget.admit(unknown(), "192.0.2.7"));
        assertTrue(budget.admit(unknown(), "192.0.2.7"));
        assertFalse(budget.admit(unknown(), "192.0.2.7"), "the address's two per second are spent");
        assertTrue(budget.admit(unknown(), "192.0.2.8"), "another address is not held back");

        assertEquals(3, budget.unlistedLookups());
        assertEquals(1, budget.refused());
    }

    @Test
    void theNodesBudgetHoldsBackEveryAddressOnceSpent() {
        TokenLookupBudget budget = budget(2, 100);

        assertTrue(budget.admit(unknown(), "192.0.2.1"));
        assertTrue(budget.admit(unknown(), "192.0.2.2"));
        assertFalse(budget.admit(unknown(), "192.0.2.3"));
        assertFalse(budget.admit(unknown(), null), "an unknown address counts against the node's budget only");

        assertEquals(2, budget.unlistedLookups());
        assertEquals(2, budget.refused());
    }

    @Test
    void aRequestWithoutAnAddressSpendsOnlyTheNodesBudget() {
        TokenLookupBudget budget = budget(3, 1);

        assertTrue(budget.admit(unknown(), null));
        assertTrue(budget.admit(unknown(), null));
        assertTrue(budget.admit(unknown(), "192.0.2.7"), "the address's own budget was not touched by the requests without one");
        assertFalse(budget.admit(unknown(), null));
    }

    @Test
    void anAddressWhoseOwnBudgetIsSpentDoesNotSpendTheNodes() {
        TokenLookupBudget budget = budget(2, 1);

        assertTrue(budget.admit(unknown(), "192.0.2.7"));
        assertFalse(budget.admit(unknown(), "192.0.2.7"));
        assertFalse(budget.admit(unknown(), "192.0.2.7"));
        assertTrue(budget.admit(unknown(), "192.0.2.8"), "the refused requests took nothing from the node's two");
        assertFalse(budget.admit(unknown(), "192.0.2.9"));
    }

    @Test
    void theAddressesOfOneIpv6SubscriberShareABudget() {
        TokenLookupBudget budget = budget(100, 1);

        assertTrue(budget.admit(unknown(), "2001:db8:0:7::1"));
        assertFalse(budget.admit(unknown(), "2001:0db8:0000:0007:ffff:0:0:2"), "the same /64, written another way");
        assertTrue(budget.admit(unknown(), "2001:db8:0:8::1"), "the next /64");
    }

    @Test
    void aBudgetRefillsContinuouslyUpToOneSecondsWorth() {
        TokenLookupBudget budget = budget(100, 2);
        for (String address : List.of("192.0.2.7", "192.0.2.8")) {
            assertTrue(budget.admit(unknown(), address));
            assertTrue(budget.admit(unknown(), address));
            assertFalse(budget.admit(unknown(), address));
        }

        nanos.addAndGet(SECOND / 2 - 1);
        assertFalse(budget.admit(unknown(), "192.0.2.7"), "one nanosecond short of half a second: not yet one lookup");
        nanos.addAndGet(1);
        assertTrue(budget.admit(unknown(), "192.0.2.8"), "half a second of two per second is one lookup");
        assertFalse(budget.admit(unknown(), "192.0.2.8"));

        nanos.addAndGet(60 * SECOND);
        assertTrue(budget.admit(unknown(), "192.0.2.8"));
        assertTrue(budget.admit(unknown(), "192.0.2.8"));
        assertFalse(budget.admit(unknown(), "192.0.2.8"), "a minute's quiet still holds only one second's worth");
    }

    @Test
    void aTimeReadBeforeAnotherThreadsIsNotCountedTwice() {
        TokenLookupBudget budget = budget(1, 100);
        assertTrue(budget.admit(unknown(), null));

        nanos.addAndGet(-SECOND / 2); // a thread that read the time before the last take
        assertFalse(budget.admit(unknown(), null));
        nanos.addAndGet(SECOND + SECOND / 2 - SECOND / 10); // 0.9 s after the take
        assertFalse(budget.admit(unknown(), null), "the half second behind the take was not added to the refill");
        nanos.addAndGet(SECOND);
        assertTrue(budget.admit(unknown(), null));
    }

    @Test
    void aListedTokenIsAlwaysAdmittedAndSpendsNothing() {
        TokenLookupBudget budget = budget(1, 1);
        TokenHash listed = unknown();
        budget.listAll(List.of(listed));
        assertTrue(budget.isCurrent());

        for (int i = 0; i < 5; i++) {
            assertTrue(budget.admit(listed, "192.0.2.7"));
        }
        assertEquals(0, budget.unlistedLookups());
        assertEquals(0, budget.refused());
        assertTrue(budget.admit(unknown(), "192.0.2.7"), "the address's budget is whole");
    }

    @Test
    void onlyATokenCreatedEventListsItsToken() {
        TokenLookupBudget budget = budget(100, 100);
        TokenHash created = unknown();
        TokenHash revoked = unknown();

        budget.heard(new ChangeEvent(1, ChangeEvent.Kind.TOKEN_REVOKED, 7, 1L, revoked));
        budget.heard(new ChangeEvent(2, ChangeEvent.Kind.TOKEN_CREATED, 7, 2L, null));
        assertEquals(0, budget.listedCount());
        budget.heard(new ChangeEvent(3, ChangeEvent.Kind.TOKEN_CREATED, 7, 3L, created));
        assertEquals(1, budget.listedCount());

        budget.admit(created, "192.0.2.7");
        budget.admit(revoked, "192.0.2.7");
        assertEquals(1, budget.unlistedLookups(), "only the revoked token's lookup was unlisted");
    }

    @Test
    void theListIsCurrentOnceLoadedUntilMarkedOutdatedAndKeepsWhatItHeld() {
        TokenLookupBudget budget = budget(1, 1);
        assertFalse(budget.isCurrent(), "not loaded yet");
        TokenHash a = unknown();
        budget.heard(new ChangeEvent(1, ChangeEvent.Kind.TOKEN_CREATED, 7, 1L, a));

        budget.listAll(List.of(unknown(), unknown()));
        assertTrue(budget.isCurrent());
        assertEquals(3, budget.listedCount(), "a token listed by an event meanwhile stays");
        budget.markOutdated();
        assertFalse(budget.isCurrent());
        assertEquals(3, budget.listedCount());
    }
}
