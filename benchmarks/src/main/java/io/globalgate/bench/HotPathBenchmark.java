package io.globalgate.bench;

import io.globalgate.filter.FilterMetrics;
import io.globalgate.filter.IntegrationMeters;
import io.globalgate.filter.RateLimiters;
import io.globalgate.filter.RequestRestrictions;
import io.globalgate.filter.TokenVerifier;
import io.globalgate.filter.UsageRecorder;
import io.globalgate.filter.Verdict;
import io.globalgate.net.ClientAddress;
import io.globalgate.net.NetworkList;
import io.globalgate.store.TokenDecision;
import io.globalgate.store.TokenRestrictions;
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

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The pieces of the filter's hot path one by one, to see where a cache hit's nanoseconds go:
 * format and checksum, SHA-256, the meters (on the Prometheus registry the sample gateway uses; with
 * and without the per-integration count),
 * usage recording, and a token's restrictions (allowed networks, scope, path prefixes, rate
 * limit), alone and with the cache hit. The whole decision is VerifierBenchmark's. No HTTP and no
 * store: the request is a wrapper that answers the four calls the check makes.
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
    private String restrictedToken;
    private TokenVerifier restrictedVerifier;
    private RequestRestrictions restrictions;
    private HttpServletRequest request;
    private HttpServletResponse response;
    private final ClientAddress addresses = new ClientAddress(NetworkList.empty());

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

        // Every restriction set, each passed: the most a cache hit of an accepted request can cost.
        restrictedToken = TokenFormat.generate();
        TokenHash restrictedHash = TokenHash.of(restrictedToken);
        TokenDecision restricted = new TokenDecision(8, 4, "Restricted bench", true, null, null, new TokenRestrictions(
                NetworkList.parse("198.51.100.0/24, 2001:db8::/32, 127.0.0.0/8"), NetworkList.parse("127.0.0.0/8"),
                TokenRestrictions.Scope.READ_ONLY, List.of("/api/global/v1/orders/", "/api/global/v1/system/"),
                new TokenRestrictions.RateLimit(1_000_000, 1_000_000)));
        restrictedVerifier = new TokenVerifier(h -> h.equals(restrictedHash) ? Optional.of(restricted) : Optional.empty(), clock, 100_000,
                Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofDays(1), new IntegrationMeters(200),
                new RateLimiters(clock, null));
        if (!(restrictedVerifier.verify(restrictedToken) instanceof Verdict.Accepted acceptedRestricted)) {
            throw new IllegalStateException("benchmark set-up: the restricted token is not accepted");
        }
        restrictions = acceptedRestricted.restrictions();
        request = new HttpServletRequestWrapper(nothing(HttpServletRequest.class)) {
            @Override
            public String getMethod() {
                return "GET";
            }

            @Override
            public String getRequestURI() {
                return "/api/global/v1/system/status";
            }

            @Override
            public String getRemoteAddr() {
                return "127.0.0.1";
            }
        };
        response = new HttpServletResponseWrapper(nothing(HttpServletResponse.class)) {
            @Override
            public void setHeader(String name, String value) {
            }
        };
        if (restrictions.check(request, response, addresses) != null) {
            throw new IllegalStateException("benchmark set-up: the restricted request is refused");
        }
    }

    /** An implementation that answers nothing; the wrappers above never call it. */
    private static <T> T nothing(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            throw new UnsupportedOperationException(method.getName());
        }));
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

    /** The restrictions check alone: two network lists, read-only, two path prefixes, a rate limit. */
    @Benchmark
    public Verdict restrictionsCheck() {
        return restrictions.check(request, response, addresses);
    }

    /** A cache hit without restrictions, as VerifierBenchmark.cacheHitOfValidToken but beside the next one. */
    @Benchmark
    public Verdict cacheHit() {
        return verifier.verify(token);
    }

    /** A cache hit of a token with every restriction, and their check: what the filter does before the chain. */
    @Benchmark
    public Verdict cacheHitWithRestrictions() {
        Verdict verdict = restrictedVerifier.verify(restrictedToken);
        Verdict refusal = ((Verdict.Accepted) verdict).restrictions().check(request, response, addresses);
        return refusal != null ? refusal : verdict;
    }

    @Benchmark
    public void usageRecord() {
        usage.record(7, clock.millis(), () -> "127.0.0.1");
    }
}
