package io.globalgate.soak;

import io.globalgate.testing.FaultyDataSource;

import javax.sql.DataSource;

/**
 * The planted fault ({@code soak/run --plant blind-change-feed}): each gateway's store reads its
 * change feed through a connection that answers "no new event", always. A revocation then reaches
 * the node that answered it (it hears its own commit) and never the other one, which keeps
 * accepting the token from its cache. A checker that cannot see that proves nothing; the planted
 * run in {@code SoakPlantedFaultTest} shows that it does.
 */
final class BlindChangeFeed {

    /** The statement {@code ChangeFeed.readAfter} prepares, up to its condition. */
    static final String READ_AFTER = "FROM change_event WHERE id > ?";

    private BlindChangeFeed() {
    }

    static DataSource wrap(DataSource real) {
        FaultyDataSource faulty = new FaultyDataSource(real);
        faulty.rewriteStatements(sql -> sql.contains(READ_AFTER) ? sql.replace(READ_AFTER, READ_AFTER + " AND 1 = 0") : sql);
        return faulty.dataSource();
    }
}
