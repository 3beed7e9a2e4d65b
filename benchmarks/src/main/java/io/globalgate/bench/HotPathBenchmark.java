package io.globalgate.bench;

import io.globalgate.filter.FilterMetrics;
import io.globalgate.filter.IntegrationMeters;
import io.globalgate.filter.TokenVerifier;
import io.globalgate.filter.UsageRecorder;
import io.globalgate.filter.Verdict;
import io.globalgate.store.TokenDecision;
import io.globalgate.token.TokenFormat;
import io.globalgate.token.TokenHash;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The pieces of the filter's hot path one by one, to see where a cache hit's nanoseconds go:
 * format and checksum, SHA-256, the meters (on the Prometheus registry the sample gateway uses; with
 * and without the per-integration count),
 * and usage recording. The whole decision is VerifierBenchmark's. No HTTP and no store.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HotPathBenchmark {

    private String token;
    private TokenVerifier verifier;
    private FilterMetrics metrics;
    private IntegrationMeters.Counter integration;
    private UsageRecorder usage;
    private final Clock clock = Clock.systemUTC();

    @Setup(Level.Trial)
    public void setUp() {
        token = TokenFormat.generate();
        TokenHash hash = TokenHash.of(token);
        TokenDecision decision = new TokenDecision(7, 3, "Bench", true, null, null);
        verifier = new TokenVerifier(h -> h.equals(hash) ? Optional.of(decision) : Optional.empty(), clock, 100_000,
                Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofDays(1), new IntegrationMeters(200));
        if (!(verifier.verify(token) instanceof Verdict.Accepted accepted)) {
            throw new IllegalStateException("benchmark set-up: the token is not accepted");
        }
        integration = accepted.counter();
        metrics = new FilterMetrics(verifier);
        metrics.bindTo(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        usage = new UsageRecorder((id, batch) -> { });
    }

    @Benchmark
    public TokenFormat.Problem formatCheck() {
        return TokenFormat.problemOf(token);
    }

    @Benchmark
    public TokenHash sha256() {
        return TokenHash.of(token);
    }

    @Benchmark
    public void meters() {
        metrics.record(FilterMetrics.Outcome.ACCEPTED, 300);
    }

    /** What the filter records for an accepted request: the meters above and its integration's count. */
    @Benchmark
    public void metersPerIntegration() {
        metrics.record(FilterMetrics.Outcome.ACCEPTED, 300, integration);
    }

    @Benchmark
    public void usageRecord() {
        usage.record(7, clock.millis(), () -> "127.0.0.1");
    }
}
