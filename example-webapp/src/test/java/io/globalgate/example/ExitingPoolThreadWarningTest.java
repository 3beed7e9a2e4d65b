package io.globalgate.example;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What {@link StandaloneContainerContract#withoutExitingPoolThreads} removes from a container's log, and what it keeps. */
class ExitingPoolThreadWarningTest {

    private static final String BEFORE = "02-Dec-2026 07:49:49.122 INFO [exec-3] com.zaxxer.hikari.HikariDataSource.close globalgate - Shutdown completed.\n";
    private static final String AFTER = "02-Dec-2026 07:49:49.918 INFO [exec-3] com.zaxxer.hikari.HikariDataSource.<init> globalgate - Starting...\n";

    private static String warning(String thread) {
        return "02-Dec-2026 07:49:49.126 WARNING [exec-3] org.apache.catalina.loader.WebappClassLoaderBase.clearReferencesThreads"
                + " The web application [legacy] appears to have started a thread named [" + thread + "] but has failed to stop it."
                + " This is very likely to create a memory leak. Stack trace of thread:\n";
    }

    @Test
    void theWarningOfAnExitingPoolThreadWithNoFrameIsRemoved() {
        // as Tomcat 10.1.59 wrote it during a redeploy on a loaded machine
        assertEquals(BEFORE + AFTER, StandaloneContainerContract.withoutExitingPoolThreads(BEFORE + warning("globalgate:connection-closer") + AFTER));
        assertEquals(BEFORE, StandaloneContainerContract.withoutExitingPoolThreads(BEFORE + warning("globalgate:connection-adder")));
    }

    @Test
    void aPoolThreadThatStillRunsCodeIsKept() {
        String running = BEFORE + warning("globalgate:connection-closer")
                + " java.base@17.0.15/jdk.internal.misc.Unsafe.park(Native Method)\n"
                + " java.base@17.0.15/java.util.concurrent.locks.LockSupport.parkNanos(LockSupport.java:252)\n" + AFTER;
        assertEquals(running, StandaloneContainerContract.withoutExitingPoolThreads(running));
    }

    @Test
    void anyOtherThreadIsKeptEvenWithoutFrames() {
        for (String thread : new String[] {"globalgate housekeeper", "globalgate-filter-poller", "globalgate:housekeeper", "other:connection-closer"}) {
            String log = BEFORE + warning(thread) + AFTER;
            assertEquals(log, StandaloneContainerContract.withoutExitingPoolThreads(log), thread);
        }
    }
}
