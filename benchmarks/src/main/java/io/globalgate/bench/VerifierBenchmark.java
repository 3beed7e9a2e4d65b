package io.globalgate.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.filter.TokenVerifier;
import io.globalgate.filter.Verdict;
import io.globalgate.store.Database;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.token.TokenFormat;
import io.globalgate.validation.InputValidator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The verifier's decision for one request, as the filter makes it: a valid token found in the
 * cache, a token refused by its checksum before any lookup, and a well-formed token the store
 * does not know, answered from the negative cache. Each includes the format check and the
 * SHA-256 of the token, as on the request path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class VerifierBenchmark {

    private HikariDataSource pool;
    private TokenVerifier verifier;
    private String validToken;
    private String badChecksumToken;
    private String unknownToken;

    @Setup(Level.Trial)
    public void setUp() {
        pool = Database.pool("benchmark", "jdbc:h2:mem:benchmark;MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                "sa", "", Duration.ofSeconds(2));
        Clock clock = Clock.systemUTC();
        ManagementStore store = new ManagementStore(new GlobalgateStore(pool, clock).migrate(), new InputValidator(clock, null));
        long integration = store.integrations().create("benchmark", IntegrationStore.Input.of("Benchmark", "JMH", "bench@example.com")).id();
        validToken = store.tokens().create("benchmark", integration, "benchmark", "never", null).value();
        char last = validToken.charAt(validToken.length() - 1);
        badChecksumToken = validToken.substring(0, validToken.length() - 1) + (last == 'a' ? 'b' : 'a');
        unknownToken = TokenFormat.generate();

        // The filter's defaults, except maxStaleness: no change feed is polled here, and a stale
        // cache would turn every hit into a lookup after 30 s.
        verifier = new TokenVerifier(store.shared().tokens()::findDecision, clock, 100_000, Duration.ofMinutes(10),
                Duration.ofSeconds(60), Duration.ofDays(1));
        require(verifier.verify(validToken) instanceof Verdict.Accepted, "the valid token is not accepted");
        require(verifier.verify(unknownToken) instanceof Verdict.Rejected r && r.reason() == Verdict.Reason.UNKNOWN,
                "the unknown token is not refused as unknown");
        require(verifier.verify(badChecksumToken) instanceof Verdict.Rejected r && r.reason() == Verdict.Reason.MALFORMED,
                "the bad-checksum token is not refused as malformed");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long lookups = verifier.storeLookups();
        pool.close();
        // Every measured call must have been answered without the store: the two lookups are the set-up's.
        require(lookups == 2, "expected 2 store lookups (set-up only), saw " + lookups);
    }

    @Benchmark
    public Verdict cacheHitOfValidToken() {
        return verifier.verify(validToken);
    }

    @Benchmark
    public Verdict badChecksumRejected() {
        return verifier.verify(badChecksumToken);
    }

    @Benchmark
    public Verdict cachedUnknownTokenRejected() {
        return verifier.verify(unknownToken);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("benchmark set-up: " + message);
        }
    }
}
