package io.globalgate.filter;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.filter.contract.Deployment;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.store.ReplicaReads;
import io.globalgate.testing.MutableClock;
import io.globalgate.testing.Seed;
import io.globalgate.testing.TestDatabases;
import io.globalgate.testing.jetty.JettyContext;
import io.globalgate.testing.jetty.JettyHarness;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The filter's life cycle in embedded Jetty, on H2: what {@code destroy()} releases, each release
 * by something a test can see (the threads it started end, the pools it opened close, its meters
 * leave the registry, the store it shares no longer calls it, the usage it gathered is written),
 * a failed start that leaves nothing behind, and the wiring of a read replica. The Tomcat reload
 * tests show the same for a web application, outside the mutation profile; these run in it.
 */
@Tag("jetty")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FilterLifecycleTest {

    /** How long a thread the filter started may take to end after the stop (the filter gives its own thread as long): the pools' housekeepers are only interrupted. */
    private static final Duration THREAD_END_PATIENCE = Duration.ofSeconds(5);

    private final JettyHarness jetty = new JettyHarness();
    private MutableClock clock;
    private HikariDataSource primary;
    private HikariDataSource replica;
    private GlobalgateStore store;
    private Seed seed;
    private HttpClient http;

    @BeforeAll
    void databases() {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        primary = TestDatabases.h2();
        store = new GlobalgateStore(primary, clock).migrate();
        seed = new Seed(store);
        // The replica is a second database of the same schema that nothing replicates to: its
        // heartbeat moves only when the test writes it there, and it holds no token.
        replica = TestDatabases.h2();
        new GlobalgateStore(replica, clock).migrate();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    void close() {
        if (replica != null) {
            replica.close();
        }
        if (primary != null) {
            primary.close();
        }
    }

    /**
     * The filter opens its own pools here (the primary by {@code jdbcUrl}, the replica by
     * {@code replicaJdbcUrl}) and runs its background work on a thread of its own: after the stop
     * none of those threads is left (HikariCP's housekeeper ends only when its pool is closed).
     */
    @Test
    void stoppingTheFilterEndsEveryThreadItStartedAndClosesThePoolsItOpened() throws Exception {
        beatOnReplica();
        Set<Thread> before = globalgateThreads();
        Deployment d = jetty.deploy(Map.of("jdbcUrl", primary.getJdbcUrl(), "jdbcUser", primary.getUsername(),
                "replicaJdbcUrl", replica.getJdbcUrl(), "replicaJdbcUser", replica.getUsername()),
                Map.of(ContextAttributes.CLOCK, clock, ContextAttributes.METER_REGISTRY, new SimpleMeterRegistry()));
        Set<Thread> started;
        try {
            assertNull(d.startFailure(), () -> String.valueOf(d.startFailure()));
            Seed.Issued token = seed.token(seed.integration("Lifecycle threads").id(), "t", "never", null);
            assertEquals(200, status(d, token.value()), "a token read through both pools");
            started = globalgateThreads();
            started.removeAll(before);
            assertTrue(names(started).containsAll(Set.of("globalgate-filter-globalgate", "globalgate:housekeeper",
                    "globalgate-replica:housekeeper")), () -> "threads started by the filter: " + names(started));
        } finally {
            d.close();
        }
        assertEquals(1, d.filter().destroyCount(), "destroy() calls");
        assertAllEnd(started);
    }

    /**
     * The store is the host's here (a context attribute, as the admin servlet of the same
     * application shares it) and outlives the filter: once stopped, the filter is no longer one of
     * its listeners (a token created through it reaches the stopped filter's lookup budget no
     * more), has written the usage it gathered since its last flush, and has taken its meters
     * out of the host's registry.
     */
    @Test
    void aStoppedFilterLeavesNothingOfItselfInTheHostsStoreOrRegistry() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Map<String, Object> attributes = new HashMap<>();
        attributes.put(ContextAttributes.STORE, store);
        attributes.put(ContextAttributes.CLOCK, clock);
        attributes.put(ContextAttributes.METER_REGISTRY, registry);
        Seed.Issued token = seed.token(seed.integration("Lifecycle shared store").id(), "t", "never", null);
        Deployment d = jetty.deploy(Map.of("usageFlushInterval", "1h", "changePollInterval", "10m", "maxStaleness", "1h"), attributes);
        TokenLookupBudget budget;
        try {
            assertNull(d.startFailure(), () -> String.valueOf(d.startFailure()));
            budget = d.filter().verifier().lookupBudget();
            assertNotNull(budget);
            assertEquals(200, status(d, token.value()));
            assertNull(seed.lastUse(token.token().id()).at(), "the usage is gathered, not written, before the stop");
            int listed = budget.listedCount();
            seed.token(seed.integration("Lifecycle created while running").id(), "t", "never", null);
            assertEquals(listed + 1, budget.listedCount(), "the running filter hears a token created through the store");
            assertFalse(globalgateMeters(registry).isEmpty());
        } finally {
            d.close();
        }
        assertEquals(clock.instant(), seed.lastUse(token.token().id()).at(), "the usage gathered is written by the stop");
        int listed = budget.listedCount();
        seed.token(seed.integration("Lifecycle created after the stop").id(), "t", "never", null);
        assertEquals(listed, budget.listedCount(), "the stopped filter is still one of the store's listeners");
        assertEquals(List.of(), globalgateMeters(registry), "meters left in the registry");
    }

    /**
     * A start that fails after the filter opened its pool (a replica the JNDI lookup cannot find,
     * refused as a bad option; a schema not there with {@code migrate=false}, found after the store
     * was opened, the change listener added and the meters bound) releases what it had taken
     * before {@code init} throws. Jetty calls {@code destroy()} on such a filter when it stops the
     * context, Tomcat never does (a filter whose {@code init} failed is not in service), so the
     * test calls {@code init} itself with a real context and never {@code destroy()}.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "replicaDataSource=java:comp/env/jdbc/missing | replicaDataSource: no DataSource at JNDI name java:comp/env/jdbc/missing",
            "migrate=false                                | Globalgate schema not found",
    })
    void aFilterThatFailsToStartLeavesNoThreadOrMeterBehind(String option, String expected) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String[] pair = option.split("=", 2);
        try (HikariDataSource empty = TestDatabases.h2();
             JettyContext context = JettyContext.start(Map.of(ContextAttributes.CLOCK, clock, ContextAttributes.METER_REGISTRY, registry))) {
            Map<String, String> init = Map.of("jdbcUrl", empty.getJdbcUrl(), "jdbcUser", empty.getUsername(), pair[0], pair[1]);
            Set<Thread> before = globalgateThreads();
            ServletException failure = assertThrows(ServletException.class,
                    () -> new GlobalTokenFilter().init(filterConfig(context.servletContext(), init)));
            assertTrue(failure.getMessage().contains(expected), () -> "message was: " + failure.getMessage());
            // The pool opened before the failure may have closed already: what is left must end.
            Set<Thread> started = globalgateThreads();
            started.removeAll(before);
            assertAllEnd(started);
            assertEquals(List.of(), globalgateMeters(registry), "meters left in the registry");
            assertNull(context.servletContext().getAttribute(ContextAttributes.STORE), "the store left in the context");
        }
    }

    /**
     * With a read replica, lookups read there, and the replica may be behind its primary: once it
     * is behind by more than {@code maxStaleness}, a token whose accept is no longer trusted is
     * answered 503 rather than read from a replica that may still show it live after a revocation
     * (as when the store is down). Here the primary stops reaching the replica: the heartbeat
     * there stays where the test wrote it while the clock moves on.
     */
    @Test
    void aNodeWhoseReplicaFellBehindByMoreThanMaxStalenessAnswers503() throws Exception {
        beatOnReplica();
        Seed.Issued token = seed.token(seed.integration("Lifecycle replica").id(), "t", "never", null);
        Map<String, Object> attributes = new HashMap<>();
        attributes.put(ContextAttributes.STORE, store);
        attributes.put(ContextAttributes.CLOCK, clock);
        attributes.put(ContextAttributes.METER_REGISTRY, new SimpleMeterRegistry());
        try (Deployment d = jetty.deploy(Map.of("replicaJdbcUrl", replica.getJdbcUrl(), "replicaJdbcUser", replica.getUsername(),
                "changePollInterval", "20ms", "maxStaleness", "30s"), attributes)) {
            assertNull(d.startFailure(), () -> String.valueOf(d.startFailure()));
            assertEquals(200, status(d, token.value()), "a replica in step: accepted (read on the primary, as not replicated yet)");

            clock.advance(Duration.ofSeconds(31));
            TokenVerifier verifier = d.filter().verifier();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (verifier.isFresh()) { // polls a condition: the next read of the heartbeat finds the replica 31 s behind
                assertTrue(System.nanoTime() < deadline, "the replica 31 s behind never made the node stale");
                Thread.onSpinWait();
            }
            assertEquals(503, status(d, token.value()), "the cached accept, no longer trusted, is not read on the replica");
            Seed.Issued unseen = seed.token(seed.integration("Lifecycle replica, unseen").id(), "t", "never", null);
            assertEquals(503, status(d, unseen.value()), "a token the node never saw");
        }
    }

    // ---- helpers

    /** The replica shows the primary's heartbeat as of now (as if replication had just brought it over). */
    private void beatOnReplica() {
        GlobalgateStore onReplica = new GlobalgateStore(replica, clock);
        new ReplicaReads(onReplica, replica).beat(Duration.ZERO);
    }

    private int status(Deployment d, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(d.uri("v1/x")).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static FilterConfig filterConfig(ServletContext context, Map<String, String> params) {
        return new FilterConfig() {
            @Override
            public String getFilterName() {
                return "lifecycle";
            }

            @Override
            public ServletContext getServletContext() {
                return context;
            }

            @Override
            public String getInitParameter(String name) {
                return params.get(name);
            }

            @Override
            public Enumeration<String> getInitParameterNames() {
                return Collections.enumeration(params.keySet());
            }
        };
    }

    private static Set<Thread> globalgateThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("globalgate"))
                .collect(Collectors.toCollection(HashSet::new));
    }

    private static Set<String> names(Set<Thread> threads) {
        return threads.stream().map(Thread::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Waits for each thread to end, up to the patience in all; fails naming those still running. */
    private static void assertAllEnd(Set<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + THREAD_END_PATIENCE.toNanos();
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, Duration.ofNanos(left).toMillis()));
            }
        }
        Set<Thread> alive = threads.stream().filter(Thread::isAlive).collect(Collectors.toSet());
        assertEquals(Set.of(), names(alive), "threads still running after the stop");
    }

    private static List<String> globalgateMeters(SimpleMeterRegistry registry) {
        return registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName).filter(n -> n.startsWith("globalgate")).toList();
    }
}
