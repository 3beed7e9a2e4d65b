package io.globalgate.notify;

import io.globalgate.concurrent.DaemonScheduler;
import org.slf4j.Logger;

import java.time.Duration;

/** How the admin's background scans (notifications, the unused-token policy) stop. */
public final class BackgroundScans {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private BackgroundScans() {
    }

    /**
     * Stops the scans and waits (up to 10 s, then interrupts it) for one that is running to end,
     * and for the scans' thread itself to end ({@link DaemonScheduler#stop}): the pool closes right
     * after, and a scan still reading from it failed with "HikariDataSource has been closed",
     * logged as a warning during a graceful stop (seen in DistributionIT); one interrupted inside
     * the pool fails and warns too, hence no interrupt first.
     *
     * @param scans the scans' scheduler, or null when they never started
     * @param log   where to say that a scan had to be interrupted
     * @param what  the scans' name in that message
     */
    public static void stop(DaemonScheduler scans, Logger log, String what) {
        if (scans != null && !scans.stop(PATIENCE, false)) {
            log.warn("{}: a scan still ran {} s after the stop; interrupted", what, PATIENCE.toSeconds());
        }
    }
}
