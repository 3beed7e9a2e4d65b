package io.globalgate.concurrent;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a container sees right after a web application stopped: the scheduler's thread has ended,
 * not only its executor (Tomcat's redeploy check warned of a leaked globalgate:housekeeper thread
 * that was still returning from its run loop, in CI).
 */
class DaemonSchedulerTest {

    @Test
    void theThreadHasEndedWhenStopReturnsEvenRightAfterItsWorkRan() throws Exception {
        for (int i = 0; i < 50; i++) {
            DaemonScheduler scheduler = new DaemonScheduler("globalgate:test-" + i);
            AtomicReference<Thread> worker = new AtomicReference<>();
            CountDownLatch ran = new CountDownLatch(1);
            scheduler.executor().execute(() -> {
                worker.set(Thread.currentThread());
                ran.countDown();
            });
            assertTrue(ran.await(10, TimeUnit.SECONDS));
            assertTrue(scheduler.stop(Duration.ofSeconds(10), i % 2 == 0), "stop in time, round " + i);
            assertFalse(worker.get().isAlive(), "thread still alive after stop, round " + i);
            assertTrue(worker.get().isDaemon());
            assertEquals("globalgate:test-" + i, worker.get().getName());
        }
    }

    @Test
    void aGracefulStopLetsTheRunningTaskFinishUninterrupted() throws Exception {
        DaemonScheduler scheduler = new DaemonScheduler("globalgate:test-graceful");
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicReference<Thread> worker = new AtomicReference<>();
        scheduler.executor().execute(() -> {
            worker.set(Thread.currentThread());
            started.countDown();
            try {
                Thread.sleep(300);
                finished.set(true);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertTrue(scheduler.stop(Duration.ofSeconds(10), false));
        assertTrue(finished.get());
        assertFalse(interrupted.get());
        assertFalse(worker.get().isAlive());
    }

    @Test
    void aTaskStillRunningWhenThePatienceIsSpentIsInterruptedAndTheStopSaysSo() throws Exception {
        DaemonScheduler scheduler = new DaemonScheduler("globalgate:test-late");
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicReference<Thread> worker = new AtomicReference<>();
        scheduler.executor().execute(() -> {
            worker.set(Thread.currentThread());
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertFalse(scheduler.stop(Duration.ofMillis(200), false));
        assertTrue(interrupted.get());
        assertFalse(worker.get().isAlive());
    }

    @Test
    void aSchedulerThatNeverRanAnythingStopsAtOnce() {
        assertTrue(new DaemonScheduler("globalgate:test-idle").stop(Duration.ofSeconds(1), true));
    }
}
