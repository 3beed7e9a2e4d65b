package io.globalgate.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.filter.ContextAttributes;
import io.globalgate.filter.GlobalTokenFilter;
import io.globalgate.filter.TokenFilterConfig;
import io.globalgate.filter.TokenVerifier;
import io.globalgate.filter.Verdict;
import io.globalgate.store.Database;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.token.TokenFormat;
import io.globalgate.validation.InputValidator;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The filter in a plain Jetty: scenarios 1-3 ({@code filter}) and 4 ({@code cold}). */
final class FilterBench {

    static final String FILTERED = "/api/global/*";

    private FilterBench() {
    }

    /**
     * One Jetty, one trivial servlet at {@code /*}, the filter (default configuration) mapped to
     * {@code /api/global/*} only: {@code /plain/hello} and {@code /api/global/hello} differ by the
     * filter and nothing else.
     */
    static void serveFilter(BenchServer.Options o) throws Exception {
        Path work = o.workDir();
        HikariDataSource pool = openDatabase(o, work);
        ManagementStore store = newStore(pool);
        long integration = store.integrations().create("bench", IntegrationStore.Input.of("Benchmark", "bench/run", "bench@example.com")).id();
        String single = store.tokens().create("bench", integration, "single", "never", null).value();
        int manyCount = o.getInt("many-tokens", 10_000);
        int unknownCount = o.getInt("unknown-tokens", 10_000);
        List<String> many = createTokens(store, integration, manyCount);
        List<String> unknown = new ArrayList<>(unknownCount);
        List<String> badChecksum = new ArrayList<>(unknownCount);
        for (int i = 0; i < unknownCount; i++) {
            unknown.add(TokenFormat.generate()); // well-formed, right checksum, in no database
            badChecksum.add(breakChecksum(TokenFormat.generate()));
        }
        Path tokenFile = BenchServer.writeSecretLines(work.resolve("token.txt"), List.of(single));
        Path manyFile = BenchServer.writeSecretLines(work.resolve("tokens.txt"), many);
        Path unknownFile = BenchServer.writeSecretLines(work.resolve("unknown.txt"), unknown);
        Path badFile = BenchServer.writeSecretLines(work.resolve("badsum.txt"), badChecksum);

        TokenFilterConfig.Builder config = TokenFilterConfig.builder();
        if (o.values().containsKey("negative-ttl")) {
            config.set(TokenFilterConfig.NEGATIVE_CACHE_TTL, o.get("negative-ttl", ""));
        }
        if (o.values().containsKey("lookups-per-address")) {
            // scenario 8's flood "from many addresses": wrk has one source address, so the per-address budget is lifted
            config.set(TokenFilterConfig.UNKNOWN_TOKEN_LOOKUPS_PER_ADDRESS, o.get("lookups-per-address", ""));
        }
        TokenFilterConfig filterConfig = config.build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        GlobalTokenFilter filter = new GlobalTokenFilter(filterConfig);
        Server server = BenchServer.newServer("bench-app");
        server.setHandler(filteredContext("/", store, registry, filter));
        BenchServer.startStopping(server);

        FilterProfile profile = new FilterProfile(work);
        Server control = BenchServer.controlServer(Map.of("stats", p -> stats(registry, filter),
                "profile-start", p -> profile.start(), "profile-stop", profile::stop));
        var ready = BenchServer.fields();
        ready.put("port", BenchServer.port(server));
        ready.put("control", BenchServer.port(control));
        ready.put("db", o.get("db", "h2"));
        ready.put("token-file", tokenFile);
        ready.put("tokens-file", manyFile);
        ready.put("tokens", many.size());
        ready.put("unknown-file", unknownFile);
        ready.put("badsum-file", badFile);
        ready.put("unknown", unknown.size());
        ready.put("negative-ttl-s", filterConfig.negativeCacheTtl().toSeconds());
        ready.put("lookup-budget", filterConfig.unknownTokenLookups());
        ready.put("lookup-budget-per-address", filterConfig.unknownTokenLookupsPerAddress());
        BenchServer.ready(ready);
        BenchServer.serveForever();
    }

    /**
     * Two contexts of one Jetty on one MariaDB: {@code /cached} with the filter's defaults and
     * {@code /cold} with {@code cacheMaxEntries=0}, so every decision of the latter is a lookup.
     * The control port also times {@link TokenVerifier#verify} of the cold filter inside this JVM.
     */
    static void serveCold(BenchServer.Options o) throws Exception {
        Path work = o.workDir();
        BenchMariaDb mariaDb = BenchServer.closeOnExit(BenchMariaDb.start(work.resolve("mariadb"), o.get("buffer-pool", null)));
        HikariDataSource pool = BenchServer.closeOnExit(mariaDb.newSchema("gg"));
        ManagementStore store = newStore(pool);
        long integration = store.integrations().create("bench", IntegrationStore.Input.of("Benchmark", "bench/run", "bench@example.com")).id();
        // Many tokens round-robin: requests for one token at the same moment would share one lookup.
        List<String> tokens = createTokens(store, integration, o.getInt("tokens", 1000));
        Path tokensFile = BenchServer.writeSecretLines(work.resolve("tokens.txt"), tokens);

        SimpleMeterRegistry cachedRegistry = new SimpleMeterRegistry();
        SimpleMeterRegistry coldRegistry = new SimpleMeterRegistry();
        GlobalTokenFilter cached = new GlobalTokenFilter(TokenFilterConfig.builder().build());
        GlobalTokenFilter cold = new GlobalTokenFilter(TokenFilterConfig.builder().set(TokenFilterConfig.CACHE_MAX_ENTRIES, "0").build());
        Server server = BenchServer.newServer("bench-app");
        server.setHandler(new ContextHandlerCollection(
                filteredContext("/cached", store, cachedRegistry, cached),
                filteredContext("/cold", store, coldRegistry, cold)));
        BenchServer.startStopping(server);

        Server control = BenchServer.controlServer(Map.of(
                "stats", p -> "cold".equals(p.get("ctx")) ? stats(coldRegistry, cold) : stats(cachedRegistry, cached),
                "verify", p -> timeVerify(cold.verifier(), tokens, Integer.parseInt(p.getOrDefault("n", "2000")),
                        Integer.parseInt(p.getOrDefault("threads", "1")))));
        var ready = BenchServer.fields();
        ready.put("port", BenchServer.port(server));
        ready.put("control", BenchServer.port(control));
        ready.put("db", "mariadb-" + mariaDb.version());
        ready.put("tokens-file", tokensFile);
        ready.put("tokens", tokens.size());
        BenchServer.ready(ready);
        BenchServer.serveForever();
    }

    static HikariDataSource openDatabase(BenchServer.Options o, Path work) throws Exception {
        if ("mariadb".equals(o.get("db", "h2"))) {
            BenchMariaDb mariaDb = BenchServer.closeOnExit(BenchMariaDb.start(work.resolve("mariadb"), o.get("buffer-pool", null)));
            return BenchServer.closeOnExit(mariaDb.newSchema("gg"));
        }
        // The embedded default's engine, in memory: the hot path never reaches it on a cache hit.
        return BenchServer.closeOnExit(Database.pool("bench-h2", "jdbc:h2:mem:bench;MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                "sa", "", Duration.ofSeconds(2)));
    }

    /** The store over {@code pool}, migrated, and its write side to issue tokens through, as the admin does. */
    static ManagementStore newStore(HikariDataSource pool) {
        Clock clock = Clock.systemUTC();
        return new ManagementStore(new GlobalgateStore(pool, clock).migrate(), new InputValidator(clock, null));
    }

    private static ServletContextHandler filteredContext(String path, ManagementStore store, MeterRegistry registry, GlobalTokenFilter filter) {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath(path);
        context.setAttribute(ContextAttributes.STORE, store.shared());
        context.setAttribute(ContextAttributes.METER_REGISTRY, registry);
        FilterHolder holder = new FilterHolder(filter);
        holder.setName("globalgate");
        context.addFilter(holder, FILTERED, EnumSet.of(DispatcherType.REQUEST));
        // The control for what any servlet filter that wraps the request costs in this Jetty:
        // /pass/* goes through a filter that only wraps the request and passes it on.
        FilterHolder pass = new FilterHolder((req, res, chain) ->
                chain.doFilter(new HttpServletRequestWrapper((HttpServletRequest) req), res));
        pass.setName("pass-through");
        context.addFilter(pass, "/pass/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder("hello", new BenchServer.HelloServlet()), "/*");
        return context;
    }

    /** Tokens issued through the store, as the admin issues them (a few threads: each is a transaction). */
    static List<String> createTokens(ManagementStore store, long integration, int count) throws Exception {
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String name = "bench-" + i;
                futures.add(pool.submit(() -> store.tokens().create("bench", integration, name, "never", null).value()));
            }
            List<String> tokens = new ArrayList<>(count);
            for (Future<String> f : futures) {
                tokens.add(f.get());
            }
            System.out.printf(Locale.ROOT, "INFO issued %d tokens in %.1f s%n", count, (System.nanoTime() - started) / 1e9);
            return Collections.unmodifiableList(tokens);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** The same characters with a checksum that cannot match (the last digit moved by one). */
    static String breakChecksum(String token) {
        char last = token.charAt(token.length() - 1);
        return token.substring(0, token.length() - 1) + (last == 'z' ? '0' : last == '9' ? 'A' : last == 'Z' ? 'a' : (char) (last + 1));
    }

    /** One line of the filter's meters: what the harness reads before and after each run. */
    static String stats(MeterRegistry registry, GlobalTokenFilter filter) {
        double lookups = registry.get("globalgate.store.lookups").functionCounter().count();
        double accepted = 0;
        double rejected = 0;
        double unavailable = 0;
        for (FunctionCounter c : registry.find("globalgate.auth.requests").functionCounters()) {
            switch (c.getId().getTag("outcome")) {
                case "accepted" -> accepted += c.count();
                case "rejected" -> rejected += c.count();
                default -> unavailable += c.count();
            }
        }
        long decided = 0;
        double totalNanos = 0;
        for (FunctionTimer t : registry.find("globalgate.auth.duration").functionTimers()) {
            decided += (long) t.count();
            totalNanos += t.totalTime(TimeUnit.NANOSECONDS);
        }
        return String.format(Locale.ROOT, "lookups=%.0f verifier_lookups=%d accepted=%.0f rejected=%.0f unavailable=%.0f"
                        + " decided=%d decide_total_ns=%.0f known_cached=%.0f unknown_cached=%.0f",
                lookups, filter.verifier().storeLookups(), accepted, rejected, unavailable, decided, totalNanos,
                registry.get("globalgate.cache.size").tag("cache", "known").gauge().value(),
                registry.get("globalgate.cache.size").tag("cache", "unknown").gauge().value());
    }

    /**
     * Times {@code n} calls of {@link TokenVerifier#verify} from {@code threads} threads, tokens
     * round-robin, each call timed alone: the cost of one decision as the filter makes it.
     */
    static String timeVerify(TokenVerifier verifier, List<String> tokens, int n, int threads) {
        long lookupsBefore = verifier.storeLookups();
        long[] nanos = new long[n];
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = thread; i < n; i += threads) {
                        String token = tokens.get((int) ((long) i * 7919 % tokens.size()));
                        long t0 = System.nanoTime();
                        Verdict verdict = verifier.verify(token);
                        nanos[i] = System.nanoTime() - t0;
                        if (!(verdict instanceof Verdict.Accepted)) {
                            failures.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("timing verify failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return Stats.Latency.ofNanos(nanos).keyValues() + String.format(Locale.ROOT, " rps=%.1f lookups=%d failures=%d threads=%d",
                n / seconds, verifier.storeLookups() - lookupsBefore, failures.get(), threads);
    }
}
