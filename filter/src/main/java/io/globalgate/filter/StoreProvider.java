package io.globalgate.filter;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.config.StoreOptions;
import io.globalgate.store.Database;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.store.ReplicaReads;
import jakarta.servlet.ServletContext;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;

/**
 * Finds or creates the one {@link GlobalgateStore} of a servlet context: an existing one in the
 * context attribute {@link ContextAttributes#STORE}, else one over a JNDI {@code DataSource}, a
 * pool of our own from {@code jdbcUrl}, or the host's {@code DataSource} attribute, in that order.
 */
public final class StoreProvider {

    /** The store and, when this call opened it, the pool it opened. */
    public record Obtained(GlobalgateStore store, HikariDataSource ownedPool, String description) {
    }

    /** The pool we opened (null for a JNDI or host DataSource), and how many components of the context still use the store. */
    private record PoolUsers(HikariDataSource pool, java.util.concurrent.atomic.AtomicInteger users) {
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StoreProvider.class);
    private static final String POOL_USERS = "io.globalgate.internal.PoolUsers";

    private StoreProvider() {
    }

    public static synchronized Obtained obtain(ServletContext context, String jndiName, String jdbcUrl, String user,
                                               String password, Duration connectionTimeout, Clock clock) {
        Object existing = context.getAttribute(ContextAttributes.STORE);
        if (existing instanceof GlobalgateStore store) {
            if (context.getAttribute(POOL_USERS) instanceof PoolUsers users) {
                users.users().incrementAndGet();
            }
            return new Obtained(store, null, "shared store of this context");
        }
        HikariDataSource owned = null;
        DataSource dataSource;
        String description;
        if (jndiName != null && !jndiName.isEmpty()) {
            dataSource = lookup("dataSource", jndiName);
            description = "JNDI DataSource " + jndiName;
        } else if (jdbcUrl != null && !jdbcUrl.isEmpty()) {
            owned = Database.pool("globalgate", jdbcUrl, user, password, connectionTimeout);
            dataSource = owned;
            description = StoreOptions.redact(jdbcUrl);
        } else if (context.getAttribute(ContextAttributes.DATA_SOURCE) instanceof DataSource host) {
            dataSource = host;
            description = "DataSource from context attribute " + ContextAttributes.DATA_SOURCE;
        } else {
            throw new IllegalArgumentException("Globalgate needs a database: set the init-param dataSource (a JNDI name such as "
                    + "java:comp/env/jdbc/globalgate) or jdbcUrl, or put a javax.sql.DataSource in the ServletContext attribute "
                    + ContextAttributes.DATA_SOURCE);
        }
        GlobalgateStore store = new GlobalgateStore(dataSource, clock);
        context.setAttribute(ContextAttributes.STORE, store);
        context.setAttribute(POOL_USERS, new PoolUsers(owned, new java.util.concurrent.atomic.AtomicInteger(1)));
        return new Obtained(store, owned, description);
    }

    /**
     * Called by each component that obtained the store, when it stops. The pool we opened closes
     * with the last of them, so the filter stopping first does not pull the database out from
     * under the admin servlet of the same application, or the other way round.
     */
    public static synchronized void release(ServletContext context) {
        if (context.getAttribute(POOL_USERS) instanceof PoolUsers users && users.users().decrementAndGet() == 0) {
            if (users.pool() != null) {
                users.pool().close();
            }
            context.removeAttribute(POOL_USERS);
            context.removeAttribute(ContextAttributes.STORE);
            deregisterDriversOf(context);
        }
    }

    /**
     * A JDBC driver in {@code WEB-INF/lib} registers itself with the JVM-wide {@code DriverManager}
     * when first loaded, and stays registered, holding the application's class loader, after the
     * application stops (Tomcat warns of it on every stop and redeploy). Drivers loaded by this
     * application's own class loader are deregistered when its last Globalgate component stops;
     * a driver in the container's {@code lib/} or on the class path of an embedded server is not
     * the application's, and is left alone.
     */
    private static void deregisterDriversOf(ServletContext context) {
        ClassLoader application;
        try {
            application = context.getClassLoader();
        } catch (RuntimeException e) {
            return;
        }
        if (application == null || application == ClassLoader.getSystemClassLoader()
                || application == ClassLoader.getPlatformClassLoader()) {
            return;
        }
        for (java.sql.Driver driver : java.util.Collections.list(java.sql.DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == application) {
                try {
                    java.sql.DriverManager.deregisterDriver(driver);
                    LOG.info("Globalgate deregistered the JDBC driver {} of this application", driver.getClass().getName());
                } catch (java.sql.SQLException | SecurityException e) {
                    LOG.warn("Could not deregister the JDBC driver {}: {}", driver.getClass().getName(), e.toString());
                }
            }
        }
    }

    /** The read replica a filter reads from, and the pool it opened for it (the filter closes it), or null for none. */
    public record Replica(ReplicaReads reads, HikariDataSource ownedPool, String description) {
    }

    /**
     * The read replica of {@code store}'s database, when one is configured: a JNDI
     * {@code DataSource}, a pool of our own from {@code jdbcUrl}, or the host's replica
     * {@code DataSource} attribute, in that order; null when none is. Not shared through the
     * context: only the filter reads from it, and each filter closes what it opened.
     */
    public static Replica replica(ServletContext context, GlobalgateStore store, String jndiName, String jdbcUrl, String user,
                                  String password, Duration connectionTimeout) {
        if (jndiName != null && !jndiName.isEmpty()) {
            return new Replica(new ReplicaReads(store, lookup("replicaDataSource", jndiName)), null, "JNDI DataSource " + jndiName);
        }
        if (jdbcUrl != null && !jdbcUrl.isEmpty()) {
            HikariDataSource pool = Database.pool("globalgate-replica", jdbcUrl, user, password, connectionTimeout);
            return new Replica(new ReplicaReads(store, pool), pool, StoreOptions.redact(jdbcUrl));
        }
        if (context.getAttribute(ContextAttributes.REPLICA_DATA_SOURCE) instanceof DataSource host) {
            return new Replica(new ReplicaReads(store, host), null,
                    "DataSource from context attribute " + ContextAttributes.REPLICA_DATA_SOURCE);
        }
        return null;
    }

    private static DataSource lookup(String option, String name) {
        try {
            Object found = new InitialContext().lookup(name);
            if (found instanceof DataSource ds) {
                return ds;
            }
            throw new IllegalArgumentException(option + ": JNDI name " + name + " is bound to "
                    + (found == null ? "nothing" : found.getClass().getName()) + ", not a javax.sql.DataSource");
        } catch (NamingException | RuntimeException e) {
            if (e instanceof IllegalArgumentException refused && refused.getMessage().startsWith(option + ":")) {
                throw refused;
            }
            // A pool that cannot start fails inside the lookup (HikariCP's factory starts it).
            throw new IllegalArgumentException(option + ": no DataSource at JNDI name " + name + ". "
                    + StartupDiagnosis.explain(e), e);
        }
    }
}
