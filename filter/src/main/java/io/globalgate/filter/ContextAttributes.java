package io.globalgate.filter;

/**
 * {@code ServletContext} attributes through which a host application hands Globalgate its
 * objects, and through which the filter and the admin servlet of one application share a store.
 */
public final class ContextAttributes {

    /** A {@code javax.sql.DataSource} the host already has (used when no dataSource/jdbcUrl is given). */
    public static final String DATA_SOURCE = "io.globalgate.DataSource";
    /**
     * A {@code javax.sql.DataSource} on a read replica of that database, where the filter's token
     * lookups and change feed read (used when no replicaDataSource/replicaJdbcUrl is given).
     */
    public static final String REPLICA_DATA_SOURCE = "io.globalgate.ReplicaDataSource";
    /** A Micrometer {@code MeterRegistry}; else {@code Metrics.globalRegistry}. */
    public static final String METER_REGISTRY = "io.globalgate.MeterRegistry";
    /** The {@code GlobalgateStore} shared by the filter and the admin servlet of this context. */
    public static final String STORE = "io.globalgate.Store";
    /** A {@code java.time.Clock}; else the system UTC clock. For tests and simulations. */
    public static final String CLOCK = "io.globalgate.Clock";

    private ContextAttributes() {
    }
}
