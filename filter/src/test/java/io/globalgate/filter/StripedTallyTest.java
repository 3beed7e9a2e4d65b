package io.globalgate.filter;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StripedTallyTest {

    @Test
    void sumsAreExactAfterManyThreadsAddAtOnce() throws Exception {
        StripedTally tally = new StripedTally(3);
        int threads = 100; // more threads than stripes: some share one
        int perThread = 10_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        tally.add(0, 1);
                        tally.addBoth(1, 2, 3);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals((long) threads * perThread, tally.sum(0));
        assertEquals((long) threads * perThread, tally.sum(1));
        assertEquals(3L * threads * perThread, tally.sum(2));
    }

    @Test
    void awaitZeroWaitsForWorkInProgressInAnotherThreadsStripe() throws Exception {
        StripedTally inProgress = new StripedTally(1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            int stripe = inProgress.stripe();
            inProgress.addAt(stripe, 0, 1);
            started.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inProgress.addAt(stripe, 0, -1);
        });
        worker.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));

        Thread waiter = new Thread(() -> inProgress.awaitZero(0));
        waiter.start();
        waiter.join(300);
        assertTrue(waiter.isAlive(), "awaitZero returned while work was in progress");

        finish.countDown();
        waiter.join(10_000);
        assertFalse(waiter.isAlive(), "awaitZero did not return after the work finished");
        worker.join(10_000);
    }

    @Test
    void counterOutsideTheTallyIsRefused() {
        StripedTally tally = new StripedTally(2);
        assertThrows(IndexOutOfBoundsException.class, () -> tally.add(2, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> tally.sum(-1));
        assertThrows(IllegalArgumentException.class, () -> new StripedTally(0));
    }
}
