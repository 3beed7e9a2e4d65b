package io.globalgate.filter;

import io.globalgate.net.ClientAddress;
import io.globalgate.store.ChangeEvent;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.store.ReplicaReads;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Lets a request through only with a live Global API access token. It only coordinates: the
 * {@link BearerTokenResolver} finds the token, the {@link TokenVerifier} decides, the
 * {@link RequestRestrictions} of an accepted token check the client address, the scope and the rate
 * limit, the {@link AuthErrorWriter} answers refusals, the {@link RefusedUseRecorder} keeps the last
 * refused use of a token that has ended. The {@link Housekeeper} does the background work
 * (migration, change feed, usage, gauges, purges) on its own thread.
 */
public class GlobalTokenFilter implements Filter {

    /** Request attribute of an accepted request: the integration's id, a {@code Long}. */
    public static final String INTEGRATION_ID_ATTRIBUTE = "io.globalgate.integration.id";
    /** Request attribute of an accepted request: the token's id, a {@code Long}. */
    public static final String TOKEN_ID_ATTRIBUTE = "io.globalgate.token.id";

    private static final Logger LOG = LoggerFactory.getLogger(GlobalTokenFilter.class);

    private final TokenFilterConfig presetConfig;

    private TokenFilterConfig config;
    private BearerTokenResolver resolver;
    private TokenVerifier verifier;
    private TokenLookupBudget budget;
    private AuthErrorWriter errors;
    private ClientAddress clientAddress;
    /** {@code clientAddress::of}, made once: the request path hands it to the verifier without allocating. */
    private Function<HttpServletRequest, String> clientAddressOf;
    private UsageRecorder usage;
    private RefusedUseRecorder refusedUses;
    private FilterMetrics metrics;
    private Housekeeper housekeeper;
    private GlobalgateStore store;
    /** The context whose store we obtained, to release it on destroy. */
    private ServletContext storeContext;
    private Consumer<ChangeEvent> listener;
    /** The read replica and the pool we opened for it, or null when the filter reads the primary. */
    private StoreProvider.Replica replica;
    private Clock clock;

    /** For {@code web.xml}: configured by init-params. */
    public GlobalTokenFilter() {
        this(null);
    }

    /**
     * For {@code ServletContext.addFilter(name, filter)} and embedded servers: configured in code.
     *
     * @param config the configuration; init-params are then ignored
     */
    public GlobalTokenFilter(TokenFilterConfig config) {
        this.presetConfig = config;
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        ServletContext context = filterConfig.getServletContext();
        try {
            config = presetConfig != null ? presetConfig : TokenFilterConfig.fromMap(initParameters(filterConfig));
            clock = context.getAttribute(ContextAttributes.CLOCK) instanceof Clock c ? c : Clock.systemUTC();
            MeterRegistry registry = context.getAttribute(ContextAttributes.METER_REGISTRY) instanceof MeterRegistry r
                    ? r : Metrics.globalRegistry;
            StoreProvider.Obtained obtained = StoreProvider.obtain(context, config.dataSource(), config.jdbcUrl(),
                    config.jdbcUser(), config.jdbcPassword(), config.connectionTimeout(), clock);
            store = obtained.store();
            storeContext = context;

            resolver = new BearerTokenResolver(config.headerName());
            errors = new AuthErrorWriter(config.realm(), config.retryAfter());
            clientAddress = new ClientAddress(config.trustedProxies());
            clientAddressOf = clientAddress::of;
            replica = StoreProvider.replica(context, store, config.replicaDataSource(), config.replicaJdbcUrl(),
                    config.replicaJdbcUser(), config.replicaJdbcPassword(), config.connectionTimeout());
            ReplicaReads reads = replica != null ? replica.reads() : null;
            verifier = new TokenVerifier(reads != null ? reads::findDecision : store.tokens()::findDecision, clock,
                    config.cacheMaxEntries(), config.cacheTtl(), config.negativeCacheTtl(), config.maxStaleness(),
                    new IntegrationMeters(config.integrationMetrics()), new RateLimiters(clock, config.defaultRateLimit()));
            if (reads != null) {
                verifier.lookupsReadReplica();
            }
            budget = new TokenLookupBudget(config.unknownTokenLookups(), config.unknownTokenLookupsPerAddress());
            verifier.lookupBudget(budget);
            listener = event -> {
                budget.heard(event);
                verifier.apply(event);
            };
            store.addChangeListener(listener);
            usage = new UsageRecorder(store.usage()::record);
            refusedUses = new RefusedUseRecorder(store.usage()::recordRefused);
            metrics = new FilterMetrics(verifier);
            metrics.refusedUses(refusedUses);
            metrics.bindTo(registry);
            housekeeper = new Housekeeper("globalgate-filter-" + filterConfig.getFilterName(), store, reads, verifier, budget, usage,
                    refusedUses, metrics);
            housekeeper.start(config.migrate(), config.changePollInterval(), config.usageFlushInterval());
            LOG.info("Globalgate filter '{}' ready: store {}{}, {}", filterConfig.getFilterName(), obtained.description(),
                    replica != null ? ", reading from replica " + replica.description() : "", config);
        } catch (IllegalArgumentException e) {
            destroy();
            throw new ServletException(e.getMessage(), e);
        } catch (RuntimeException e) {
            destroy();
            throw new ServletException("Globalgate filter could not start: " + e.getMessage(), e);
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            throw new ServletException("Globalgate filter only handles HTTP requests");
        }
        long started = System.nanoTime();
        BearerTokenResolver.Resolution resolution = resolver.resolve(request);
        if (resolution instanceof BearerTokenResolver.Candidate candidate) {
            Verdict verdict = verifier.verify(candidate.token(), request, clientAddressOf);
            if (verdict instanceof Verdict.Accepted accepted && accepted.restrictions() != RequestRestrictions.NONE) {
                verdict = accepted.restrictions().check(request, response, clientAddress);
                if (verdict == null) {
                    verdict = accepted;
                }
            }
            if (verdict instanceof Verdict.Accepted accepted) {
                metrics.record(FilterMetrics.Outcome.ACCEPTED, System.nanoTime() - started, accepted.counter());
                usage.record(accepted.tokenId(), clock.millis(), () -> clientAddress.of(request));
                request.setAttribute(INTEGRATION_ID_ATTRIBUTE, accepted.integrationId());
                request.setAttribute(TOKEN_ID_ATTRIBUTE, accepted.tokenId());
                IntegrationPrincipal principal = new IntegrationPrincipal(accepted.integrationId(), accepted.integrationName(), accepted.tokenId());
                chain.doFilter(new AuthenticatedRequest(request, principal, config.hideCredentials() ? config.headerName() : null), response);
            } else if (verdict instanceof Verdict.Rejected rejected) {
                metrics.record(FilterMetrics.Outcome.of(rejected.reason()), System.nanoTime() - started, rejected.counter());
                if (rejected.endedToken()) {
                    refusedUses.record(rejected.tokenId(), clock.millis(), () -> clientAddress.of(request));
                }
                errors.invalidToken(response, rejected.message());
            } else if (verdict instanceof Verdict.Forbidden forbidden) {
                metrics.record(FilterMetrics.Outcome.of(forbidden.reason()), System.nanoTime() - started, forbidden.counter());
                if (forbidden.reason() == Verdict.Reason.SCOPE) {
                    errors.insufficientScope(response, forbidden.message());
                } else {
                    errors.forbidden(response, forbidden.message());
                }
            } else if (verdict instanceof Verdict.RateLimited limited) {
                metrics.record(FilterMetrics.Outcome.RATE_LIMITED, System.nanoTime() - started, limited.counter());
                errors.rateLimited(response, limited.message(), limited.retryAfterSeconds(), limited.policy(), limited.state());
            } else {
                Verdict.Unavailable unavailable = (Verdict.Unavailable) verdict;
                metrics.record(unavailable.overLookupBudget() ? FilterMetrics.Outcome.LOOKUP_LIMIT : FilterMetrics.Outcome.STORE_ERROR,
                        System.nanoTime() - started);
                errors.unavailable(response, unavailable.message());
            }
        } else if (resolution instanceof BearerTokenResolver.Missing missing) {
            metrics.record(FilterMetrics.Outcome.MISSING, System.nanoTime() - started);
            errors.missing(response, missing.message());
        } else if (resolution instanceof BearerTokenResolver.Malformed malformed) {
            metrics.record(FilterMetrics.Outcome.MALFORMED, System.nanoTime() - started);
            errors.invalidToken(response, malformed.message());
        } else {
            metrics.record(FilterMetrics.Outcome.MALFORMED, System.nanoTime() - started);
            errors.invalidRequest(response, ((BearerTokenResolver.InvalidRequest) resolution).message());
        }
    }


    @Override
    public void destroy() {
        if (housekeeper != null) {
            housekeeper.close(); // the last usage flush
            housekeeper = null;
        }
        if (store != null && listener != null) {
            store.removeChangeListener(listener);
        }
        if (metrics != null) {
            metrics.close();
        }
        if (replica != null && replica.ownedPool() != null) {
            replica.ownedPool().close();
            replica = null;
        }
        if (storeContext != null) {
            StoreProvider.release(storeContext);
            storeContext = null;
        }
    }

    /**
     * The verifier, for hosts that want its numbers (benchmarks, health checks).
     *
     * @return the verifier, or null before {@link #init} or after {@link #destroy}
     */
    public TokenVerifier verifier() {
        return verifier;
    }

    /**
     * Writes gathered usage now (also done every {@code usageFlushInterval} and on destroy).
     *
     * @return how many tokens' usage was written
     */
    public int flushUsage() {
        return usage.flush();
    }

    /**
     * Writes the gathered last refused uses of ended tokens now (also done every
     * {@code usageFlushInterval} and on destroy).
     *
     * @return how many tokens' last refused use was written
     */
    public int flushRefusedUses() {
        return refusedUses.flush();
    }

    private static Map<String, String> initParameters(FilterConfig filterConfig) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : Collections.list(filterConfig.getInitParameterNames())) {
            params.put(name, filterConfig.getInitParameter(name));
        }
        return params;
    }
}
