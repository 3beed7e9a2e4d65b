package io.globalgate.filter;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import javax.naming.NameNotFoundException;
import javax.naming.NamingException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartupDiagnosisTest {

    /** What Tomcat hands back when HikariCP's JNDI factory cannot start the pool: the pool's failure as the root cause. */
    private static NamingException asTomcatWrapsIt(Throwable poolFailure) {
        NamingException naming = new NamingException("Could not create resource factory instance");
        naming.setRootCause(poolFailure);
        return naming;
    }

    @Test
    void aPoolWithoutItsDriverIsExplainedAsTheMissingDriverClassName() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:nosuchdatabase://db.example.internal:3306/globalgate");
        RuntimeException poolFailure = assertThrows(RuntimeException.class, () -> new HikariDataSource(config).close());

        String explained = StartupDiagnosis.explain(asTomcatWrapsIt(poolFailure));

        assertTrue(explained.startsWith("Root cause: java.sql.SQLException: No suitable driver. Fix: "), explained);
        assertTrue(explained.contains("in the container's lib/ and name its class on the <Resource>: "
                + "driverClassName=\"org.mariadb.jdbc.Driver\""), explained);
    }

    @Test
    void aJndiNameWithNothingBoundIsExplainedAsAMissingResource() {
        String explained = StartupDiagnosis.explain(new NameNotFoundException("Name [jdbc/globalgate] is not bound in this Context"));
        assertTrue(explained.startsWith("Root cause: javax.naming.NameNotFoundException: Name [jdbc/globalgate] is not bound in this "
                + "Context. Fix: nothing is bound at that name; declare <Resource name=\"jdbc/globalgate\""), explained);
    }

    @Test
    void anUnknownFailureStillNamesItsRootCause() {
        assertEquals("Root cause: java.lang.IllegalStateException: inner",
                StartupDiagnosis.explain(new RuntimeException("outer", new IllegalStateException("inner"))));
    }
}
