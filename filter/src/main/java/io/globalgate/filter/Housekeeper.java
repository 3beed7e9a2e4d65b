package io.globalgate.filter;

import io.globalgate.store.GlobalgateStore;
import io.globalgate.store.ReplicaReads;
import io.globalgate.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.globalgate.concurrent.DaemonScheduler;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The filter's background work, on one daemon thread of its own (HikariCP's HouseKeeper is the
 * model): it brings the schema up to date, or keeps trying while the database is down at
 * start-up; polls the change feed; flushes usage and the last refused uses of ended tokens; refreshes the token gauges; purges old change
 * events, usage batch ids and old client addresses; and on {@link #close()} flushes usage a last time. The filter hands
 * it the parts and schedules nothing itself.
 */
final class Housekeeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Housekeeper.class);
    private static final Duration COUNTS_INTERVAL = Duration.ofSeconds(30);
    private static final Duration EXPIRING_WINDOW = Duration.ofDays(7);
    // A node whose feed is unread this long has dropped its cache anyway (see TokenVerifier#markFresh).
    private static final Duration CHANGE_RETENTION = Duration.ofDays(2);
    // A batch id only has to outlive the retries of its own batch (seconds, or one outage).
    private static final Duration USAGE_BATCH_RETENTION = Duration.ofDays(1);
    /** How long a token's client address is offered as a starting list of allowed networks. */
    private static final Duration CLIENT_ADDRESS_RETENTION = Duration.ofDays(30);
    private static final Duration PURGE_INTERVAL = Duration.ofHours(1);
    private static final Duration FIRST_MIGRATION_RETRY = Duration.ofSeconds(1);
    private static final Duration MIGRATION_RETRY = Duration.ofSeconds(5);
    // A pool still reconnecting after an outage fails the first try of the last flush.
    private static final Duration FINAL_FLUSH_PATIENCE = Duration.ofSeconds(6);
    private static final Duration FINAL_FLUSH_RETRY = Duration.ofMillis(500);
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(5);
    private static final Duration REPLICA_START_PATIENCE = Duration.ofSeconds(2);

    private final GlobalgateStore store;
    private final TokenVerifier verifier;
    private final TokenLookupBudget budget;
    private final UsageRecorder usage;
    private final RefusedUseRecorder refusedUses;
    private final FilterMetrics metrics;
    private final ChangeFeedPoller poller;
    /** Where the feed and the gauges' counts are read, null for the primary; the heartbeat is offered to the primary. */
    private final ReplicaReads replica;
    private final DaemonScheduler scheduler;
    private final ScheduledExecutorService thread;
    private volatile boolean migrate = true;
    private Duration pollInterval;
    /** How far behind its primary the replica was when this poll began (written and read on this thread only). */
    private long behindNanos;
    private boolean heartbeatFailing;
    private boolean replicaFailing;

    Housekeeper(String threadName, GlobalgateStore store, ReplicaReads replica, TokenVerifier verifier, TokenLookupBudget budget,
                UsageRecorder usage, RefusedUseRecorder refusedUses, FilterMetrics metrics) {
        this.store = store;
        this.refusedUses = refusedUses;
        this.replica = replica;
        this.verifier = verifier;
        this.budget = budget;
        this.usage = usage;
        this.metrics = metrics;
        this.poller = new ChangeFeedPoller(replica != null ? replica.changes() : store.changes(), event -> {
            budget.heard(event);
            verifier.apply(event);
        }, this::fresh, () -> {
            verifier.invalidateAll();
            budget.markOutdated();
        });
        this.scheduler = new DaemonScheduler(threadName);
        this.thread = scheduler.executor();
    }

    /**
     * Migrates (when asked to) before returning, so a node whose database answers accepts tokens
     * from its first request; one whose database does not answers 503 until a retry succeeds.
     * Then learns where the change feed stands, and starts the periodic work.
     */
    void start(boolean migrate, Duration pollInterval, Duration flushInterval) {
        this.migrate = migrate;
        boolean ready = migrate ? tryMigrate() : tryCheckSchema(true);
        verifier.setReady(ready);
        if (!ready) {
            thread.schedule(this::retryMigration, FIRST_MIGRATION_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
        this.pollInterval = pollInterval;
        if (ready && replica != null) {
            awaitReplica();
        }
        poll(); // learn where the feed stands before the first request
        every(pollInterval, this::poll);
        every(flushInterval, usage::flush);
        every(flushInterval, refusedUses::flush);
        every(COUNTS_INTERVAL, this::refreshCounts);
        every(PURGE_INTERVAL, () -> store.changes().purgeOlderThan(CHANGE_RETENTION));
        every(PURGE_INTERVAL, () -> store.usage().purgeBatchesOlderThan(USAGE_BATCH_RETENTION));
        every(PURGE_INTERVAL, () -> store.usage().purgeClientAddressesOlderThan(CLIENT_ADDRESS_RETENTION));
        thread.execute(this::refreshCounts);
    }

    private boolean tryMigrate() {
        try {
            store.migrate();
            return true;
        } catch (StoreUnavailableException e) {
            LOG.warn("Globalgate store not reachable at start-up; answering 503 until it is. {}", StartupDiagnosis.explain(e));
            return false;
        }
    }

    /**
     * With {@code migrate=false} a DBA applies the schema: a schema at another version stops
     * start-up with the version found and the version expected; a database that is merely down
     * is waited for, as with migrations.
     */
    private boolean tryCheckSchema(boolean atStartUp) {
        try {
            store.checkSchemaVersion();
            return true;
        } catch (StoreUnavailableException e) {
            LOG.warn("Globalgate store not reachable; answering 503 until it is. {}", StartupDiagnosis.explain(e));
            return false;
        } catch (IllegalStateException e) {
            if (atStartUp) {
                throw e;
            }
            LOG.error("{}; answering 503 until it is", e.getMessage());
            return false;
        }
    }

    private void retryMigration() {
        if (migrate ? tryMigrate() : tryCheckSchema(false)) {
            verifier.invalidateAll();
            verifier.setReady(true);
            LOG.info("Globalgate store reachable; schema {}; accepting tokens", migrate ? "migrated" : "at the expected version");
        } else {
            thread.schedule(this::retryMigration, MIGRATION_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * One read of the change feed. From a replica, the heartbeat is offered to the primary and read
     * on the replica first: the replica shows at least every change committed before the beat it
     * shows, so what the poll then reads is at most that old, and counts as fresh only from then.
     * When the heartbeat cannot be read, the feed is not either: the node grows stale.
     */
    private void poll() {
        if (replica != null) {
            try {
                replica.beat(pollInterval.dividedBy(2));
                if (heartbeatFailing) {
                    LOG.info("Replication heartbeat written on the primary again");
                    heartbeatFailing = false;
                }
            } catch (RuntimeException e) {
                if (!heartbeatFailing) {
                    LOG.warn("Cannot write the replication heartbeat on the primary ({}); unless another node does, the replica's "
                            + "lag grows and cached accepts end at maxStaleness", e.getMessage());
                    heartbeatFailing = true;
                }
            }
            try {
                Duration behind = replica.behind();
                behindNanos = behind.toNanos();
                metrics.replicaLag(behind);
                replicaFailing = false;
            } catch (RuntimeException e) {
                if (!replicaFailing) {
                    LOG.warn("Cannot read the replication heartbeat on the replica ({}); cached accepts will stop being trusted "
                            + "when it stays unreadable", e.getMessage());
                    replicaFailing = true;
                }
                return;
            }
        }
        poller.poll();
    }

    /**
     * At start-up the heartbeat the replica shows may be as old as the last node's run: beat, and
     * give replication a moment to bring it over, so a node starting on a healthy replica accepts
     * tokens from its first request. A replica that is behind stays so, and the node answers 503.
     */
    private void awaitReplica() {
        long deadline = System.nanoTime() + REPLICA_START_PATIENCE.toNanos();
        try {
            replica.beat(pollInterval.dividedBy(2));
            while (replica.behind().compareTo(verifier.maxStaleness()) > 0 && System.nanoTime() < deadline
                    && pause(Duration.ofMillis(50))) {
                // wait for the beat to be replicated
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the replication heartbeat at start-up: {}", e.getMessage());
        }
    }

    /**
     * After a successful poll. The list of tokens is loaded after the feed's position was taken
     * (its start) or after the feed went unread too long: a token created before that position is
     * in the table, one created after it comes as an event.
     */
    private void fresh() {
        if (!verifier.isFresh()) {
            budget.markOutdated();
        }
        verifier.markFresh(behindNanos);
        if (!budget.isCurrent()) {
            try {
                budget.listAll((replica != null ? replica.tokens() : store.tokens()).everyTokenHash());
            } catch (RuntimeException e) {
                LOG.debug("The tokens to list could not be read; tried again after the next poll", e);
            }
        }
    }

    private void refreshCounts() {
        try {
            var counts = (replica != null ? replica.tokens() : store.tokens()).counts(EXPIRING_WINDOW);
            metrics.tokenCounts(counts.active(), counts.expiringSoon());
        } catch (RuntimeException e) {
            LOG.debug("Could not count tokens for the gauges", e);
        }
    }

    private void every(Duration interval, Runnable task) {
        long ms = interval.toMillis();
        thread.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("Globalgate background task failed", e);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the periodic work and waits for its thread to end (a container checks for left-behind
     * threads right after the stop), then writes what usage is left: nothing gathered is lost on a
     * graceful stop.
     */
    @Override
    public void close() {
        if (!scheduler.stop(STOP_PATIENCE, true)) {
            LOG.warn("Globalgate filter: the background thread had not ended {} s after the stop", STOP_PATIENCE.toSeconds());
        }
        int flushed = usage.flush();
        long deadline = System.nanoTime() + FINAL_FLUSH_PATIENCE.toNanos();
        while (usage.pending() > 0 && System.nanoTime() < deadline && pause(FINAL_FLUSH_RETRY)) {
            flushed += usage.flush();
        }
        if (refusedUses.flush() == 0 && refusedUses.pending() > 0) {
            LOG.warn("Globalgate filter stopped with the last refused use of {} ended token(s) unwritten: the store did not answer",
                    refusedUses.pending());
        }
        if (usage.pending() > 0) {
            LOG.warn("Globalgate filter stopped with usage of {} token(s) unwritten: the store did not answer", usage.pending());
        } else if (flushed > 0) {
            LOG.info("Globalgate filter flushed usage of {} token(s) on stop", flushed);
        }
    }

    private static boolean pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
