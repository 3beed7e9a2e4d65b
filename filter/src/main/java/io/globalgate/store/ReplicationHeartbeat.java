package io.globalgate.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code replication_heartbeat} table: one row, written on the primary, read on a replica.
 * Every node that reads from a replica offers a beat at each poll, but the row is written only
 * when it is older than the interval the node asks for, so the primary takes about one write per
 * interval however many nodes there are (the other offers are a primary-key read that changes
 * nothing). The time written is the writing node's clock: node clocks must agree (NTP), since a
 * skew adds to or hides lag.
 */
final class ReplicationHeartbeat {

    private final Clock clock;

    ReplicationHeartbeat(Clock clock) {
        this.clock = clock;
    }

    /** Writes the time now on {@code primary} if the row is older than {@code interval}; returns whether it wrote. */
    boolean beat(Database primary, Duration interval) {
        Instant now = clock.instant();
        return primary.update(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE replication_heartbeat SET beat_at = ? WHERE id = 1 AND beat_at <= ?")) {
                Database.setInstant(ps, 1, now);
                Database.setInstant(ps, 2, now.minus(interval));
                return ps.executeUpdate();
            }
        }) > 0;
    }

    /** The last beat {@code replica} has applied; the epoch when no node has beaten yet. */
    Instant lastBeat(Database replica) {
        return replica.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT beat_at FROM replication_heartbeat WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("Globalgate schema: the row of replication_heartbeat is missing on the replica");
                }
                return Database.getInstant(rs, "beat_at");
            }
        });
    }
}
