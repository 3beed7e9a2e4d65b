package io.globalgate.filter.contract;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.filter.ContextAttributes;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.testing.MutableClock;
import io.globalgate.testing.OutageDataSource;
import io.globalgate.testing.Seed;
import io.globalgate.testing.TestDatabases;
import io.globalgate.token.TokenFormat;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the filter promises (README, "What your application sees"), checked over real HTTP in a real
 * container. Each subclass names a container; every test here runs in each of them. One container,
 * one H2 store and one meter registry serve the whole class; the few tests that need another
 * configuration, or must stop a container, start a short-lived one of their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FilterBehaviourContract {

    private static final String REALM_ONLY = "Bearer realm=\"Global API\"";
    private static final String ACTOR = "contract-test";

    private final AtomicInteger names = new AtomicInteger();

    protected MutableClock clock;
    protected HikariDataSource dataSource;
    protected GlobalgateStore store;
    protected Seed seed;
    protected SimpleMeterRegistry registry;
    protected Deployment app;
    protected HttpClient http;

    /** The container every test of the subclass runs in. */
    protected abstract ContainerHarness harness();

    @BeforeAll
    void startContainer() throws Exception {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        dataSource = TestDatabases.h2();
        store = new GlobalgateStore(dataSource, clock).migrate();
        seed = new Seed(store);
        registry = new SimpleMeterRegistry();
        Map<String, Object> attributes = new HashMap<>();
        attributes.put(ContextAttributes.DATA_SOURCE, dataSource);
        // The test's own store: a revocation made through it reaches the filter's cache at once.
        attributes.put(ContextAttributes.STORE, store);
        attributes.put(ContextAttributes.CLOCK, clock);
        attributes.put(ContextAttributes.METER_REGISTRY, registry);
        app = harness().deploy(Map.of(), attributes);
        assertNull(app.startFailure(), () -> harness().containerName() + " did not start the filter: " + app.startFailure());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    void stopContainer() throws Exception {
        if (app != null) {
            app.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
    }

    // ---- no usable credentials

    @Test
    void requestWithoutCredentialsGetsThe401ChallengeWithoutAnErrorCode() throws Exception {
        assertRefused(get(null), 401, REALM_ONLY,
                "This API needs a Global API access token: send Authorization: Bearer \\u003ctoken\\u003e");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Authorization: Bearer", "Authorization: Bearer ", "Authorization: Bearer    ", "Authorization: bearer"})
    void bearerSchemeWithoutATokenGets401InvalidTokenSayingTheTokenIsEmpty(String headerLine) throws Exception {
        assertRefused(raw(headerLine), 401, invalidToken("Bearer token is empty"), "Bearer token is empty");
    }

    @Test
    void basicCredentialsGetThe401ChallengeWithoutAnErrorCode() throws Exception {
        // RFC 6750 §3.1: a client that tried another scheme gets the challenge without an error code.
        assertRefused(get("Basic YWRtaW46c2VjcmV0"), 401, REALM_ONLY, "The Authorization header must use the Bearer scheme");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bearer", "BEARER", "BeArEr"})
    void bearerSchemeIsAcceptedInAnyLetterCase(String scheme) throws Exception {
        Fixture f = newToken();
        HttpResult result = get(scheme + " " + f.value());
        assertEquals(200, result.status(), result::toString);
        assertEquals(f.integration().name(), EchoServlet.parse(result.body()).get("principal"));
    }

    // ---- malformed requests

    @Test
    void twoAuthorizationHeadersGet400InvalidRequest() throws Exception {
        Fixture f = newToken();
        String message = "Found multiple Authorization headers in the request; send exactly one";
        assertRefused(raw("Authorization: Bearer " + f.value(), "Authorization: Bearer " + f.value()),
                400, challenge("invalid_request", message), message);
    }

    @Test
    void twoTokensInOneAuthorizationHeaderGet400InvalidRequest() throws Exception {
        Fixture f = newToken();
        String message = "Found multiple bearer tokens in the Authorization header";
        assertRefused(get("Bearer " + f.value() + ", Bearer " + f.value()), 400, challenge("invalid_request", message), message);
    }

    @Test
    void tokenInTheQueryStringGets400InvalidRequestEvenWhenTheTokenIsValid() throws Exception {
        Fixture f = newToken();
        HttpResult result = send(request("v1/system/status?access_token=" + f.value(), null));
        assertRefused(result, 400,
                challenge("invalid_request", "Tokens in the URL are not accepted; send the header Authorization: Bearer <token>"),
                "Tokens in the URL are not accepted; send the header Authorization: Bearer \\u003ctoken\\u003e");
    }

    @Test
    void tokenInBothHeaderAndQueryStringGets400InvalidRequest() throws Exception {
        Fixture f = newToken();
        String message = "Found multiple bearer tokens in the request (header and access_token query parameter)";
        assertRefused(send(request("v1/system/status?page=2&access_token=" + f.value(), "Bearer " + f.value())),
                400, challenge("invalid_request", message), message);
    }

    @Test
    void authorizationHeaderOf64KilobytesGets401Malformed() throws Exception {
        String message = "The Authorization header is too long to hold a Global API access token";
        assertRefused(raw("Authorization: Bearer gat_" + "A".repeat(64 * 1024)), 401, invalidToken(message), message);
    }

    @Test
    void nonAsciiByteInTheTokenGets401Malformed() throws Exception {
        // 0xE9 alone: 'é' in ISO-8859-1, not valid UTF-8. Either way one character that is not base62.
        String token = TokenFormat.generate();
        String tampered = token.substring(0, 20) + '\u00e9' + token.substring(21);
        String message = "Bearer token is malformed: token contains a character outside 0-9A-Za-z";
        assertRefused(raw("Authorization: Bearer " + tampered), 401, invalidToken(message), message);
    }

    // ---- tokens the verifier refuses

    @Test
    void tokenWithABadChecksumGets401WithoutAnyStoreLookup() throws Exception {
        String token = TokenFormat.generate();
        char last = token.charAt(token.length() - 1);
        String tampered = token.substring(0, token.length() - 1) + (last == '0' ? '1' : '0');
        long lookupsBefore = app.filter().verifier().storeLookups();
        double metricBefore = storeLookupsMetric();

        String message = "Bearer token is malformed: token checksum does not match";
        assertRefused(get("Bearer " + tampered), 401, invalidToken(message), message);

        assertEquals(lookupsBefore, app.filter().verifier().storeLookups(), "store lookups");
        assertEquals(metricBefore, storeLookupsMetric(), "globalgate.store.lookups");
    }

    @Test
    void wellFormedTokenTheStoreDoesNotKnowGets401InvalidToken() throws Exception {
        long lookupsBefore = app.filter().verifier().storeLookups();
        String message = "Token is not recognised";
        assertRefused(get("Bearer " + TokenFormat.generate()), 401, invalidToken(message), message);
        assertEquals(lookupsBefore + 1, app.filter().verifier().storeLookups(), "one lookup for a token worth asking about");
    }

    @Test
    void cachedTokenStopsWorkingAtTheExactInstantItExpires() throws Exception {
        Instant expiresAt = clock.instant().plus(Duration.ofHours(1));
        Fixture f = newToken(null, expiresAt.toString());
        // The token's and its integration's creation events drop what is cached about them when the
        // poller applies them: let it apply them first, or (on a loaded machine, where a poll can
        // come seconds late) the cached decision below is dropped between two requests.
        awaitChangeFeedReadPastNow();
        assertEquals(200, get("Bearer " + f.value()).status());
        long lookups = app.filter().verifier().storeLookups();

        clock.set(expiresAt.minusMillis(1));
        assertEquals(200, get("Bearer " + f.value()).status(), "one millisecond before expiresAt");
        assertEquals(lookups, app.filter().verifier().storeLookups(), "answered from the cache");

        clock.set(expiresAt);
        String message = "Token expired at " + expiresAt;
        assertRefused(get("Bearer " + f.value()), 401, invalidToken(message), message);
        assertEquals(lookups, app.filter().verifier().storeLookups(), "expiry is judged on the cached decision");
    }

    @Test
    void tokenRevokedThroughTheStoreIsRefusedOnTheVeryNextRequest() throws Exception {
        Fixture f = newToken();
        assertEquals(200, get("Bearer " + f.value()).status());

        seed.revoke(f.issued().token().id());

        assertRefused(get("Bearer " + f.value()), 401, invalidToken("Token has been revoked"), "Token has been revoked");
    }

    @Test
    void onlyTheTokensRevokedInBulkAreRefusedOnTheVeryNextRequest() throws Exception {
        Fixture first = newToken();
        Seed.Issued second = seed.token(first.integration().id(), "second", "never", null);
        Seed.Issued kept = seed.token(first.integration().id(), "kept", "never", null);
        for (String value : List.of(first.value(), second.value(), kept.value())) {
            assertEquals(200, get("Bearer " + value).status());
        }

        seed.revoke(first.issued().token().id(), second.token().id());

        assertRefused(get("Bearer " + first.value()), 401, invalidToken("Token has been revoked"), "Token has been revoked");
        assertRefused(get("Bearer " + second.value()), 401, invalidToken("Token has been revoked"), "Token has been revoked");
        assertEquals(200, get("Bearer " + kept.value()).status());
    }

    @Test
    void aRegeneratedTokenGivesWayToItsReplacementAtOnce() throws Exception {
        Fixture f = newToken();
        assertEquals(200, get("Bearer " + f.value()).status());

        Seed.Issued replacement = seed.regenerate(f.issued().token().id());

        assertRefused(get("Bearer " + f.value()), 401, invalidToken("Token has been revoked"), "Token has been revoked");
        HttpResult result = get("Bearer " + replacement.value());
        assertEquals(200, result.status(), result::toString);
        assertEquals(String.valueOf(replacement.token().id()), EchoServlet.parse(result.body()).get("tokenId"));
    }

    @Test
    void theIntegrationsActiveFlagDecidesWhetherItsTokensWork() throws Exception {
        Fixture f = newToken();
        assertEquals(200, get("Bearer " + f.value()).status());

        seed.setActive(f.integration().id(), false);
        String message = "The integration of this token is inactive";
        assertRefused(get("Bearer " + f.value()), 401, invalidToken(message), message);

        seed.setActive(f.integration().id(), true);
        assertEquals(200, get("Bearer " + f.value()).status());
    }

    // ---- accepted requests

    @Test
    void validTokenReachesTheApplicationAsItsIntegrationWithTheCredentialHidden() throws Exception {
        Fixture f = newToken();
        HttpResult result = get("Bearer " + f.value());

        assertEquals(200, result.status(), result::toString);
        Map<String, String> seen = EchoServlet.parse(result.body());
        assertAll(
                () -> assertEquals(f.integration().name(), seen.get("principal")),
                () -> assertEquals(String.valueOf(f.integration().id()), seen.get("integrationId")),
                () -> assertEquals(String.valueOf(f.issued().token().id()), seen.get("tokenId")),
                () -> assertEquals("io.globalgate.integration.id,io.globalgate.token.id", seen.get("attributeNames")),
                () -> assertEquals("null", seen.get("authorization.getHeader")),
                () -> assertEquals("", seen.get("authorization.getHeaders")),
                () -> assertEquals("false", seen.get("authorization.inHeaderNames")));
    }

    @Test
    void applicationMayChangeTheFiltersRequestAttributesLikeAnyOther() throws Exception {
        Fixture f = newToken();
        HttpResult result = send(HttpRequest.newBuilder(app.uri("v1/orders?echo=retag"))
                .header("Authorization", "Bearer " + f.value()).build());

        assertEquals(200, result.status(), result::toString);
        Map<String, String> seen = EchoServlet.parse(result.body());
        assertAll(
                () -> assertEquals("retagged", seen.get("afterSet.integrationId")),
                () -> assertEquals(String.valueOf(f.issued().token().id()), seen.get("afterSet.tokenId")),
                () -> assertEquals("null", seen.get("afterRemove.tokenId")),
                () -> assertEquals("io.globalgate.integration.id", seen.get("afterRemove.attributeNames")));
    }

    @Test
    void acceptedRequestRecordsItsLastUseByTheContextClock() throws Exception {
        Fixture f = newToken();
        clock.advance(Duration.ofMinutes(3));
        Instant usedAt = clock.instant();
        assertEquals(200, get("Bearer " + f.value()).status());

        app.filter().flushUsage();

        long tokenId = f.issued().token().id();
        assertEquals(new Seed.LastUse(usedAt, "127.0.0.1"), seed.lastUse(tokenId),
                "last used at, by the io.globalgate.Clock of the context, from the client's address");
        assertEquals(Map.of(usedAt.truncatedTo(ChronoUnit.HOURS), 1L),
                store.usage().hourly(tokenId, usedAt.minus(Duration.ofDays(1)), usedAt.plus(Duration.ofDays(1))));
    }

    @Test
    void credentialStaysVisibleToTheApplicationWhenHideCredentialsIsFalse() throws Exception {
        Fixture f = newToken();
        // The host's DataSource only, no shared store: the filter builds its own over it.
        try (Deployment visible = harness().deploy(Map.of("hideCredentials", "false"), Map.of(
                ContextAttributes.DATA_SOURCE, dataSource, ContextAttributes.METER_REGISTRY, new SimpleMeterRegistry()))) {
            assertNull(visible.startFailure(), () -> String.valueOf(visible.startFailure()));
            HttpResult result = send(HttpRequest.newBuilder(visible.uri("v1/system/status"))
                    .header("Authorization", "Bearer " + f.value()).build());

            assertEquals(200, result.status(), result::toString);
            Map<String, String> seen = EchoServlet.parse(result.body());
            assertAll(
                    () -> assertEquals(f.integration().name(), seen.get("principal")),
                    () -> assertEquals("Bearer " + f.value(), seen.get("authorization.getHeader")),
                    () -> assertEquals("Bearer " + f.value(), seen.get("authorization.getHeaders")),
                    () -> assertEquals("true", seen.get("authorization.inHeaderNames")));
        }
    }

    // ---- the store cannot answer

    @Test
    void storeOutageGets503WithRetryAfterForUncachedTokensWhileCachedOnesKeepWorking() throws Exception {
        Fixture cached = newToken();
        Fixture uncached = newToken();
        OutageDataSource database = new OutageDataSource(dataSource);
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        try (Deployment d = harness().deploy(Map.of(), Map.of(
                ContextAttributes.DATA_SOURCE, database, ContextAttributes.CLOCK, clock, ContextAttributes.METER_REGISTRY, own))) {
            assertNull(d.startFailure(), () -> String.valueOf(d.startFailure()));
            HttpRequest cachedRequest = HttpRequest.newBuilder(d.uri("v1/system/status")).header("Authorization", "Bearer " + cached.value()).build();
            HttpRequest uncachedRequest = HttpRequest.newBuilder(d.uri("v1/system/status")).header("Authorization", "Bearer " + uncached.value()).build();
            assertEquals(200, send(cachedRequest).status());

            database.setDown(true);
            long sent = System.nanoTime();
            HttpResult refused = send(uncachedRequest);
            long window = System.nanoTime() - sent;
            assertAll(refused.toString(),
                    () -> assertEquals(503, refused.status(), "status"),
                    () -> assertEquals(List.of("5"), refused.headers("Retry-After"), "Retry-After"),
                    () -> assertEquals(List.of(), refused.headers("WWW-Authenticate"), "WWW-Authenticate"),
                    () -> assertEquals(List.of("application/json"), refused.headers("Content-Type"), "Content-Type"),
                    () -> assertEquals(List.of("no-store"), refused.headers("Cache-Control"), "Cache-Control"),
                    () -> assertEquals("{\"errors\":[{\"type\":\"authentication\",\"message\":"
                            + "\"Token store unavailable; try again shortly\"}]}", refused.body(), "body"));
            assertEquals(200, send(cachedRequest).status(), "a cached token while the store is down");
            assertEquals(1.0, own.get("globalgate.auth.requests").tags("outcome", "unavailable", "reason", "store_error").functionCounter().count());
            double spent = timedNanos(own).get("unavailable");
            assertTrue(spent > 0 && spent <= window, "the 503's time in the filter, " + spent + " ns, within the request's " + window + " ns");

            database.setDown(false);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            HttpResult result;
            do {
                Thread.sleep(100); // the verifier fails fast for a moment after a failed lookup
                result = send(uncachedRequest);
            } while (result.status() == 503 && System.nanoTime() < deadline);
            assertEquals(200, result.status(), "once the store answers again: " + result);
        }
    }

    // ---- what the filter's start wires together

    /**
     * A filter started on a database it migrates itself, with a store the test writes through and
     * a lookup budget of one per second: the schema is there once it has started, a token created
     * after its start is looked up although the budget is spent (the store told the budget of
     * it), and its revocation is refused on the next request (the store told the verifier; the
     * feed is read only every 10 s).
     */
    @Test
    void aStartedFilterHearsItsStoresNewTokensAndRevocationsAndBoundsLookupsOfUnknownOnes() throws Exception {
        try (HikariDataSource fresh = TestDatabases.h2()) {
            GlobalgateStore own = new GlobalgateStore(fresh, clock); // not migrated: the filter's start does that
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (Deployment d = harness().deploy(Map.of("unknownTokenLookups", "1", "unknownTokenLookupsPerAddress", "1",
                    "changePollInterval", "10s", "usageFlushInterval", "1h"), Map.of(ContextAttributes.DATA_SOURCE, fresh, ContextAttributes.STORE, own,
                    ContextAttributes.CLOCK, clock, ContextAttributes.METER_REGISTRY, meters))) {
                assertNull(d.startFailure(), () -> String.valueOf(d.startFailure()));
                Seed ownSeed = new Seed(own);
                Seed.Issued created = ownSeed.token(ownSeed.integration("Created after the start").id(), "new", "never", null);

                HttpResult refused = null;
                for (int i = 0; i < 20 && refused == null; i++) {
                    HttpResult r = send(HttpRequest.newBuilder(d.uri("v1/x")).header("Authorization", "Bearer " + TokenFormat.generate()).build());
                    if (r.status() == 503) {
                        refused = r;
                    } else {
                        assertEquals(401, r.status(), r::toString);
                    }
                }
                assertNotNull(refused, "unknown tokens beyond one lookup per second are never refused 503");
                assertEquals("{\"errors\":[{\"type\":\"authentication\",\"message\":\"Too many unknown tokens; try again shortly\"}]}",
                        refused.body(), refused::toString);
                HttpRequest withCreated = HttpRequest.newBuilder(d.uri("v1/x")).header("Authorization", "Bearer " + created.value()).build();
                assertEquals(200, send(withCreated).status(), "a token created after the start, with the budget spent");
                assertEquals(1, d.filter().flushUsage(), "the usage of the one token accepted, written now");

                ownSeed.revoke(created.token().id());
                assertEquals(401, send(withCreated).status(), "revoked through the filter's store: refused on the next request");
                assertEquals(1.0, meters.get("globalgate.refused.uses").tag("result", "recorded").functionCounter().count(),
                        "the refused use of the revoked token, counted on the filter's refused-use meter");
            }
        }
    }

    // ---- metrics

    @Test
    void metricsCountEveryRequestByOutcomeAndReasonExactly() throws Exception {
        Map<String, Double> before = requestCounts();
        Map<String, Long> timedBefore = timedCounts();
        Map<String, Double> timeBefore = timedNanos();

        Fixture valid = newToken();
        Fixture revoked = newToken();
        Fixture inactive = newToken();
        Fixture expiring = newToken(null, clock.instant().plus(Duration.ofMinutes(1)).toString());
        seed.revoke(revoked.issued().token().id());
        seed.setActive(inactive.integration().id(), false);
        String badChecksum = valid.value().substring(0, 41) + (valid.value().charAt(41) == 'x' ? 'y' : 'x');
        long windowStarted = System.nanoTime();

        get(null);                                                   // rejected / missing
        get(null);                                                   // rejected / missing
        get("Basic YWRtaW46c2VjcmV0");                               // rejected / missing
        get("Bearer " + badChecksum);                                // rejected / malformed (the verifier's)
        get("Bearer");                                               // rejected / malformed (the resolver's)
        raw("Authorization: Bearer a", "Authorization: Bearer b");   // rejected / malformed (400)
        send(request("v1/x?access_token=" + valid.value(), null));   // rejected / malformed (400)
        get("Bearer " + TokenFormat.generate());                     // rejected / unknown
        get("Bearer " + TokenFormat.generate());                     // rejected / unknown
        get("Bearer " + revoked.value());                            // rejected / revoked
        get("Bearer " + inactive.value());                           // rejected / inactive
        get("Bearer " + expiring.value());                           // accepted
        clock.advance(Duration.ofMinutes(1));
        get("Bearer " + expiring.value());                           // rejected / expired
        get("Bearer " + valid.value());                              // accepted
        get("Bearer " + valid.value());                              // accepted
        get("bearer " + valid.value());                              // accepted
        long window = System.nanoTime() - windowStarted;

        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("accepted/none", 4.0);
        expected.put("rejected/missing", 3.0);
        expected.put("rejected/malformed", 4.0);
        expected.put("rejected/unknown", 2.0);
        expected.put("rejected/expired", 1.0);
        expected.put("rejected/revoked", 1.0);
        expected.put("rejected/inactive", 1.0);
        expected.put("rejected/network", 0.0);
        expected.put("rejected/scope", 0.0);
        expected.put("rejected/rate_limited", 0.0);
        expected.put("unavailable/store_error", 0.0);
        expected.put("unavailable/lookup_limit", 0.0);
        Map<String, Double> after = requestCounts();
        Map<String, Double> delta = new LinkedHashMap<>();
        after.forEach((key, value) -> delta.put(key, value - before.getOrDefault(key, 0.0)));
        assertEquals(expected, delta, "globalgate.auth.requests by outcome/reason");

        Map<String, Long> timedAfter = timedCounts();
        assertEquals(Map.of("accepted", 4L, "rejected", 12L, "unavailable", 0L), Map.of(
                "accepted", timedAfter.get("accepted") - timedBefore.get("accepted"),
                "rejected", timedAfter.get("rejected") - timedBefore.get("rejected"),
                "unavailable", timedAfter.get("unavailable") - timedBefore.get("unavailable")),
                "globalgate.auth.duration samples by outcome");
        // Each sample is the time its request spent in the filter: together no more than the time
        // the test spent sending them one after another (not a speed bound: a bound by the test's
        // own clock on what the filter says it measured).
        Map<String, Double> timeAfter = timedNanos();
        for (String outcome : List.of("accepted", "rejected")) {
            double spent = timeAfter.get(outcome) - timeBefore.get(outcome);
            assertTrue(spent > 0 && spent <= window, outcome + ": " + spent + " ns recorded within a window of " + window + " ns");
        }
    }

    @Test
    void requestsWithKnownTokensAreCountedForTheirIntegrationByOutcomeAndReason() throws Exception {
        Fixture valid = newToken();
        Fixture revoked = newToken();
        Fixture inactive = newToken();
        Fixture expiring = newToken(null, clock.instant().plus(Duration.ofMinutes(1)).toString());
        seed.revoke(revoked.issued().token().id());
        seed.setActive(inactive.integration().id(), false);

        get("Bearer " + valid.value());                              // valid: accepted
        get("Bearer " + valid.value());                              // valid: accepted
        get("Bearer " + revoked.value());                            // revoked: rejected / revoked
        get("Bearer " + inactive.value());                           // inactive: rejected / inactive
        get("Bearer " + expiring.value());                           // expiring: accepted
        clock.advance(Duration.ofMinutes(1));
        get("Bearer " + expiring.value());                           // expiring: rejected / expired
        get("Bearer " + expiring.value());                           // expiring: rejected / expired
        get("Bearer " + TokenFormat.generate());                     // no integration: not counted per integration
        get(null);                                                   // no integration: not counted per integration

        assertAll(
                () -> assertEquals(byReason(2.0, 0.0, 0.0, 0.0),
                        integrationCounts(valid.integration()), "valid"),
                () -> assertEquals(byReason(0.0, 0.0, 1.0, 0.0),
                        integrationCounts(revoked.integration()), "revoked"),
                () -> assertEquals(byReason(0.0, 0.0, 0.0, 1.0),
                        integrationCounts(inactive.integration()), "inactive"),
                () -> assertEquals(byReason(1.0, 2.0, 0.0, 0.0),
                        integrationCounts(expiring.integration()), "expiring"),
                () -> assertEquals(List.of(), registry.find("globalgate.integration.requests").tag("integration", "other").meters(),
                        "nothing counted as other below the limit"));
    }

    @Test
    void stoppingTheContainerRemovesEveryMeterTheFilterRegistered() throws Exception {
        Fixture f = newToken();
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        // Configured by jdbcUrl: the filter opens its own pool, which it must close again.
        Deployment d = harness().deploy(Map.of("jdbcUrl", dataSource.getJdbcUrl(), "jdbcUser", dataSource.getUsername()),
                Map.of(ContextAttributes.METER_REGISTRY, own));
        try {
            assertNull(d.startFailure(), () -> String.valueOf(d.startFailure()));
            HttpResult result = send(HttpRequest.newBuilder(d.uri("v1/system/status")).header("Authorization", "Bearer " + f.value()).build());
            assertEquals(200, result.status(), result::toString);
            assertEquals(1.0, own.get("globalgate.auth.requests").tags("outcome", "accepted", "reason", "none").functionCounter().count());
            assertFalse(globalgateMeters(own).isEmpty());
        } finally {
            d.close();
        }
        assertEquals(1, d.filter().destroyCount(), "destroy() calls");
        assertEquals(List.of(), globalgateMeters(own), "meters left in the registry after destroy()");
    }

    // ---- configuration

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "cacheMaxEntries=-1                       | cacheMaxEntries: must be a whole number from 0 (no cache) to 100000000 (was '-1')",
            "changePollInterval=banana                | changePollInterval: must be a duration such as 500ms, 30s, 5m or PT30S (was 'banana')",
            "cacheSize=10                             | cacheSize: unknown parameter",
            "hideCredentials=yes                      | hideCredentials: must be true or false (was 'yes')",
            "changePollInterval=1s;maxStaleness=1s    | maxStaleness: must be at least twice changePollInterval",
            "dataSource=java:comp/env/jdbc/missing    | dataSource: no DataSource at JNDI name java:comp/env/jdbc/missing. Root cause: javax.naming.",
            "realm=Global API                         | Globalgate needs a database: set the init-param dataSource",
    })
    void invalidInitParameterStopsStartUpWithAMessageNamingIt(String parameters, String expected)
            throws Exception {
        Map<String, String> initParameters = new LinkedHashMap<>();
        for (String pair : parameters.split(";")) {
            initParameters.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        try (Deployment broken = harness().deploy(initParameters, Map.of())) {
            assertNotNull(broken.startFailure(), harness().containerName() + " started an application whose filter failed");
            assertNotNull(broken.filter().initFailure(), "the filter's init threw");
            String message = broken.filter().initFailure().getMessage();
            assertTrue(message.contains(expected), () -> "message was: " + message);
            if (broken.baseUri() != null) {
                // Whatever the container answers instead, the application must not be reachable unprotected.
                try {
                    HttpResult result = send(HttpRequest.newBuilder(broken.uri("v1/system/status")).build());
                    assertNotEquals(200, result.status(), result::toString);
                    assertFalse(result.body().contains("principal="), result::toString);
                } catch (IOException refused) {
                    // no connector listening: closed, as it should be
                }
            }
        }
    }

    // ---- helpers

    /** An active integration of its own with one token that never expires, or expires as asked. */
    protected record Fixture(Seed.Integration integration, Seed.Issued issued) {
        String value() {
            return issued.value();
        }
    }

    protected Fixture newToken() {
        return newToken("never", null);
    }

    protected Fixture newToken(String expiration, String expiresAt) {
        String name = getClass().getSimpleName() + " integration " + names.incrementAndGet();
        Seed.Integration integration = seed.integration(name);
        Seed.Issued issued = seed.token(integration.id(), "token", expiration, expiresAt);
        return new Fixture(integration, issued);
    }

    /**
     * Waits until the filter's poller has read the change feed in a poll that began after this call,
     * so every event committed before it has been applied: one successful poll that ends after the
     * call may have begun before it, the next one cannot have (polls run one after the other).
     */
    protected void awaitChangeFeedReadPastNow() throws InterruptedException {
        for (int poll = 0; poll < 2; poll++) {
            long since = System.nanoTime();
            long deadline = since + Duration.ofSeconds(30).toNanos();
            // secondsSinceFresh is measured on the same System.nanoTime: fresh after 'since' means a poll ended after it
            while (System.nanoTime() - (long) (app.filter().verifier().secondsSinceFresh() * 1e9) <= since) {
                assertTrue(System.nanoTime() < deadline, "the change feed was not read within 30 s");
                Thread.sleep(5);
            }
        }
    }

    protected HttpRequest request(String path, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }

    protected HttpResult get(String authorization) throws IOException, InterruptedException {
        return send(request("v1/system/status", authorization));
    }

    protected HttpResult send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new HttpResult(response.statusCode(), response.headers().map(), response.body());
    }

    protected HttpResult raw(String... headerLines) throws IOException {
        return RawHttpClient.get(app.uri("v1/system/status"), List.of(headerLines));
    }

    private static String invalidToken(String description) {
        return challenge("invalid_token", description);
    }

    private static String challenge(String error, String description) {
        return "Bearer realm=\"Global API\", error=\"" + error + "\", error_description=\"" + description + "\"";
    }

    /** Status, the exact challenge, and the exact error body and headers the README gives. */
    protected static void assertRefused(HttpResult result, int status, String challenge, String jsonMessage) {
        assertAll(result.toString(),
                () -> assertEquals(status, result.status(), "status"),
                () -> assertEquals(List.of(challenge), result.headers("WWW-Authenticate"), "WWW-Authenticate"),
                () -> assertEquals(List.of("application/json"), result.headers("Content-Type"), "Content-Type"),
                () -> assertEquals(List.of("no-store"), result.headers("Cache-Control"), "Cache-Control"),
                () -> assertEquals(List.of("nosniff"), result.headers("X-Content-Type-Options"), "X-Content-Type-Options"),
                () -> assertEquals("{\"errors\":[{\"type\":\"authentication\",\"message\":\"" + jsonMessage + "\"}]}",
                        result.body(), "body"));
    }

    private Map<String, Double> requestCounts() {
        Map<String, Double> counts = new LinkedHashMap<>();
        for (FunctionCounter c : registry.find("globalgate.auth.requests").functionCounters()) {
            counts.put(c.getId().getTag("outcome") + "/" + c.getId().getTag("reason"), c.count());
        }
        return counts;
    }

    private Map<String, Double> timedNanos() {
        return timedNanos(registry);
    }

    /** {@code globalgate.auth.duration}'s total time by outcome, in nanoseconds. */
    static Map<String, Double> timedNanos(io.micrometer.core.instrument.MeterRegistry registry) {
        Map<String, Double> nanos = new HashMap<>();
        for (FunctionTimer t : registry.find("globalgate.auth.duration").functionTimers()) {
            nanos.put(t.getId().getTag("outcome"), t.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS));
        }
        return nanos;
    }

    private Map<String, Long> timedCounts() {
        Map<String, Long> counts = new HashMap<>();
        for (FunctionTimer t : registry.find("globalgate.auth.duration").functionTimers()) {
            counts.put(t.getId().getTag("outcome"), (long) t.count());
        }
        return counts;
    }

    /** What an integration's counts should be: accepted, expired, revoked, inactive; none refused by a restriction. */
    private static Map<String, Double> byReason(double accepted, double expired, double revoked, double inactive) {
        return Map.of("accepted/none", accepted, "rejected/expired", expired, "rejected/revoked", revoked, "rejected/inactive", inactive,
                "rejected/network", 0.0, "rejected/scope", 0.0, "rejected/rate_limited", 0.0);
    }

    /** {@code globalgate.integration.requests} of one integration, by outcome/reason. */
    private Map<String, Double> integrationCounts(Seed.Integration integration) {
        Map<String, Double> counts = new HashMap<>();
        for (FunctionCounter c : registry.find("globalgate.integration.requests").tag("integration", integration.name())
                .tag("integration_id", Long.toString(integration.id())).functionCounters()) {
            counts.put(c.getId().getTag("outcome") + "/" + c.getId().getTag("reason"), c.count());
        }
        return counts;
    }

    private double storeLookupsMetric() {
        FunctionCounter counter = registry.get("globalgate.store.lookups").functionCounter();
        return counter.count();
    }

    private static List<String> globalgateMeters(SimpleMeterRegistry registry) {
        return registry.getMeters().stream().map(Meter::getId).filter(id -> id.getName().startsWith("globalgate."))
                .map(Meter.Id::toString).toList();
    }
}
