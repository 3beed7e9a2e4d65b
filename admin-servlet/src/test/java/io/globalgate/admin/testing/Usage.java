package io.globalgate.admin.testing;

import io.globalgate.store.Database;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Writes hourly request counts as the filter's usage flush does, for the tests of what the admin shows of them. */
public final class Usage {

    private Usage() {
    }

    /** {@code requests} in the hour {@code hoursAgo} hours before the current one (0: the current hour). */
    public static Instant record(DataSource dataSource, long tokenId, int hoursAgo, long requests) throws SQLException {
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(hoursAgo, ChronoUnit.HOURS);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO token_usage_hourly (token_id, hour_start, request_count) VALUES (?, ?, ?)")) {
            ps.setLong(1, tokenId);
            Database.setInstant(ps, 2, hour);
            ps.setLong(3, requests);
            ps.executeUpdate();
        }
        return hour;
    }
}
