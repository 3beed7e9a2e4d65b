package io.globalgate.filter;

import io.github.bucket4j.ConsumptionProbe;
import io.globalgate.net.ClientAddress;
import io.globalgate.net.IpBits;
import io.globalgate.net.NetworkList;
import io.globalgate.store.TokenRestrictions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;


/**
 * The restrictions of one cached decision, made once when the decision is read: a request of a live
 * token must come from its allowed networks, stay within its scope and within its integration's
 * rate limit, checked in that order (a request refused for another reason takes nothing from the
 * rate limit). Every refusal but the rate limit's is made here once and returned as it is.
 */
public final class RequestRestrictions {

    /** Restricts nothing: the request path compares with it and does nothing more. */
    public static final RequestRestrictions NONE = new RequestRestrictions();

    static final String TOKEN_NETWORK = "This token may not be used from this client address (the token's allowed networks)";
    static final String INTEGRATION_NETWORK =
            "This token may not be used from this client address (its integration's allowed networks)";
    static final String READ_ONLY = "This token is read-only: only GET, HEAD and OPTIONS requests are allowed";
    static final String OUTSIDE_PATHS = "This token is limited to certain paths, and this path is not among them";

    private final NetworkList tokenNetworks;
    private final NetworkList integrationNetworks;
    private final boolean readOnly;
    /** Normal prefixes; empty = every path. */
    private final String[] pathPrefixes;
    /** The same without their trailing slash, as {@link RequestPath#isUnderBase} compares them; null for the root. */
    private final String[] pathBases;
    private final RateLimiters.Limiter limiter;
    private final Verdict tokenNetworkRefusal;
    private final Verdict integrationNetworkRefusal;
    private final Verdict readOnlyRefusal;
    private final Verdict pathRefusal;
    private final IntegrationMeters.Counter rateLimited;

    private RequestRestrictions() {
        this(TokenRestrictions.NONE, null, IntegrationMeters.Integration.NONE);
    }

    private RequestRestrictions(TokenRestrictions r, RateLimiters.Limiter limiter, IntegrationMeters.Integration meters) {
        this.tokenNetworks = r.tokenNetworks();
        this.integrationNetworks = r.integrationNetworks();
        this.readOnly = r.scope() == TokenRestrictions.Scope.READ_ONLY;
        this.pathPrefixes = r.pathPrefixes().toArray(String[]::new);
        this.pathBases = new String[pathPrefixes.length];
        for (int i = 0; i < pathPrefixes.length; i++) {
            pathBases[i] = RequestPath.base(pathPrefixes[i]);
        }
        this.limiter = limiter;
        IntegrationMeters.Counter network = meters.counter(IntegrationMeters.Kind.NETWORK);
        IntegrationMeters.Counter scope = meters.counter(IntegrationMeters.Kind.SCOPE);
        this.tokenNetworkRefusal = new Verdict.Forbidden(Verdict.Reason.NETWORK, TOKEN_NETWORK, network);
        this.integrationNetworkRefusal = new Verdict.Forbidden(Verdict.Reason.NETWORK, INTEGRATION_NETWORK, network);
        this.readOnlyRefusal = new Verdict.Forbidden(Verdict.Reason.SCOPE, READ_ONLY, scope);
        this.pathRefusal = new Verdict.Forbidden(Verdict.Reason.SCOPE, OUTSIDE_PATHS, scope);
        this.rateLimited = meters.counter(IntegrationMeters.Kind.RATE_LIMITED);
    }

    /** The restrictions of a decision; {@link #NONE} when it has none and no rate limit applies. */
    static RequestRestrictions of(long integrationId, TokenRestrictions r, RateLimiters limiters, IntegrationMeters.Integration meters) {
        RateLimiters.Limiter limiter = limiters.of(integrationId, r.rateLimit());
        if (limiter == null && r.tokenNetworks().isEmpty() && r.integrationNetworks().isEmpty()
                && r.scope() == TokenRestrictions.Scope.READ_WRITE && r.pathPrefixes().isEmpty()) {
            return NONE;
        }
        return new RequestRestrictions(r, limiter, meters);
    }

    /**
     * Null when the request may pass (its rate-limit headers then set on {@code response}), else
     * the refusal. Public for the benchmarks, which measure it beside the cache hit.
     */
    public Verdict check(HttpServletRequest request, HttpServletResponse response, ClientAddress addresses) {
        if (!tokenNetworks.isEmpty() || !integrationNetworks.isEmpty()) {
            IpBits client = addresses.bitsOf(request);
            if (!tokenNetworks.isEmpty() && !tokenNetworks.contains(client)) {
                return tokenNetworkRefusal;
            }
            if (!integrationNetworks.isEmpty() && !integrationNetworks.contains(client)) {
                return integrationNetworkRefusal;
            }
        }
        if (readOnly && !isReadMethod(request.getMethod())) {
            return readOnlyRefusal;
        }
        if (pathPrefixes.length > 0 && !withinPrefixes(request.getRequestURI())) {
            return pathRefusal;
        }
        if (limiter != null) {
            ConsumptionProbe probe = limiter.take();
            if (!probe.isConsumed()) {
                return new Verdict.RateLimited(limiter.refusal, Math.max(1, RateLimiters.seconds(probe.getNanosToWaitForRefill())),
                        limiter.policyHeader, RateLimiters.state(probe), rateLimited);
            }
            response.setHeader("RateLimit-Policy", limiter.policyHeader);
            response.setHeader("RateLimit", RateLimiters.state(probe));
        }
        return null;
    }

    private static boolean isReadMethod(String method) {
        return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
    }

    private boolean withinPrefixes(String rawUri) {
        String path = RequestPath.normalise(rawUri);
        if (path == null) {
            return false;
        }
        for (String base : pathBases) {
            if (RequestPath.isUnderBase(path, base)) {
                return true;
            }
        }
        return false;
    }
}
