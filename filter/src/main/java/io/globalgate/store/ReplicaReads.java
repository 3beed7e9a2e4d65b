package io.globalgate.store;

import io.globalgate.token.TokenHash;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The request path's reads on a replica of the store's primary: the decision on a token and the
 * change feed. Writes (usage, heartbeat, every admin change) stay on the primary.
 *
 * <p>A replica is behind its primary by its replication lag. Two consequences, both handled here
 * or by the caller: a token created a moment ago may not be on the replica yet, so a replica miss
 * asks the primary (a made-up token thus costs two lookups, bounded like every miss by the
 * verifier's caches); and everything read on the replica is as old as the lag, which
 * {@link #behind()} measures through the heartbeat row so that it counts into staleness.
 */
public final class ReplicaReads {

    private final GlobalgateStore primary;
    private final Database replica;
    private final Clock clock;
    private final TokenLookup tokens;
    private final ChangeFeed changes;
    private final ReplicationHeartbeat heartbeat;

    public ReplicaReads(GlobalgateStore primary, DataSource replica) {
        this.primary = primary;
        this.replica = new Database(replica);
        this.clock = primary.clock();
        this.tokens = new TokenLookup(this.replica, clock);
        // Only read: events are appended on the primary, whose publisher tells this JVM's listeners.
        this.changes = new ChangeFeed(this.replica, clock, new ChangePublisher());
        this.heartbeat = new ReplicationHeartbeat(clock);
    }

    /** The decision as the replica has it; on a miss, as the primary has it (a token created too recently to be replicated). */
    public Optional<TokenDecision> findDecision(TokenHash hash) {
        Optional<TokenDecision> replicated = tokens.findDecision(hash);
        return replicated.isPresent() ? replicated : primary.tokens().findDecision(hash);
    }

    /** The change feed as the replica has it. */
    public ChangeFeed changes() {
        return changes;
    }

    /** The token counts, read on the replica. */
    public TokenLookup tokens() {
        return tokens;
    }

    /** Offers a heartbeat to the primary: written when the last one is older than {@code interval}; returns whether it was. */
    public boolean beat(Duration interval) {
        return heartbeat.beat(primary.database(), interval);
    }

    /**
     * How far behind the primary the replica is, at least: the age of the last heartbeat it has
     * applied (zero when a node clock ahead of this one wrote it). Everything the replica shows
     * was true on the primary this long ago.
     */
    public Duration behind() {
        Instant beat = heartbeat.lastBeat(replica);
        Duration age = Duration.between(beat, clock.instant());
        return age.isNegative() ? Duration.ZERO : age;
    }
}
