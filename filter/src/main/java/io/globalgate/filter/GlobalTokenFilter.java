package io.globalgate.filter;

import io.globalgate.store.ChangeEvent;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.store.StoreUnavailableException;
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
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Lets a request through only with a live Global API access token. It only coordinates: the
 * {@link BearerTokenResolver} finds the token, the {@link TokenVerifier} decides, the
 * {@link AuthErrorWriter} answers refusals. One background thread polls the change feed,
 * flushes usage and refreshes the token gauges.
 */
public class GlobalTokenFilter implements Filter {

    public static final String INTEGRATION_ID_ATTRIBUTE = "io.globalgate.integration.id";
    public static final String TOKEN_ID_ATTRIBUTE = "io.globalgate.token.id";

    private static final Logger LOG = LoggerFactory.getLogger(GlobalTokenFilter.class);
    private static final Duration COUNTS_INTERVAL = Duration.ofSeconds(30);
    private static final Duration EXPIRING_WINDOW = Duration.ofDays(7);
    private static final Duration CHANGE_RETENTION = Duration.ofDays(2);
    private static final Duration PURGE_INTERVAL = Duration.ofHours(1);
    private static final Duration USAGE_BATCH_RETENTION = Duration.ofDays(1);
    private static final Duration FINAL_FLUSH_PATIENCE = Duration.ofSeconds(6);
    private static final Duration FINAL_FLUSH_RETRY = Duration.ofMillis(500);

    private final TokenFilterConfig presetConfig;

    private TokenFilterConfig config;
    private BearerTokenResolver resolver;
    private TokenVerifier verifier;
    private AuthErrorWriter errors;
    private UsageRecorder usage;
    private FilterMetrics metrics;
    private ChangeFeedPoller poller;
    private GlobalgateStore store;
    /** The context whose store we obtained, to release it on destroy. */
    private ServletContext storeContext;
    private ScheduledExecutorService background;
    private Consumer<ChangeEvent> listener;
    private Clock clock;

    /** For {@code web.xml}: configured by init-params. */
    public GlobalTokenFilter() {
        this(null);
    }

    /** For {@code ServletContext.addFilter(name, filter)} and embedded servers: configured in code. */
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
            verifier = new TokenVerifier(store.tokens()::findDecision, clock, config.cacheMaxEntries(), config.cacheTtl(),
                    config.negativeCacheTtl(), config.maxStaleness());
            listener = verifier::apply;
            store.addChangeListener(listener);
            poller = new ChangeFeedPoller(store.changes(), verifier::apply, verifier::markFresh, verifier::invalidateAll);
            usage = new UsageRecorder(store.usage()::record);
            metrics = new FilterMetrics(verifier);
            metrics.bindTo(registry);

            background = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "globalgate-filter-" + filterConfig.getFilterName());
                t.setDaemon(true);
                return t;
            });
            boolean migrated = !config.migrate() || tryMigrate();
            verifier.setReady(migrated);
            if (!migrated) {
                background.schedule(this::retryMigration, 1, TimeUnit.SECONDS);
            }
            poller.poll(); // learn where the feed stands before the first request
            schedule(poller::poll, config.changePollInterval());
            schedule(usage::flush, config.usageFlushInterval());
            schedule(this::refreshCounts, COUNTS_INTERVAL);
            // A node whose feed is unread this long has dropped its cache anyway (see TokenVerifier#markFresh).
            schedule(() -> store.changes().purgeOlderThan(CHANGE_RETENTION), PURGE_INTERVAL);
            // A batch id only has to outlive the retries of its own batch (seconds, or one outage).
            schedule(() -> store.usage().purgeBatchesOlderThan(USAGE_BATCH_RETENTION), PURGE_INTERVAL);
            background.execute(this::refreshCounts);
            LOG.info("Globalgate filter '{}' ready: store {}, {}", filterConfig.getFilterName(), obtained.description(), config);
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
            Verdict verdict = verifier.verify(candidate.token());
            if (verdict instanceof Verdict.Accepted accepted) {
                metrics.record(FilterMetrics.Outcome.ACCEPTED, System.nanoTime() - started);
                usage.record(accepted.tokenId(), clock.millis(), request::getRemoteAddr);
                request.setAttribute(INTEGRATION_ID_ATTRIBUTE, accepted.integrationId());
                request.setAttribute(TOKEN_ID_ATTRIBUTE, accepted.tokenId());
                IntegrationPrincipal principal = new IntegrationPrincipal(accepted.integrationId(), accepted.integrationName(), accepted.tokenId());
                chain.doFilter(new AuthenticatedRequest(request, principal, config.hideCredentials() ? config.headerName() : null), response);
            } else if (verdict instanceof Verdict.Rejected rejected) {
                metrics.record(FilterMetrics.Outcome.of(rejected.reason()), System.nanoTime() - started);
                errors.invalidToken(response, rejected.message());
            } else {
                metrics.record(FilterMetrics.Outcome.STORE_ERROR, System.nanoTime() - started);
                errors.unavailable(response, ((Verdict.Unavailable) verdict).message());
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


    private boolean tryMigrate() {
        try {
            store.migrate();
            return true;
        } catch (StoreUnavailableException e) {
            LOG.warn("Globalgate store not reachable at start-up ({}); answering 503 until it is", e.getMessage());
            return false;
        }
    }

    private void retryMigration() {
        if (tryMigrate()) {
            verifier.invalidateAll();
            verifier.setReady(true);
            LOG.info("Globalgate store reachable; schema migrated; accepting tokens");
        } else {
            background.schedule(this::retryMigration, 5, TimeUnit.SECONDS);
        }
    }

    private void refreshCounts() {
        try {
            var counts = store.tokens().counts(EXPIRING_WINDOW);
            metrics.tokenCounts(counts.active(), counts.expiringSoon());
        } catch (RuntimeException e) {
            LOG.debug("Could not count tokens for the gauges", e);
        }
    }

    private void schedule(Runnable task, Duration every) {
        long ms = every.toMillis();
        background.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("Globalgate background task failed", e);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        if (background != null) {
            background.shutdownNow();
            try {
                background.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (usage != null) {
            int flushed = usage.flush(); // last batch: nothing gathered is lost on a graceful stop
            // A pool still reconnecting after an outage fails the first try; give it a few seconds.
            long deadline = System.nanoTime() + FINAL_FLUSH_PATIENCE.toNanos();
            while (usage.pending() > 0 && System.nanoTime() < deadline && pause(FINAL_FLUSH_RETRY)) {
                flushed += usage.flush();
            }
            if (usage.pending() > 0) {
                LOG.warn("Globalgate filter stopped with usage of {} token(s) unwritten: the store did not answer", usage.pending());
            } else if (flushed > 0) {
                LOG.info("Globalgate filter flushed usage of {} token(s) on stop", flushed);
            }
        }
        if (store != null && listener != null) {
            store.removeChangeListener(listener);
        }
        if (metrics != null) {
            metrics.close();
        }
        if (storeContext != null) {
            StoreProvider.release(storeContext);
            storeContext = null;
        }
    }

    private static boolean pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The verifier, for hosts that want its numbers (benchmarks, health checks). */
    public TokenVerifier verifier() {
        return verifier;
    }

    /** Writes gathered usage now (also done every usageFlushInterval and on destroy). */
    public int flushUsage() {
        return usage.flush();
    }

    private static Map<String, String> initParameters(FilterConfig filterConfig) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : Collections.list(filterConfig.getInitParameterNames())) {
            params.put(name, filterConfig.getInitParameter(name));
        }
        return params;
    }
}
