package io.globalgate.filter;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A few counters the request path adds to and only a scrape reads. Each thread adds into the
 * stripe its id picks, and every stripe has cache lines of its own, so requests running at once
 * on two cores rarely write the same line. ({@link java.util.concurrent.atomic.LongAdder} keeps
 * only as many cells as there are cores, so with a container's pool of threads moving between
 * cores its cells go back and forth between the cores' caches; docs/BENCHMARKS.md, "Second
 * profile", has what that cost.) Sums are exact once the adds have returned; a read during adds
 * sees each one or not.
 */
final class StripedTally {

    /** A power of two; a pool's threads have consecutive ids, so up to this many get a stripe each. */
    private static final int STRIPES = 64;
    /** Longs in a cache line: the gap between stripes, wherever the array starts in memory. */
    private static final int LINE = 8;

    private final int counters;
    private final int stride;
    private final AtomicLongArray cells;

    StripedTally(int counters) {
        if (counters < 1) {
            throw new IllegalArgumentException("counters must be at least 1");
        }
        this.counters = counters;
        this.stride = (counters + LINE - 1) / LINE * LINE + LINE;
        this.cells = new AtomicLongArray(LINE + STRIPES * stride);
    }

    void add(int counter, long delta) {
        addAt(stripe(), counter, delta);
    }

    /** Adds one to {@code counter} and {@code delta} to {@code other}, both in this thread's stripe. */
    void addBoth(int counter, int other, long delta) {
        int stripe = stripe();
        cells.getAndIncrement(stripe + checked(counter));
        cells.getAndAdd(stripe + checked(other), delta);
    }

    /** This thread's stripe, for a pair of {@link #addAt} calls that must land in the same one. */
    int stripe() {
        return LINE + ((int) Thread.currentThread().getId() & (STRIPES - 1)) * stride;
    }

    void addAt(int stripe, int counter, long delta) {
        cells.getAndAdd(stripe + checked(counter), delta);
    }

    /**
     * Waits until {@code counter} has been seen at zero in each stripe, one stripe after the other.
     * Used as a count of work in progress (incremented before, decremented after, in the same
     * stripe): a stripe is never negative, so once each has been seen at zero, no work that started
     * before this call is still going on. Work that starts later may keep a stripe busy only as long
     * as it runs.
     */
    void awaitZero(int counter) {
        checked(counter);
        for (int s = 0; s < STRIPES; s++) {
            for (int spins = 0; cells.get(LINE + s * stride + counter) != 0; spins++) {
                if (spins < 1_000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield(); // the worker in progress may be waiting for this core
                }
            }
        }
    }

    long sum(int counter) {
        checked(counter);
        long sum = 0;
        for (int s = 0; s < STRIPES; s++) {
            sum += cells.get(LINE + s * stride + counter);
        }
        return sum;
    }

    private int checked(int counter) {
        if (counter < 0 || counter >= counters) {
            throw new IndexOutOfBoundsException("counter " + counter + " of " + counters);
        }
        return counter;
    }
}
