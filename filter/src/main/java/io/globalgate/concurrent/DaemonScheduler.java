package io.globalgate.concurrent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A single-thread scheduled executor on a daemon thread of a given name, whose stop waits for the
 * thread itself to end, not only for the executor to terminate. An executor counts as terminated
 * while its last worker is still returning from its run loop; a container that checks for threads
 * a web application left behind right after the application stopped (Tomcat's
 * {@code clearReferencesThreads}) then finds the thread alive and warns of a leak. Seen on a loaded
 * CI machine in the example web application's redeploy test.
 */
public final class DaemonScheduler {

    private final ScheduledExecutorService executor;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    public DaemonScheduler(String threadName) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            threads.add(t);
            return t;
        });
    }

    /** Where the work is scheduled. */
    public ScheduledExecutorService executor() {
        return executor;
    }

    /**
     * Stops the executor and waits, up to {@code patience} in all, for its thread to end.
     *
     * @param interruptFirst interrupt running work at once ({@code shutdownNow}); otherwise let it
     *                       finish and interrupt it only once the patience is spent
     * @return whether the thread ended in time without being interrupted for lateness
     */
    public boolean stop(Duration patience, boolean interruptFirst) {
        long deadline = System.nanoTime() + patience.toNanos();
        if (interruptFirst) {
            executor.shutdownNow();
        } else {
            executor.shutdown();
        }
        try {
            boolean ended = executor.awaitTermination(patience.toNanos(), TimeUnit.NANOSECONDS) && joinAll(deadline);
            if (!ended && !interruptFirst) {
                executor.shutdownNow();
                joinAll(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
            }
            return ended;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean joinAll(long deadline) throws InterruptedException {
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }
}
