package io.globalgate.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.admin.store.PageRequest;
import io.globalgate.filter.TokenVerifier;
import io.globalgate.filter.Verdict;
import io.globalgate.gateway.GatewayServer;
import io.globalgate.token.TokenFormat;
import io.globalgate.token.TokenHash;
import org.eclipse.jetty.server.Server;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Scenario 7: the store at scale. Two schemas on one MariaDB, one with 10 000 tokens and one with
 * N (default 1 000 000), filled by multi-row INSERTs straight into {@code access_token} (random
 * hashes; a sample of real tokens among them, spread over the whole table). Cold lookups (the
 * verifier with no cache) alternate between the two schemas, round by round. Then a sample gateway
 * on the large schema serves the admin token grid of an integration that owns G of the N tokens
 * (default 100 000).
 */
final class StoreScale {

    private static final int ROWS_PER_INSERT = 1000;
    private static final int FILLER_INTEGRATIONS = 99;
    private static final String SCENARIO = "7 store-scale";

    private StoreScale() {
    }

    private record Population(String schema, long gridIntegration, int gridTokens, List<String> samples, ManagementStore store) {
    }

    static void run(BenchServer.Options o) throws Exception {
        Path work = o.workDir();
        int total = o.getInt("tokens", 1_000_000);
        int small = Math.min(total, o.getInt("small", 10_000));
        int grid = o.getInt("grid", Math.min(100_000, total / 10));
        int rounds = o.getInt("rounds", 5);
        int lookups = o.getInt("lookups", 2000);
        int pageLoads = o.getInt("page-loads", 5);
        String bufferPool = o.get("buffer-pool", "1G");
        System.out.printf("INFO store-scale: %d vs %d tokens, grid integration with %d tokens, %d rounds of %d lookups per side,"
                + " innodb_buffer_pool_size=%s%n", small, total, grid, rounds, lookups, bufferPool);

        BenchMariaDb mariaDb = BenchServer.closeOnExit(BenchMariaDb.start(work.resolve("mariadb"), bufferPool));
        Population smallDb = populate(mariaDb, "gg_small", small, Math.min(grid, small / 10), 2000);
        Population largeDb = populate(mariaDb, "gg_large", total, grid, 2000);

        // ---- cold lookups, alternating schemas round by round (ABBA order)
        TokenVerifier smallVerifier = coldVerifier(smallDb.store());
        TokenVerifier largeVerifier = coldVerifier(largeDb.store());
        time(smallVerifier, smallDb.samples(), smallDb.samples().size()); // warm-up: JIT, pool, buffer pool
        time(largeVerifier, largeDb.samples(), largeDb.samples().size());
        double[] smallP50 = new double[rounds];
        double[] smallP99 = new double[rounds];
        double[] largeP50 = new double[rounds];
        double[] largeP99 = new double[rounds];
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            Stats.Latency s;
            Stats.Latency l;
            if (r % 2 == 0) {
                s = time(smallVerifier, smallDb.samples(), lookups);
                l = time(largeVerifier, largeDb.samples(), lookups);
            } else {
                l = time(largeVerifier, largeDb.samples(), lookups);
                s = time(smallVerifier, smallDb.samples(), lookups);
            }
            smallP50[r] = s.p50us();
            smallP99[r] = s.p99us();
            largeP50[r] = l.p50us();
            largeP99[r] = l.p99us();
            ratio[r] = l.p99us() / s.p99us();
            System.out.printf(Locale.ROOT, "PROGRESS store-scale lookups round %d/%d: %d tokens %s; %d tokens %s%n",
                    r + 1, rounds, small, s.keyValues(), total, l.keyValues());
        }
        String perRound = " (min / median / max of " + rounds + " rounds of " + lookups + ")";
        System.out.println(Stats.row(SCENARIO, "cold lookup p50 at " + small + " tokens, µs" + perRound, Stats.Spread.of(smallP50).text(), null, null));
        System.out.println(Stats.row(SCENARIO, "cold lookup p99 at " + small + " tokens, µs" + perRound, Stats.Spread.of(smallP99).text(), null, null));
        System.out.println(Stats.row(SCENARIO, "cold lookup p50 at " + total + " tokens, µs" + perRound, Stats.Spread.of(largeP50).text(), null, null));
        System.out.println(Stats.row(SCENARIO, "cold lookup p99 at " + total + " tokens, µs" + perRound, Stats.Spread.of(largeP99).text(), null, null));
        Stats.Spread r = Stats.Spread.of(ratio);
        System.out.println(Stats.row(SCENARIO, "cold lookup p99 ratio " + total + " / " + small + perRound, r.text(), "<= 1.20", r.median() <= 1.20));

        // ---- the admin token grid, through a sample gateway on the large schema
        Server upstream = BenchServer.trivialServer("bench-upstream");
        String password = GatewayBench.randomPassword();
        Server gateway = BenchServer.startStopping(GatewayServer.createServer(GatewayBench.config(work.resolve("gateway"),
                URI.create("http://" + BenchServer.LOOPBACK + ":" + BenchServer.port(upstream)), password, mariaDb.url(largeDb.schema()))));
        AdminClient admin = new AdminClient(GatewayBench.uri(gateway), "admin", password);
        long id = largeDb.gridIntegration();
        int lastPage = Math.max(1, (largeDb.gridTokens() + PageRequest.DEFAULT_SIZE - 1) / PageRequest.DEFAULT_SIZE);
        Map<String, Callable<Integer>> pages = new LinkedHashMap<>();
        pages.put("GET /admin/integrations/{id} (token grid, page 1)", () -> admin.get("/admin/integrations/" + id));
        pages.put("GET /admin/integrations/{id}?page=" + lastPage + " (last page)", () -> admin.get("/admin/integrations/" + id + "?page=" + lastPage));
        pages.put("GET /admin/api/v1/integrations/{id}/tokens (page 1)", () -> admin.get("/admin/api/v1/integrations/" + id + "/tokens"));
        pages.put("GET /admin/ (integrations list, " + (FILLER_INTEGRATIONS + 1) + " integrations)", () -> admin.get("/admin/"));
        pages.put("TokenStore.list(page 1) in-process", () -> {
            largeDb.store().tokens().list(id, null, PageRequest.first(PageRequest.DEFAULT_SIZE));
            return 200;
        });
        pages.put("IntegrationStore.get(id) in-process (each grid page loads it)", () -> {
            largeDb.store().integrations().get(id);
            return 200;
        });
        pages.put("TokenLookup.counts() in-process (token gauges, every 30 s per node)", () -> {
            largeDb.store().shared().tokens().counts(Duration.ofDays(7));
            return 200;
        });
        boolean first = true;
        for (Map.Entry<String, Callable<Integer>> page : pages.entrySet()) {
            for (int i = 0; i < 2; i++) {
                requireOk(page.getKey(), page.getValue().call()); // warm-up (the first Basic login pays PBKDF2)
            }
            long[] nanos = new long[rounds * pageLoads];
            for (int i = 0; i < nanos.length; i++) {
                long t0 = System.nanoTime();
                requireOk(page.getKey(), page.getValue().call());
                nanos[i] = System.nanoTime() - t0;
            }
            Stats.Latency l = Stats.Latency.ofNanos(nanos);
            String measure = page.getKey() + " with " + largeDb.gridTokens() + " tokens of " + total + ", ms (p50 / p99 / max of "
                    + nanos.length + ")";
            String values = Stats.triple(l.p50us() / 1e3, l.p99us() / 1e3, l.maxUs() / 1e3);
            System.out.println(first ? Stats.row(SCENARIO, measure, values, "p50 <= 200", l.p50us() <= 200_000)
                    : Stats.row(SCENARIO, measure, values, null, null));
            System.out.printf("PROGRESS store-scale pages: %s done%n", page.getKey());
            first = false;
        }
    }

    private static void requireOk(String what, int status) {
        if (status != 200) {
            throw new IllegalStateException("store-scale: " + what + " answered " + status);
        }
    }

    private static TokenVerifier coldVerifier(ManagementStore store) {
        // As the filter builds it with cacheMaxEntries=0: every decision is one indexed lookup.
        return new TokenVerifier(store.shared().tokens()::findDecision, Clock.systemUTC(), 0, Duration.ofMinutes(10), Duration.ofSeconds(60),
                Duration.ofDays(1));
    }

    private static Stats.Latency time(TokenVerifier verifier, List<String> samples, int n) {
        SplittableRandom random = new SplittableRandom();
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            String token = samples.get(random.nextInt(samples.size()));
            long t0 = System.nanoTime();
            Verdict verdict = verifier.verify(token);
            nanos[i] = System.nanoTime() - t0;
            if (!(verdict instanceof Verdict.Accepted)) {
                throw new IllegalStateException("store-scale: a sampled token was not accepted: " + verdict.getClass().getSimpleName());
            }
        }
        return Stats.Latency.ofNanos(nanos);
    }

    /**
     * Creates a schema with {@code total} tokens: one "Grid" integration owning {@code grid} of
     * them spread evenly over the table, the rest spread over 99 other integrations. About
     * {@code sampleCount} rows, spread evenly too, are real tokens whose values are kept (in memory
     * only) for lookups; the others have random hashes.
     */
    private static Population populate(BenchMariaDb mariaDb, String schema, int total, int grid, int sampleCount) throws SQLException {
        HikariDataSource pool = BenchServer.closeOnExit(mariaDb.newSchema(schema));
        ManagementStore store = FilterBench.newStore(pool);
        long gridId = store.integrations().create("bench", IntegrationStore.Input.of("Grid", "store-scale", "bench@example.com")).id();
        long[] fillers = new long[FILLER_INTEGRATIONS];
        for (int i = 0; i < fillers.length; i++) {
            fillers[i] = store.integrations().create("bench", IntegrationStore.Input.of(String.format("Filler %02d", i + 1), "store-scale",
                    "bench@example.com")).id();
        }
        int sampleEvery = Math.max(1, total / Math.max(1, sampleCount));
        int gridEvery = grid > 0 ? Math.max(1, total / grid) : Integer.MAX_VALUE;
        SplittableRandom random = new SplittableRandom();
        List<String> samples = new ArrayList<>();
        int gridCount = 0;
        long started = System.nanoTime();
        int reportEvery = Math.max(ROWS_PER_INSERT, (total / 20) / ROWS_PER_INSERT * ROWS_PER_INSERT);
        LocalDateTime createdAt = LocalDateTime.now(ZoneOffset.UTC).withNano(0);
        try (Connection c = pool.getConnection()) {
            PreparedStatement full = c.prepareStatement(insertSql(ROWS_PER_INSERT));
            try (full) {
                for (int done = 0; done < total; ) {
                    int rows = Math.min(ROWS_PER_INSERT, total - done);
                    PreparedStatement ps = rows == ROWS_PER_INSERT ? full : c.prepareStatement(insertSql(rows));
                    int p = 1;
                    for (int k = 0; k < rows; k++) {
                        int row = done + k;
                        long integration;
                        if (row % gridEvery == 0 && gridCount < grid) {
                            integration = gridId;
                            gridCount++;
                        } else {
                            integration = fillers[row % fillers.length];
                        }
                        byte[] hash;
                        String hint;
                        if (row % sampleEvery == 0) {
                            String token = TokenFormat.generate();
                            samples.add(token);
                            hash = TokenHash.of(token).toBytes();
                            hint = TokenFormat.hint(token);
                        } else {
                            hash = new byte[TokenHash.LENGTH];
                            random.nextBytes(hash);
                            hint = "gat_\u2026" + randomBase62(random, 4);
                        }
                        ps.setLong(p++, integration);
                        ps.setString(p++, "bulk-" + row);
                        ps.setBytes(p++, hash);
                        ps.setString(p++, hint);
                        ps.setObject(p++, createdAt);
                    }
                    ps.executeUpdate();
                    if (ps != full) {
                        ps.close();
                    }
                    done += rows;
                    if (done % reportEvery == 0 || done == total) {
                        double seconds = (System.nanoTime() - started) / 1e9;
                        System.out.printf(Locale.ROOT, "PROGRESS store-scale %s: %d/%d tokens inserted (%.0f%%), %.0f rows/s%n",
                                schema, done, total, 100.0 * done / total, done / seconds);
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE TABLE access_token");
            }
        }
        System.out.printf(Locale.ROOT, "INFO store-scale %s: %d tokens (%d in the grid integration) in %.1f s%n",
                schema, total, gridCount, (System.nanoTime() - started) / 1e9);
        return new Population(schema, gridId, gridCount, Collections.unmodifiableList(samples), store);
    }

    private static String insertSql(int rows) {
        return "INSERT INTO access_token (integration_id, name, token_hash, hint, expiration, expires_at, created_at, created_by) VALUES "
                + String.join(",", Collections.nCopies(rows, "(?, ?, ?, ?, 'never', NULL, ?, 'bench')"));
    }

    private static String randomBase62(SplittableRandom random, int length) {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
