package io.globalgate.policy;

import io.globalgate.admin.store.ManagementStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import io.globalgate.concurrent.DaemonScheduler;
import java.util.concurrent.TimeUnit;

/**
 * The optional deployment policy "tokens unused for N days are revoked": on one background thread
 * of the admin servlet, every {@link #SCAN_INTERVAL}, it queues the reminders now due and revokes
 * the tokens whose reminder is old enough ({@link io.globalgate.admin.store.UnusedTokenStore} says
 * when each is due). Safe to run on every admin node at once: the store claims each reminder and
 * each revocation in the database.
 */
public final class UnusedTokenPolicy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UnusedTokenPolicy.class);
    /** Days count here; a scan that finds nothing reads one index-less pass over the live tokens. */
    public static final Duration SCAN_INTERVAL = Duration.ofMinutes(10);
    /** Tokens a scan handles at most per step; the rest wait for the next scan. */
    static final int BATCH = 500;

    private final ManagementStore store;
    private final Duration unusedFor;
    private final Duration remindBefore;
    private DaemonScheduler scheduler;

    /**
     * @param unusedFor    how long a token may go unused before it is revoked
     * @param remindBefore how long before that its owner is reminded (shorter than {@code unusedFor})
     */
    public UnusedTokenPolicy(ManagementStore store, Duration unusedFor, Duration remindBefore) {
        if (unusedFor.isNegative() || unusedFor.isZero() || remindBefore.isNegative() || remindBefore.isZero()
                || remindBefore.compareTo(unusedFor) >= 0) {
            throw new IllegalArgumentException("the unused-token policy needs 0 < reminder (" + remindBefore + ") < revocation ("
                    + unusedFor + ")");
        }
        this.store = store;
        this.unusedFor = unusedFor;
        this.remindBefore = remindBefore;
    }

    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = new DaemonScheduler("globalgate-unused-tokens");
        scheduler.executor().scheduleWithFixedDelay(this::guardedRun, 0, SCAN_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Globalgate unused-token policy: tokens unused for {} days are revoked, with a reminder {} days before",
                unusedFor.toDays(), remindBefore.toDays());
    }

    /** One scan: the reminders due now, then the revocations due now. */
    public Result run() {
        int reminded = 0;
        int step;
        while ((step = store.unused().queueReminders(unusedFor, remindBefore, BATCH)) > 0) {
            reminded += step;
        }
        int revoked = 0;
        while ((step = store.unused().revokeUnused(unusedFor, remindBefore, BATCH)) > 0) {
            revoked += step;
        }
        return new Result(reminded, revoked);
    }

    /** What one scan did. */
    public record Result(int reminded, int revoked) {
    }

    private void guardedRun() {
        try {
            Result r = run();
            if (r.reminded() > 0 || r.revoked() > 0) {
                LOG.info("Globalgate unused-token policy: {} reminder(s) queued, {} token(s) revoked", r.reminded(), r.revoked());
            }
        } catch (RuntimeException e) {
            LOG.warn("Globalgate unused-token policy: {}", e.getMessage());
        }
    }

    /** Stops the scans and waits for one that is running: {@link io.globalgate.notify.BackgroundScans#stop}. */
    @Override
    public void close() {
        DaemonScheduler stopping;
        synchronized (this) {
            stopping = scheduler;
            scheduler = null;
        }
        io.globalgate.notify.BackgroundScans.stop(stopping, LOG, "Globalgate unused-token policy");
    }
}
