package io.globalgate.filter;

import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.NoInitialContextException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Names the root cause of a start-up failure and its likely fix. A JNDI pool that cannot start
 * reaches us four "Caused by" levels down (Tomcat's naming context, HikariCP's factory, the pool,
 * DriverManager); the top message alone points the wrong way.
 */
public final class StartupDiagnosis {

    private StartupDiagnosis() {
    }

    /** The innermost cause, following {@link NamingException#getRootCause()} too. */
    public static Throwable rootCause(Throwable e) {
        Throwable root = e;
        for (int depth = 0; depth < 32; depth++) {
            Throwable next = root instanceof NamingException n && n.getRootCause() != null ? n.getRootCause() : root.getCause();
            if (next == null || next == root) {
                break;
            }
            root = next;
        }
        return root;
    }

    /** "Root cause: <class>: <message>. Fix: <what to do>." for a failure to get or use the database. */
    public static String explain(Throwable e) {
        Throwable root = rootCause(e);
        String message = root.getMessage() == null ? "" : root.getMessage();
        String fix = fix(e, root, message);
        return "Root cause: " + root.getClass().getName() + (message.isEmpty() ? "" : ": " + message)
                + (fix == null ? "" : ". Fix: " + fix);
    }

    private static String fix(Throwable top, Throwable root, String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("no suitable driver") || lower.contains("failed to get driver instance")
                || (root instanceof ClassNotFoundException && lower.contains("driver"))) {
            return "the pool cannot see a JDBC driver for the URL. Put the driver jar (MariaDB: mariadb-java-client-<version>.jar) "
                    + "in the container's lib/ and name its class on the <Resource>: driverClassName=\"org.mariadb.jdbc.Driver\" "
                    + "(DriverManager does not find a driver in WEB-INF/lib by itself)";
        }
        if (root instanceof ClassNotFoundException && lower.contains("hikari")) {
            return "the container could not load HikariCP's JNDI factory; keep HikariCP in WEB-INF/lib (globalgate-filter brings it)";
        }
        if (root instanceof NoInitialContextException) {
            return "this container offers no JNDI; in Jetty enable the module ee10-plus (--add-modules=ee10-plus) and declare the "
                    + "DataSource in WEB-INF/jetty-env.xml, or set jdbcUrl instead of dataSource";
        }
        if (root instanceof NameNotFoundException || hasCause(top, NameNotFoundException.class)) {
            return "nothing is bound at that name; declare <Resource name=\"jdbc/globalgate\" type=\"javax.sql.DataSource\" ...> in "
                    + "META-INF/context.xml (Tomcat) or a DataSource in WEB-INF/jetty-env.xml (Jetty), and refer to it as "
                    + "java:comp/env/jdbc/globalgate";
        }
        if (root instanceof SQLException sql && "28000".equals(sql.getSQLState()) || lower.contains("access denied")) {
            return "the database refused the user; check the username and password of the DataSource, and the user's grants "
                    + "(README: database privileges)";
        }
        if (lower.contains("unknown database")) {
            return "the database named in the JDBC URL does not exist; create it (CREATE DATABASE globalgate CHARACTER SET utf8mb4 "
                    + "COLLATE utf8mb4_bin) or correct the URL";
        }
        if (root instanceof ConnectException || root instanceof UnknownHostException || lower.contains("connection refused")
                || lower.contains("socket fail to connect")) {
            return "the database does not answer at the JDBC URL's host and port; check them, and that the server runs "
                    + "(Globalgate answers 503 until it does)";
        }
        return null;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t instanceof NamingException n && n.getRootCause() != null ? n.getRootCause() : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                return false;
            }
        }
        return false;
    }
}
