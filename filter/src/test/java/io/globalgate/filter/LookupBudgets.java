package io.globalgate.filter;

import io.globalgate.token.TokenHash;

import java.util.function.LongSupplier;

/** Gives a verifier a forged-token budget on a clock of the test's, as the filter gives it one, for tests outside this package. */
public final class LookupBudgets {

    private LookupBudgets() {
    }

    /**
     * Attaches a budget of {@code perNode} and {@code perAddress} lookups a second, timed by
     * {@code nanoTime}, listing {@code existing} as the change feed's start would.
     */
    public static void attach(TokenVerifier verifier, int perNode, int perAddress, LongSupplier nanoTime, Iterable<TokenHash> existing) {
        TokenLookupBudget budget = new TokenLookupBudget(perNode, perAddress, nanoTime);
        budget.listAll(existing);
        verifier.lookupBudget(budget);
    }

    /** Whether the verdict is the refusal of a token looked up beyond the budget (HTTP {@code 503}, reason {@code lookup_limit}). */
    public static boolean overBudget(Verdict verdict) {
        return verdict instanceof Verdict.Unavailable u && u.overLookupBudget();
    }
}
