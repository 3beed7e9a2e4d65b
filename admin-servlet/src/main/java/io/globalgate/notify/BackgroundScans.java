package io.globalgate.notify;

import org.slf4j.Logger;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** How the admin's background scans (notifications, the unused-token policy) stop. */
public final class BackgroundScans {

    private BackgroundScans() {
    }

    /**
     * Stops the scans and waits (up to 10 s, then interrupts it) for one that is running to end:
     * the pool closes right after, and a scan still reading from it failed with "HikariDataSource
     * has been closed", logged as a warning during a graceful stop (seen in DistributionIT); one
     * interrupted inside the pool fails and warns too, hence no interrupt first.
     *
     * @param scans the scans' executor, or null when they never started
     * @param log   where to say that a scan had to be interrupted
     * @param what  the scans' name in that message
     */
    public static void stop(ScheduledExecutorService scans, Logger log, String what) {
        if (scans == null) {
            return;
        }
        scans.shutdown();
        try {
            if (!scans.awaitTermination(10, TimeUnit.SECONDS)) {
                scans.shutdownNow();
                log.warn("{}: a scan still ran 10 s after the stop; interrupted", what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
