package io.globalgate.filter.contract;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.filter.ContextAttributes;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.testing.MutableClock;
import io.globalgate.testing.Seed;
import io.globalgate.testing.TestDatabases;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Token restrictions (README, "Token restrictions") over real HTTP in a real container: allowed
 * networks, scope and path prefixes, the integration's rate limit. The client address is varied
 * by the source address of the connection (127.0.0.2, 127.0.0.3, ... are the loopback's too);
 * {@code 127.0.0.1} is the one trusted proxy, whose {@code X-Forwarded-For} carries the addresses
 * a socket on this machine cannot have (IPv6, documentation networks). One container, one H2
 * store and one meter registry serve the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RestrictionBehaviourContract {

    private static final String FORBIDDEN_TYPE = "forbidden";

    private final AtomicInteger names = new AtomicInteger();

    protected MutableClock clock;
    private HikariDataSource dataSource;
    private Seed seed;
    private SimpleMeterRegistry registry;
    private Deployment app;

    /** The container every test of the subclass runs in. */
    protected abstract ContainerHarness harness();

    @BeforeAll
    void startContainer() throws Exception {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        dataSource = TestDatabases.h2();
        GlobalgateStore store = new GlobalgateStore(dataSource, clock).migrate();
        seed = new Seed(store);
        registry = new SimpleMeterRegistry();
        Map<String, Object> attributes = new HashMap<>();
        attributes.put(ContextAttributes.DATA_SOURCE, dataSource);
        attributes.put(ContextAttributes.STORE, store);
        attributes.put(ContextAttributes.CLOCK, clock);
        attributes.put(ContextAttributes.METER_REGISTRY, registry);
        app = harness().deploy(Map.of("trustedProxies", "127.0.0.1"), attributes);
        assertNull(app.startFailure(), () -> harness().containerName() + " did not start the filter: " + app.startFailure());
    }

    @AfterAll
    void stopContainer() {
        if (app != null) {
            app.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
    }

    // ---- allowed networks

    @Test
    void tokenWithAllowedNetworksIsRefusedWith403FromAnAddressOutsideThemWithoutNamingThem() throws Exception {
        Fixture f = newToken();
        seed.restrictToken(f.tokenId(), "127.0.0.2/32, 10.0.0.0/8", "read-write", List.of());

        assertEquals(200, from("127.0.0.2", f).status());
        HttpResult refused = from("127.0.0.3", f);
        assertForbidden(refused, "This token may not be used from this client address (the token's allowed networks)");
        assertFalse(refused.body().contains("127.0.0.2") || refused.body().contains("10.0.0.0"), refused::toString);
    }

    @Test
    void integrationNetworksBindTokensWithoutTheirOwnAndBothListsMustMatchWhereBothAreSet() throws Exception {
        Fixture f = newToken();
        Fixture second = new Fixture(f.integrationId(), f.integrationName(), 0, seed.token(f.integrationId(), "second", "never", null).value());
        seed.restrictIntegration(f.integrationId(), "127.0.0.0/29", null, null);

        assertEquals(200, from("127.0.0.4", f).status(), "inside the integration's network");
        assertForbidden(from("127.0.0.9", f), "This token may not be used from this client address (its integration's allowed networks)");

        seed.restrictToken(f.tokenId(), "127.0.0.2, 127.0.0.9", "read-write", List.of());
        assertEquals(200, from("127.0.0.2", f).status(), "inside both");
        assertForbidden(from("127.0.0.4", f), "This token may not be used from this client address (the token's allowed networks)");
        assertForbidden(from("127.0.0.9", f), "This token may not be used from this client address (its integration's allowed networks)");
        assertEquals(200, from("127.0.0.4", second).status(), "the integration's other token has no networks of its own");
    }

    @Test
    void xForwardedForFromAnUntrustedPeerIsIgnoredAndFromTheTrustedProxyBelieved() throws Exception {
        Fixture f = newToken();
        seed.restrictToken(f.tokenId(), "203.0.113.0/24", "read-write", List.of());

        assertForbidden(from("127.0.0.2", f, "X-Forwarded-For: 203.0.113.7"),
                "This token may not be used from this client address (the token's allowed networks)");
        assertForbidden(from("127.0.0.2", f, "Forwarded: for=203.0.113.7"),
                "This token may not be used from this client address (the token's allowed networks)");
        assertEquals(200, from("127.0.0.1", f, "X-Forwarded-For: 203.0.113.7").status(), "from the trusted proxy");
        assertForbidden(from("127.0.0.1", f, "X-Forwarded-For: 203.0.113.7, 198.51.100.1"),
                "This token may not be used from this client address (the token's allowed networks)");
    }

    @Test
    void ipv6AndIpv4MappedAddressesAreMatchedAgainstTheirNetworks() throws Exception {
        Fixture f = newToken();
        seed.restrictToken(f.tokenId(), "2001:db8::/32, 198.51.100.0/24, ::ffff:192.0.2.0/120", "read-write", List.of());

        assertAll(
                () -> assertEquals(200, from("127.0.0.1", f, "X-Forwarded-For: 2001:db8:0:1::7").status(), "IPv6 inside"),
                () -> assertEquals(200, from("127.0.0.1", f, "X-Forwarded-For: [2001:DB8::8]:443").status(), "bracketed, with a port"),
                () -> assertEquals(403, from("127.0.0.1", f, "X-Forwarded-For: 2001:db9::1").status(), "IPv6 outside"),
                () -> assertEquals(200, from("127.0.0.1", f, "X-Forwarded-For: ::ffff:198.51.100.9").status(), "mapped, IPv4 inside"),
                () -> assertEquals(200, from("127.0.0.1", f, "X-Forwarded-For: 192.0.2.200").status(), "IPv4 in a mapped network"),
                () -> assertEquals(403, from("127.0.0.1", f, "X-Forwarded-For: ::ffff:203.0.113.1").status(), "mapped, IPv4 outside"),
                () -> assertEquals(403, from("127.0.0.1", f, "X-Forwarded-For: fe80::1%eth0").status(), "a zone id is no address"));
    }

    // ---- scope

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS"})
    void readOnlyTokenMayUseTheMethodsThatOnlyRead(String method) throws Exception {
        Fixture f = newToken();
        seed.restrictToken(f.tokenId(), null, "read-only", List.of());
        HttpResult result = send(method, "v1/system/status", f, null);
        assertEquals(200, result.status(), result::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE", "PROPFIND"})
    void readOnlyTokenIsRefusedEveryMethodThatMayWriteWithInsufficientScope(String method) throws Exception {
        Fixture f = newToken();
        seed.restrictToken(f.tokenId(), null, "read-only", List.of());
        assertInsufficientScope(send(method, "v1/system/status", f, null),
                "This token is read-only: only GET, HEAD and OPTIONS requests are allowed");
    }

    @Test
    void readWriteTokenMayWrite() throws Exception {
        Fixture f = newToken();
        assertEquals(200, send("DELETE", "v1/orders/1", f, null).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1/orders", "v1/orders/", "v1/orders/42", "v1/orders/42/lines?page=2", "v1/%6Frders/42", "v1/invoices/7"})
    void pathWithinAPrefixIsAllowed(String path) throws Exception {
        Fixture f = newToken();
        seed.restrictToken(f.tokenId(), null, "read-write", List.of("/app/v1/orders/", "/app/v1/invoices"));
        HttpResult result = send("GET", path, f, null);
        assertEquals(200, result.status(), result::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1/ordersX", "v1/customers", "v1/invoicesX/1", "v1/orders/../customers", "v1/orders/%2e%2e/customers",
            "v1/orders/%2E%2E/%2E%2E/v1/customers", "v1/orders%2F..%2Fcustomers", "v1/orders/..%2Fcustomers", "v1/orders/%5C..%5Ccustomers",
            "v1/orders/..;x=y/customers", "v1/orders/%ZZ", "v1/orders/%C0%AE%C0%AE/customers"})
    void pathOutsideThePrefixesIsRefusedWhateverItsEncodingOrDotSegments(String path) throws Exception {
        Fixture f = newToken();
        seed.restrictToken(f.tokenId(), null, "read-write", List.of("/app/v1/orders/", "/app/v1/invoices"));
        HttpResult result = send("GET", path, f, null);
        // The container may refuse an ambiguous path itself (400) before the filter sees it; either
        // way the request never reaches the application.
        assertFalse(result.body().contains("principal="), result::toString);
        if (result.status() != 400) {
            assertInsufficientScope(result, "This token is limited to certain paths, and this path is not among them");
        }
    }

    // ---- rate limit

    @Test
    void rateLimitAdmitsTheBurstRefusesTheNextWith429AndAdmitsOneMoreAfterItsRefill() throws Exception {
        Fixture f = newToken();
        Fixture neighbour = newToken();
        seed.restrictIntegration(f.integrationId(), null, 60, 3);
        String policy = "\"integration\";q=60;w=60";

        List<HttpResult> burst = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            burst.add(from("127.0.0.2", f));
        }
        assertAll(
                () -> assertEquals(List.of(200, 200, 200), burst.stream().map(HttpResult::status).toList()),
                () -> assertEquals(List.of(policy), burst.get(0).headers("RateLimit-Policy")),
                () -> assertEquals(List.of("\"integration\";r=2;t=1"), burst.get(0).headers("RateLimit")),
                () -> assertEquals(List.of("\"integration\";r=0;t=3"), burst.get(2).headers("RateLimit")));

        HttpResult refused = from("127.0.0.2", f);
        assertAll(refused.toString(),
                () -> assertEquals(429, refused.status(), "status"),
                () -> assertEquals(List.of("1"), refused.headers("Retry-After"), "Retry-After"),
                () -> assertEquals(List.of(policy), refused.headers("RateLimit-Policy"), "RateLimit-Policy"),
                () -> assertEquals(List.of("\"integration\";r=0;t=3"), refused.headers("RateLimit"), "RateLimit"),
                () -> assertEquals(List.of(), refused.headers("WWW-Authenticate"), "WWW-Authenticate"),
                () -> assertEquals(List.of("no-store"), refused.headers("Cache-Control"), "Cache-Control"),
                () -> assertEquals("{\"errors\":[{\"type\":\"rate_limit\",\"message\":\"Rate limit exceeded: this integration may make"
                        + " 60 requests per minute, at most 3 at once\"}]}", refused.body(), "body"));
        assertEquals(200, from("127.0.0.2", neighbour).status(), "another integration has its own bucket");

        clock.advance(Duration.ofMillis(999));
        assertEquals(429, from("127.0.0.2", f).status(), "a millisecond before the refill");
        clock.advance(Duration.ofMillis(1));
        assertEquals(200, from("127.0.0.2", f).status(), "one request refilled after a second");
        assertEquals(429, from("127.0.0.2", f).status(), "and only one");
    }

    @Test
    void requestsRefusedForTheirAddressTakeNothingFromTheRateLimit() throws Exception {
        Fixture f = newToken();
        seed.restrictIntegration(f.integrationId(), "127.0.0.2", 60, 1);
        for (int i = 0; i < 3; i++) {
            assertEquals(403, from("127.0.0.3", f).status());
        }
        assertEquals(200, from("127.0.0.2", f).status());
        assertEquals(429, from("127.0.0.2", f).status());
    }

    // ---- changes and metrics

    @Test
    void changedRestrictionsApplyFromTheVeryNextRequest() throws Exception {
        Fixture f = newToken();
        assertEquals(200, from("127.0.0.2", f).status());

        seed.restrictToken(f.tokenId(), "10.0.0.0/8", "read-write", List.of());
        assertEquals(403, from("127.0.0.2", f).status(), "after the token's networks changed");
        seed.restrictToken(f.tokenId(), null, "read-only", List.of());
        assertEquals(200, from("127.0.0.2", f).status(), "networks lifted");
        assertEquals(403, send("POST", "v1/orders", f, null).status(), "now read-only");
        seed.restrictIntegration(f.integrationId(), null, 60, 1);
        assertEquals(200, from("127.0.0.2", f).status());
        assertEquals(429, from("127.0.0.2", f).status(), "after the integration's rate limit was set");
        seed.restrictIntegration(f.integrationId(), null, null, null);
        assertEquals(200, from("127.0.0.2", f).status(), "rate limit lifted");
    }

    @Test
    void refusalsAreCountedWithTheirReasonForTheFilterAndForTheIntegration() throws Exception {
        Map<String, Double> before = requestCounts();
        Fixture f = newToken();
        seed.restrictToken(f.tokenId(), "127.0.0.2", "read-only", List.of("/app/v1/orders/"));
        seed.restrictIntegration(f.integrationId(), null, 60, 1);
        Map<String, Double> timeBefore = FilterBehaviourContract.timedNanos(registry);
        long windowStarted = System.nanoTime();

        from("127.0.0.3", f);                                  // network
        send("POST", "v1/orders", f, null);                    // scope (method)
        send("GET", "v1/customers", f, null);                  // scope (path)
        send("GET", "v1/orders", f, null);                     // accepted
        send("GET", "v1/orders", f, null);                     // rate_limited
        long window = System.nanoTime() - windowStarted;

        Map<String, Double> after = requestCounts();
        // what the filter says these refusals took, together, is within the time the test spent on them
        double refusing = FilterBehaviourContract.timedNanos(registry).get("rejected") - timeBefore.get("rejected");
        assertTrue(refusing > 0 && refusing <= window, refusing + " ns recorded within a window of " + window + " ns");
        assertAll(
                () -> assertEquals(1.0, after.get("rejected/network") - before.getOrDefault("rejected/network", 0.0), "network"),
                () -> assertEquals(2.0, after.get("rejected/scope") - before.getOrDefault("rejected/scope", 0.0), "scope"),
                () -> assertEquals(1.0, after.get("rejected/rate_limited") - before.getOrDefault("rejected/rate_limited", 0.0), "rate"),
                () -> assertEquals(Map.of("accepted/none", 1.0, "rejected/network", 1.0, "rejected/scope", 2.0, "rejected/rate_limited", 1.0,
                        "rejected/expired", 0.0, "rejected/revoked", 0.0, "rejected/inactive", 0.0), integrationCounts(f)));
    }

    // ---- use after the end (issue 18): the last refused use of a revoked or expired token

    @Test
    void aRevokedTokensRefusedUseIsRecordedFromTheClientAddressAsTheRestrictionsDetermineIt() throws Exception {
        Fixture f = newToken();
        seed.revoke(f.tokenId());
        double recordedBefore = refusedUses("recorded");

        clock.advance(Duration.ofSeconds(5));
        Instant first = clock.instant();
        assertEquals(401, from("127.0.0.1", f, "X-Forwarded-For: 2001:db8::7").status());
        app.filter().flushRefusedUses();
        assertEquals(new Seed.LastUse(first, "2001:db8:0:0:0:0:0:7"), seed.lastRefused(f.tokenId()),
                "from the trusted proxy: the client its X-Forwarded-For names, canonical");

        clock.advance(Duration.ofSeconds(5));
        Instant second = clock.instant();
        assertEquals(401, from("127.0.0.2", f, "X-Forwarded-For: 203.0.113.7").status());
        app.filter().flushRefusedUses();
        assertEquals(new Seed.LastUse(second, "127.0.0.2"), seed.lastRefused(f.tokenId()),
                "from any other peer its X-Forwarded-For is not believed: the peer is the client");
        assertEquals(recordedBefore + 2, refusedUses("recorded"));
    }

    @Test
    void aFloodOfRefusedRequestsOfOneEndedTokenIsOneWriteAtTheNextFlush() throws Exception {
        Fixture f = newToken();
        seed.revoke(f.tokenId());
        double writtenBefore = registry.get("globalgate.refused.tokens.written").functionCounter().count();
        for (int i = 0; i < 200; i++) {
            clock.advance(Duration.ofMillis(1));
            assertEquals(401, from("127.0.0." + (2 + i % 5), f).status());
        }
        assertEquals(1.0, registry.get("globalgate.refused.tokens.pending").gauge().value(), "one token waits, not 200 uses");
        assertEquals(1, app.filter().flushRefusedUses());
        assertEquals(writtenBefore + 1, registry.get("globalgate.refused.tokens.written").functionCounter().count());
        assertEquals(new Seed.LastUse(clock.instant(), "127.0.0.6"), seed.lastRefused(f.tokenId()), "the latest of the 200");
        assertEquals(0, app.filter().flushRefusedUses(), "nothing refused since: nothing written");
    }

    @Test
    void anExpiredTokensRefusedUseIsRecordedButNotAnAcceptedOneNorAnInactiveIntegrationsOne() throws Exception {
        Fixture live = newToken();
        Seed.Issued weekly = seed.token(live.integrationId(), "weekly", "7d", null);
        Fixture expiring = new Fixture(live.integrationId(), live.integrationName(), weekly.token().id(), weekly.value());
        Fixture inactive = newToken();
        assertEquals(200, from("127.0.0.3", expiring).status());

        clock.advance(Duration.ofDays(8));
        Instant refusedAt = clock.instant();
        seed.setActive(inactive.integrationId(), false);
        assertEquals(401, from("127.0.0.3", expiring).status());
        assertEquals(200, from("127.0.0.3", live).status());
        assertEquals(401, from("127.0.0.3", inactive).status());
        app.filter().flushRefusedUses();

        assertEquals(new Seed.LastUse(refusedAt, "127.0.0.3"), seed.lastRefused(expiring.tokenId()));
        assertEquals(new Seed.LastUse(null, null), seed.lastRefused(live.tokenId()), "an accepted request is no refused use");
        assertEquals(new Seed.LastUse(null, null), seed.lastRefused(inactive.tokenId()),
                "a token of an inactive integration has not ended: it works again when the integration is activated");
    }

    // ---- helpers

    private double refusedUses(String result) {
        return registry.get("globalgate.refused.uses").tag("result", result).functionCounter().count();
    }

    private record Fixture(long integrationId, String integrationName, long tokenId, String value) {
    }

    private Fixture newToken() {
        String name = getClass().getSimpleName() + " integration " + names.incrementAndGet();
        Seed.Integration integration = seed.integration(name);
        Seed.Issued issued = seed.token(integration.id(), "token", "never", null);
        return new Fixture(integration.id(), name, issued.token().id(), issued.value());
    }

    private HttpResult from(String source, Fixture f, String... headerLines) throws IOException {
        return send("GET", "v1/system/status", f, source, headerLines);
    }

    private HttpResult send(String method, String path, Fixture f, String source, String... headerLines) throws IOException {
        List<String> lines = new ArrayList<>(List.of(headerLines));
        lines.add("Authorization: Bearer " + f.value());
        return RawHttpClient.send(app.baseUri(), method, app.baseUri().getRawPath() + path, lines,
                InetAddress.getByName(source == null ? "127.0.0.2" : source));
    }

    private static void assertForbidden(HttpResult result, String message) {
        assertAll(result.toString(),
                () -> assertEquals(403, result.status(), "status"),
                () -> assertEquals(List.of(), result.headers("WWW-Authenticate"), "WWW-Authenticate"),
                () -> assertEquals(List.of("application/json"), result.headers("Content-Type"), "Content-Type"),
                () -> assertEquals(List.of("no-store"), result.headers("Cache-Control"), "Cache-Control"),
                () -> assertEquals("{\"errors\":[{\"type\":\"" + FORBIDDEN_TYPE + "\",\"message\":\"" + message + "\"}]}", result.body(), "body"));
    }

    private static void assertInsufficientScope(HttpResult result, String message) {
        assertAll(result.toString(),
                () -> assertEquals(403, result.status(), "status"),
                () -> assertEquals(List.of("Bearer realm=\"Global API\", error=\"insufficient_scope\", error_description=\"" + message + "\""),
                        result.headers("WWW-Authenticate"), "WWW-Authenticate"),
                () -> assertEquals(List.of("no-store"), result.headers("Cache-Control"), "Cache-Control"),
                () -> assertEquals("{\"errors\":[{\"type\":\"" + FORBIDDEN_TYPE + "\",\"message\":\"" + message + "\"}]}", result.body(), "body"));
    }

    private Map<String, Double> requestCounts() {
        Map<String, Double> counts = new HashMap<>();
        for (FunctionCounter c : registry.find("globalgate.auth.requests").functionCounters()) {
            counts.put(c.getId().getTag("outcome") + "/" + c.getId().getTag("reason"), c.count());
        }
        return counts;
    }

    private Map<String, Double> integrationCounts(Fixture f) {
        Map<String, Double> counts = new HashMap<>();
        for (FunctionCounter c : registry.find("globalgate.integration.requests").tag("integration", f.integrationName())
                .tag("integration_id", Long.toString(f.integrationId())).functionCounters()) {
            counts.put(c.getId().getTag("outcome") + "/" + c.getId().getTag("reason"), c.count());
        }
        return counts;
    }
}
