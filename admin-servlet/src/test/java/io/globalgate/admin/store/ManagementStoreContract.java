package io.globalgate.admin.store;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.store.IntegrationStore.Input;
import io.globalgate.store.ChangeEvent;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.store.TokenDecision;
import io.globalgate.testing.FaultyDataSource;
import io.globalgate.testing.MutableClock;
import io.globalgate.testing.Rows;
import io.globalgate.token.TokenFormat;
import io.globalgate.token.TokenHash;
import io.globalgate.validation.FieldError;
import io.globalgate.validation.InputValidator;
import io.globalgate.validation.ValidationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link ManagementStore} promises, checked against a real database:
 * {@link H2ManagementStoreTest} and {@link MariaDbManagementStoreTest} run every test here: each
 * change with its audit row, change event and notification, validation, concurrency, and that
 * the filter's decision lookup reads what the write side wrote. One fresh schema per database per run; each
 * test makes its own integrations (names carry a sequence number), so tests never share rows.
 * The clock restarts at {@link #START} before each test and only moves when a test moves it.
 *
 * <p>One flat class rather than {@code @Nested} groups: Surefire reports inherited nested classes
 * under this abstract class's name, so a failure would not say which database it happened on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ManagementStoreContract {

    static final Instant START = Instant.parse("2030-01-15T10:00:00.123Z");
    static final String ADMIN = "admin";
    static final PageRequest ALL = new PageRequest(1, 200);
    static final Pattern TOKEN_PATTERN = Pattern.compile("^gat_[0-9A-Za-z]{38}$");
    static final String ROCKET = "\uD83D\uDE80";

    final MutableClock clock = new MutableClock(START);
    private final AtomicInteger sequence = new AtomicInteger();
    private HikariDataSource dataSource;
    ManagementStore store;
    /** The same database under a deployment that limits token lifetime to 90 days. */
    ManagementStore limitedStore;
    /** The same database through a DataSource that fails on demand. */
    FaultyDataSource faulty;
    ManagementStore faultyStore;
    Rows rows;

    /** A fresh, empty database of the kind the subclass is about. */
    protected abstract HikariDataSource freshDatabase();

    @BeforeAll
    void openStore() {
        dataSource = freshDatabase();
        GlobalgateStore shared = new GlobalgateStore(dataSource, clock).migrate();
        store = new ManagementStore(shared, new InputValidator(clock, null));
        limitedStore = new ManagementStore(shared, new InputValidator(clock, Duration.ofDays(90)));
        faulty = new FaultyDataSource(dataSource);
        faultyStore = new ManagementStore(new GlobalgateStore(faulty.dataSource(), clock), new InputValidator(clock, null));
        rows = new Rows(dataSource);
    }

    @AfterAll
    void closeStore() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @BeforeEach
    void startTheClock() {
        clock.set(START);
        faulty.reset();
    }

    // ---- helpers

    String unique(String base) {
        return base + " #" + sequence.incrementAndGet();
    }

    Integration newIntegration() {
        return newIntegration(unique("Integration"));
    }

    Integration newIntegration(String name) {
        return store.integrations().create(ADMIN, Input.of(name, "", "team@example.com"));
    }

    IssuedToken newToken(Integration integration, String expiration) {
        return store.tokens().create(ADMIN, integration.id(), unique("token"), expiration, null);
    }

    /** Oldest first, as "actor action integration/token". */
    List<String> auditOf(long integrationId) {
        List<String> lines = new ArrayList<>();
        for (AuditEvent e : store.audit().list(integrationId, ALL).items()) {
            lines.add(0, e.actor() + " " + e.action() + " " + e.integrationId() + "/" + e.tokenId());
        }
        return lines;
    }

    List<ChangeEvent> changesAfter(long id) {
        return store.shared().changes().readAfter(id, 10_000);
    }

    static FieldError refused(Executable action) {
        ValidationException e = assertThrows(ValidationException.class, action);
        assertEquals(1, e.errors().size(), e.getMessage());
        return e.errors().get(0);
    }

    static String sha256Hex(String value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Listens on {@code target} for the duration of {@code body}. */
    static List<ChangeEvent> heard(ManagementStore target, Runnable body) {
        List<ChangeEvent> heard = new CopyOnWriteArrayList<>();
        Consumer<ChangeEvent> listener = heard::add;
        target.shared().addChangeListener(listener);
        try {
            body.run();
        } finally {
            target.shared().removeChangeListener(listener);
        }
        return heard;
    }

    /** Runs {@code tasks} at once, each on its own thread; each outcome is a value or the exception it threw. */
    static List<Object> race(List<Callable<?>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch ready = new CountDownLatch(tasks.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (Callable<?> task : tasks) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    try {
                        return task.call();
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            assertTrue(ready.await(10, TimeUnit.SECONDS));
            go.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> f : futures) {
                outcomes.add(f.get(60, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- integrations

    @Test
    void aCreatedIntegrationHoldsExactlyWhatItWasGiven() {
        Integration created = store.integrations().create("alice", Input.of("  Acme Payments  ", "Line 1\nLine 2", "ops@acme.example"));
        assertEquals("Acme Payments", created.name());
        assertEquals("Line 1\nLine 2", created.description());
        assertEquals("ops@acme.example", created.notificationEmail());
        assertTrue(created.active());
        assertEquals(START, created.createdAt());
        assertEquals("alice", created.createdBy());
        assertEquals(START, created.updatedAt());
        assertEquals(0, created.activeTokens());
        assertEquals(created, store.integrations().get(created.id()));
    }

    @Test
    void anIntegrationCanBeCreatedInactive() {
        Integration created = store.integrations().create(ADMIN, new Input(unique("Dormant"), null, "a@b.co", false));
        assertFalse(created.active());
        assertEquals("", created.description());
    }

    @Test
    void anUpdateChangesOnlyTheGivenFields() {
        Integration before = store.integrations().create(ADMIN, Input.of(unique("Before"), "keep me", "keep@example.com"));
        clock.advance(Duration.ofMinutes(5));
        String name = unique("After");
        Integration after = store.integrations().update("bob", before.id(), new Input(name, null, null, null));
        assertEquals(name, after.name());
        assertEquals("keep me", after.description());
        assertEquals("keep@example.com", after.notificationEmail());
        assertTrue(after.active());
        assertEquals(START, after.createdAt());
        assertEquals(START.plus(Duration.ofMinutes(5)), after.updatedAt());
        assertEquals(after, store.integrations().get(before.id()));
    }

    @Test
    void anUpdateThatChangesNothingWritesNothing() {
        Integration integration = newIntegration();
        Map<String, Long> before = rows.counts();
        clock.advance(Duration.ofMinutes(5));
        Integration same = store.integrations().update(ADMIN, integration.id(),
                new Input(integration.name(), integration.description(), integration.notificationEmail(), true));
        assertEquals(integration, same);
        assertEquals(before, rows.counts());
    }

    @Test
    void setActiveSwitchesTheActiveFlag() {
        Integration integration = newIntegration();
        assertFalse(store.integrations().setActive(ADMIN, integration.id(), false).active());
        assertFalse(store.integrations().get(integration.id()).active());
        assertTrue(store.integrations().setActive(ADMIN, integration.id(), true).active());
    }

    @Test
    void anUnknownIntegrationIdIsNotFoundNamingTheId() {
        assertEquals("integration 987654321 does not exist",
                assertThrows(NotFoundException.class, () -> store.integrations().get(987654321L)).getMessage());
        assertEquals("integration 987654321 does not exist", assertThrows(NotFoundException.class,
                () -> store.integrations().update(ADMIN, 987654321L, Input.of("x", "y", "a@b.co"))).getMessage());
        assertEquals("integration -1 does not exist",
                assertThrows(NotFoundException.class, () -> store.integrations().setActive(ADMIN, -1L, false)).getMessage());
        assertEquals("integration " + Long.MAX_VALUE + " does not exist",
                assertThrows(NotFoundException.class, () -> store.integrations().get(Long.MAX_VALUE)).getMessage());
    }

    @Test
    void aListingIsPagedInNameOrderIgnoringCase() {
        String prefix = unique("Paging") + " ";
        for (String suffix : List.of("delta", "alpha", "Echo", "charlie", "Bravo")) {
            newIntegration(prefix + suffix);
        }
        List<String> names = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            Page<Integration> result = store.integrations().list(prefix, new PageRequest(page, 2));
            assertEquals(5, result.total());
            assertEquals(page < 3 ? 2 : 1, result.items().size());
            result.items().forEach(i -> names.add(i.name().substring(prefix.length())));
        }
        assertEquals(List.of("alpha", "Bravo", "charlie", "delta", "Echo"), names);
        Page<Integration> beyond = store.integrations().list(prefix, new PageRequest(4, 2));
        assertEquals(List.of(), beyond.items());
        assertEquals(5, beyond.total());
    }

    @Test
    void aListingWithoutQueryShowsEveryIntegration() {
        newIntegration();
        Page<Integration> all = store.integrations().list(null, new PageRequest(1, 200));
        assertEquals(rows.count("SELECT COUNT(*) FROM integration"), all.total());
        assertEquals(all.total(), store.integrations().list("   ", new PageRequest(1, 200)).total());
    }

    @Test
    void theNameSearchIgnoresCase() {
        String tag = unique("zebra");
        Integration integration = newIntegration("The " + tag.toUpperCase(Locale.ROOT) + " Shop");
        assertEquals(List.of(integration), store.integrations().list(tag, ALL).items());
        assertEquals(List.of(integration), store.integrations().list("the " + tag + " SHOP", ALL).items());
    }

    @Test
    void percentUnderscoreAndBackslashInTheSearchAreLiteral() {
        String tag = unique("-lit");
        Integration percent = newIntegration("50% off" + tag);
        newIntegration("50x off" + tag);
        Integration underscore = newIntegration("a_b" + tag);
        newIntegration("axb" + tag);
        Integration backslash = newIntegration("C:\\temp" + tag);
        newIntegration("C:temp" + tag);
        Integration bang = newIntegration("wow!" + tag);
        newIntegration("wow" + tag);
        assertEquals(List.of(percent), store.integrations().list("50% off" + tag, ALL).items());
        assertEquals(List.of(underscore), store.integrations().list("a_b" + tag, ALL).items());
        assertEquals(List.of(backslash), store.integrations().list(":\\temp" + tag, ALL).items());
        assertEquals(List.of(bang), store.integrations().list("!" + tag, ALL).items());
        assertEquals(0, store.integrations().list("%", ALL).items().stream().filter(i -> !i.name().contains("%")).count());
        assertEquals(0, store.integrations().list("_", ALL).items().stream().filter(i -> !i.name().contains("_")).count());
    }

    @Test
    void namesAreUniqueIgnoringCase() {
        String name = unique("Acme");
        Integration first = newIntegration(name);
        Map<String, Long> before = rows.counts();
        FieldError error = refused(() -> newIntegration(name.toUpperCase(Locale.ROOT)));
        assertEquals(new FieldError("name", "is already used by another integration (names are unique, ignoring case)"), error);
        assertEquals(before, rows.counts());
        assertEquals(List.of(ADMIN + " integration.created " + first.id() + "/null"), auditOf(first.id()));
    }

    @Test
    void renamingOntoAnotherIntegrationsNameIgnoringCaseIsRefused() {
        Integration a = newIntegration();
        Integration b = newIntegration();
        Map<String, Long> before = rows.counts();
        FieldError error = refused(() -> store.integrations().update(ADMIN, b.id(),
                new Input(a.name().toLowerCase(Locale.ROOT), null, null, null)));
        assertEquals("name", error.key());
        assertEquals(b, store.integrations().get(b.id()));
        assertEquals(before, rows.counts());
    }

    @Test
    void anIntegrationMayChangeTheCaseOfItsOwnName() {
        Integration integration = newIntegration(unique("quiet"));
        String loud = integration.name().toUpperCase(Locale.ROOT);
        assertEquals(loud, store.integrations().update(ADMIN, integration.id(), new Input(loud, null, null, null)).name());
    }

    @Test
    void activeTokensCountsTokensThatAreNeitherRevokedNorExpired() {
        Integration integration = newIntegration();
        newToken(integration, "30d");
        newToken(integration, "7d");
        newToken(integration, "never");
        IssuedToken revoked = newToken(integration, "30d");
        store.tokens().revoke(ADMIN, revoked.token().id());
        assertEquals(3, store.integrations().get(integration.id()).activeTokens());
        clock.advance(Duration.ofDays(7));
        assertEquals(2, store.integrations().get(integration.id()).activeTokens());
        assertEquals(2, store.integrations().list(integration.name(), ALL).items().get(0).activeTokens());
        clock.advance(Duration.ofDays(30));
        assertEquals(1, store.integrations().get(integration.id()).activeTokens());
    }

    // ---- tokens

    @Test
    void creatingATokenReturnsItsValueWithTheStoredToken() {
        Integration integration = newIntegration();
        IssuedToken issued = store.tokens().create("alice", integration.id(), "CI deploys", "30d", null);
        assertTrue(TOKEN_PATTERN.matcher(issued.value()).matches(), issued.value());
        assertNull(TokenFormat.problemOf(issued.value()));
        AccessToken token = issued.token();
        assertEquals(integration.id(), token.integrationId());
        assertEquals("CI deploys", token.name());
        assertEquals(TokenFormat.hint(issued.value()), token.hint());
        assertEquals("30d", token.expiration());
        assertEquals(START.plus(Duration.ofDays(30)), token.expiresAt());
        assertEquals(START, token.createdAt());
        assertEquals("alice", token.createdBy());
        assertNull(token.revokedAt());
        assertNull(token.revokedBy());
        assertNull(token.replacedBy());
        assertNull(token.lastUsedAt());
        assertNull(token.lastUsedIp());
        assertNull(issued.replaces());
        assertEquals(token, store.tokens().get(token.id()));
        assertEquals(TokenStatus.ACTIVE, token.status(START));
    }

    @Test
    void anIssuedTokenNeverPrintsItsValue() {
        IssuedToken issued = newToken(newIntegration(), "7d");
        assertFalse(issued.toString().contains(issued.value()));
        assertFalse(issued.toString().contains(issued.value().substring(4, 36)));
        assertTrue(issued.toString().contains("value=<masked>"));
    }

    @Test
    void theDatabaseKeepsOnlyTheSha256OfTheToken() throws Exception {
        Integration integration = newIntegration();
        IssuedToken issued = newToken(integration, "30d");
        IssuedToken replacement = store.tokens().regenerate(ADMIN, issued.token().id(), Duration.ZERO);
        store.tokens().revoke(ADMIN, replacement.token().id());
        for (IssuedToken token : List.of(issued, replacement)) {
            Map<String, Object> row = rows.one("SELECT * FROM access_token WHERE id = ?", token.token().id());
            assertEquals(sha256Hex(token.value()), HexFormat.of().formatHex((byte[]) row.get("token_hash")));
        }
        // the random part, not just the whole value: no column may hold it in any form
        List<String> secrets = List.of(issued.value().substring(4, 36), replacement.value().substring(4, 36));
        for (String table : rows.tables()) {
            for (Map<String, Object> r : rows.list("SELECT * FROM " + table)) {
                for (Map.Entry<String, Object> column : r.entrySet()) {
                    Object value = column.getValue();
                    String text = value instanceof byte[] bytes
                            ? new String(bytes, StandardCharsets.ISO_8859_1) + HexFormat.of().formatHex(bytes)
                            : String.valueOf(value);
                    for (String secret : secrets) {
                        assertFalse(text.contains(secret), table + "." + column.getKey() + " holds a token's random part");
                    }
                }
            }
        }
    }

    @Test
    void aCustomExpiryIsKept() {
        IssuedToken issued = store.tokens().create(ADMIN, newIntegration().id(), "custom", null, "2030-03-01T00:00:00.500Z");
        assertEquals("custom", issued.token().expiration());
        assertEquals(Instant.parse("2030-03-01T00:00:00.500Z"), issued.token().expiresAt());
        assertEquals(issued.token(), store.tokens().get(issued.token().id()));
    }

    @Test
    void aNeverExpiringTokenStaysActive() {
        IssuedToken issued = newToken(newIntegration(), "never");
        assertNull(issued.token().expiresAt());
        clock.advance(Duration.ofDays(3650));
        assertEquals(TokenStatus.ACTIVE, store.tokens().get(issued.token().id()).status(clock.instant()));
    }

    @Test
    void aTokenExpiresExactlyAtItsExpiry() {
        IssuedToken issued = newToken(newIntegration(), "7d");
        AccessToken token = store.tokens().get(issued.token().id());
        assertEquals(TokenStatus.ACTIVE, token.status(START.plus(Duration.ofDays(7)).minusMillis(1)));
        assertEquals(TokenStatus.EXPIRED, token.status(START.plus(Duration.ofDays(7))));
    }

    @Test
    void aListingFiltersByStatusNewestFirst() {
        Integration integration = newIntegration();
        IssuedToken month = newToken(integration, "30d");
        IssuedToken week = newToken(integration, "7d");
        IssuedToken revoked = newToken(integration, "never");
        IssuedToken never = newToken(integration, "never");
        store.tokens().revoke(ADMIN, revoked.token().id());
        clock.advance(Duration.ofDays(8));
        assertEquals(List.of(never.token().id(), month.token().id()), ids(store.tokens().list(integration.id(), TokenStatus.ACTIVE, ALL)));
        assertEquals(List.of(week.token().id()), ids(store.tokens().list(integration.id(), TokenStatus.EXPIRED, ALL)));
        assertEquals(List.of(revoked.token().id()), ids(store.tokens().list(integration.id(), TokenStatus.REVOKED, ALL)));
        assertEquals(List.of(never.token().id(), revoked.token().id(), week.token().id(), month.token().id()),
                ids(store.tokens().list(integration.id(), null, ALL)));
        assertEquals(2, store.tokens().list(integration.id(), TokenStatus.ACTIVE, ALL).total());
        assertEquals(4, store.tokens().list(integration.id(), null, ALL).total());
    }

    @Test
    void aTokenListingSortsByEachKeyEitherWayWithTiesNewestFirst() throws Exception {
        Integration integration = newIntegration();
        long b = store.tokens().create(ADMIN, integration.id(), "Beta", "30d", null).token().id();
        long a = store.tokens().create(ADMIN, integration.id(), "alpha", "7d", null).token().id();
        long n = store.tokens().create(ADMIN, integration.id(), "Beta", "never", null).token().id();
        long r = store.tokens().create(ADMIN, integration.id(), "gamma", "90d", null).token().id();
        long x = store.tokens().create(ADMIN, integration.id(), "Delta", null, START.plus(Duration.ofHours(1)).toString()).token().id();
        store.tokens().revoke(ADMIN, r);
        lastUsed(a, START.plus(Duration.ofMinutes(10)));
        lastUsed(b, START.plus(Duration.ofMinutes(20)));
        clock.advance(Duration.ofHours(2)); // Delta has expired
        Map<String, List<Long>> expected = new LinkedHashMap<>();
        expected.put("name", List.of(a, n, b, x, r));
        expected.put("-name", List.of(r, x, n, b, a));
        expected.put("created", List.of(b, a, n, r, x));
        expected.put("-created", List.of(x, r, n, a, b));
        expected.put("expires", List.of(x, a, b, r, n));
        expected.put("-expires", List.of(n, r, b, a, x));
        expected.put("lastUsed", List.of(x, r, n, a, b));
        expected.put("-lastUsed", List.of(b, a, x, r, n));
        expected.put("status", List.of(n, a, b, x, r));
        expected.put("-status", List.of(r, x, n, a, b));
        assertEquals(Sort.allowed(Sort.TOKEN_KEYS), List.copyOf(expected.keySet()), "every order is checked");
        for (Map.Entry<String, List<Long>> order : expected.entrySet()) {
            Sort sort = Sort.parse(order.getKey(), Sort.TOKEN_KEYS, Sort.TOKEN_DEFAULT);
            assertEquals(order.getValue(), ids(store.tokens().list(integration.id(), null, null, sort, ALL)), order.getKey());
            List<Long> paged = new ArrayList<>();
            for (int page = 1; page <= 3; page++) {
                paged.addAll(ids(store.tokens().list(integration.id(), null, null, sort, new PageRequest(page, 2))));
            }
            assertEquals(order.getValue(), paged, order.getKey() + " in pages of 2: none twice, none left out");
        }
        Sort byName = Sort.parse("name", Sort.TOKEN_KEYS, Sort.TOKEN_DEFAULT);
        assertEquals(List.of(a, n, b), ids(store.tokens().list(integration.id(), TokenStatus.ACTIVE, null, byName, ALL)));
    }

    @Test
    void aTokenSearchMatchesAnyPartOfTheNameIgnoringCaseAndTakesWildcardsLiterally() {
        Integration integration = newIntegration();
        long upper = store.tokens().create(ADMIN, integration.id(), "ERP Production", "30d", null).token().id();
        long lower = store.tokens().create(ADMIN, integration.id(), "erp staging", "30d", null).token().id();
        long percent = store.tokens().create(ADMIN, integration.id(), "50% off_sale", "30d", null).token().id();
        store.tokens().revoke(ADMIN, lower);
        Page<AccessToken> erp = store.tokens().list(integration.id(), null, "rP", Sort.TOKEN_DEFAULT, ALL);
        assertEquals(List.of(lower, upper), ids(erp));
        assertEquals(2, erp.total());
        assertEquals(List.of(upper), ids(store.tokens().list(integration.id(), TokenStatus.ACTIVE, "erp", Sort.TOKEN_DEFAULT, ALL)));
        assertEquals(List.of(percent), ids(store.tokens().list(integration.id(), null, "0% OFF_", Sort.TOKEN_DEFAULT, ALL)));
        assertEquals(List.of(percent), ids(store.tokens().list(integration.id(), null, "%", Sort.TOKEN_DEFAULT, ALL)), "% is no wildcard");
        assertEquals(List.of(), ids(store.tokens().list(integration.id(), null, "p_s", Sort.TOKEN_DEFAULT, ALL)), "_ is no wildcard");
        assertEquals(List.of(), ids(store.tokens().list(integration.id(), null, "' OR '1'='1", Sort.TOKEN_DEFAULT, ALL)));
        assertEquals("q", refused(() -> store.tokens().list(integration.id(), null, "q".repeat(101), Sort.TOKEN_DEFAULT, ALL)).key());
    }

    @Test
    void theRevocableIdsOfAListingAreItsTokensNeitherRevokedNorExpiredLowestFirst() {
        Integration integration = newIntegration();
        Integration other = newIntegration();
        long one = store.tokens().create(ADMIN, integration.id(), "bulk one", "30d", null).token().id();
        long revoked = store.tokens().create(ADMIN, integration.id(), "bulk revoked", "30d", null).token().id();
        long expired = store.tokens().create(ADMIN, integration.id(), "bulk expired", null, START.plus(Duration.ofHours(1)).toString()).token().id();
        long two = store.tokens().create(ADMIN, integration.id(), "bulk two", "never", null).token().id();
        long unmatched = store.tokens().create(ADMIN, integration.id(), "single", "30d", null).token().id();
        store.tokens().create(ADMIN, other.id(), "bulk of another integration", "30d", null);
        store.tokens().revoke(ADMIN, revoked);
        clock.advance(Duration.ofHours(2));
        assertEquals(List.of(one, two), store.tokens().revocableIds(integration.id(), null, "BULK", 1001));
        assertEquals(List.of(one, two, unmatched), store.tokens().revocableIds(integration.id(), TokenStatus.ACTIVE, null, 1001));
        assertEquals(List.of(one), store.tokens().revocableIds(integration.id(), null, "bulk", 1), "at most the limit");
        assertEquals(List.of(), store.tokens().revocableIds(integration.id(), TokenStatus.EXPIRED, null, 1001));
        assertEquals(List.of(), store.tokens().revocableIds(integration.id(), TokenStatus.REVOKED, null, 1001));
        assertEquals(List.of(expired), ids(store.tokens().list(integration.id(), TokenStatus.EXPIRED, null, Sort.TOKEN_DEFAULT, ALL)),
                "the expired token is listed as expired, and left out of the revocable ids");
        assertEquals(List.of(revoked), ids(store.tokens().list(integration.id(), TokenStatus.REVOKED, null, Sort.TOKEN_DEFAULT, ALL)),
                "so is the revoked one");
    }

    @Test
    void theLineageOfAListingNamesTheHintsOfTheOldAndTheNewTokenOfARegeneration() {
        Integration integration = newIntegration();
        IssuedToken old = newToken(integration, "30d");
        IssuedToken fresh = store.tokens().regenerate(ADMIN, old.token().id(), Duration.ofHours(1));
        IssuedToken alone = newToken(integration, "30d");
        TokenStore.Lineage lineage = store.tokens().lineage(List.of(store.tokens().get(old.token().id()), alone.token()));
        assertEquals(fresh.token().hint(), lineage.hint(store.tokens().get(old.token().id()).replacedBy()), "replaced by");
        assertNull(lineage.replacedHint(alone.token().id()));
        assertEquals(old.token().hint(), store.tokens().lineage(List.of(fresh.token())).replacedHint(fresh.token().id()), "replaces");
        assertEquals(Map.of(), store.tokens().lineage(List.of()).hints());
    }

    @Test
    void anIntegrationListingSortsByNameCreationOrActiveEitherWay() {
        String mark = unique("sorted");
        Integration b = newIntegration(mark + " b");
        Integration a = newIntegration(mark + " A");
        Integration c = newIntegration(mark + " c");
        store.integrations().setActive(ADMIN, a.id(), false);
        Map<String, List<Long>> expected = new LinkedHashMap<>();
        expected.put("name", List.of(a.id(), b.id(), c.id()));
        expected.put("-name", List.of(c.id(), b.id(), a.id()));
        expected.put("created", List.of(b.id(), a.id(), c.id()));
        expected.put("-created", List.of(c.id(), a.id(), b.id()));
        expected.put("active", List.of(b.id(), c.id(), a.id()));
        expected.put("-active", List.of(a.id(), b.id(), c.id()));
        assertEquals(Sort.allowed(Sort.INTEGRATION_KEYS), List.copyOf(expected.keySet()), "every order is checked");
        for (Map.Entry<String, List<Long>> order : expected.entrySet()) {
            Sort sort = Sort.parse(order.getKey(), Sort.INTEGRATION_KEYS, Sort.INTEGRATION_DEFAULT);
            assertEquals(order.getValue(), store.integrations().list(mark, sort, ALL).items().stream().map(Integration::id).toList(),
                    order.getKey());
            assertEquals(order.getValue(), store.integrations().search(mark, null, sort, ALL).items().stream().map(Integration::id).toList(),
                    order.getKey());
        }
    }

    /** Sets a token's last use as the filter's usage flush would. */
    private void lastUsed(long tokenId, Instant at) throws Exception {
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement("UPDATE access_token SET last_used_at = ? WHERE id = ?")) {
            io.globalgate.store.Database.setInstant(ps, 1, at);
            ps.setLong(2, tokenId);
            assertEquals(1, ps.executeUpdate());
        }
    }

    @Test
    void aTokenListingPagesThroughOnlyThatIntegrationsTokens() {
        Integration integration = newIntegration();
        Integration other = newIntegration();
        List<Long> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(newToken(integration, "30d").token().id());
            newToken(other, "30d");
        }
        Collections.reverse(created);
        List<Long> seen = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            Page<AccessToken> result = store.tokens().list(integration.id(), TokenStatus.ACTIVE, new PageRequest(page, 2));
            assertEquals(5, result.total());
            seen.addAll(ids(result));
            for (AccessToken listed : result.items()) {
                assertEquals(store.tokens().get(listed.id()), listed, "a listed token has every field as read alone");
            }
        }
        assertEquals(created, seen);
        assertEquals(List.of(), ids(store.tokens().list(integration.id(), null, new PageRequest(9, 2))));
    }

    @Test
    void anUnknownTokenIdIsNotFoundNamingTheId() {
        assertEquals("token 987654321 does not exist",
                assertThrows(NotFoundException.class, () -> store.tokens().get(987654321L)).getMessage());
        assertEquals("token 987654321 does not exist",
                assertThrows(NotFoundException.class, () -> store.tokens().revoke(ADMIN, 987654321L)).getMessage());
        assertEquals("token 987654321 does not exist", assertThrows(NotFoundException.class,
                () -> store.tokens().regenerate(ADMIN, 987654321L, Duration.ZERO)).getMessage());
        assertEquals("token 0 does not exist", assertThrows(NotFoundException.class, () -> store.tokens().get(0)).getMessage());
        assertEquals(List.of(), store.tokens().predecessors(987654321L));
    }

    @Test
    void tokensOfAnUnknownIntegrationAreNotFound() {
        Map<String, Long> before = rows.counts();
        assertEquals("integration 987654321 does not exist", assertThrows(NotFoundException.class,
                () -> store.tokens().create(ADMIN, 987654321L, "x", "30d", null)).getMessage());
        assertEquals("integration 987654321 does not exist", assertThrows(NotFoundException.class,
                () -> store.tokens().list(987654321L, null, ALL)).getMessage());
        assertEquals("integration 987654321 does not exist", assertThrows(NotFoundException.class,
                () -> store.tokens().revokeMany(ADMIN, 987654321L, List.of(1L))).getMessage());
        assertEquals(before, rows.counts());
    }

    @Test
    void revokingMarksTheTokenRevokedNowByTheActor() {
        IssuedToken issued = newToken(newIntegration(), "30d");
        clock.advance(Duration.ofHours(1));
        AccessToken revoked = store.tokens().revoke("carol", issued.token().id());
        assertEquals(START.plus(Duration.ofHours(1)), revoked.revokedAt());
        assertEquals("carol", revoked.revokedBy());
        assertEquals(TokenStatus.REVOKED, revoked.status(clock.instant()));
        assertEquals(revoked, store.tokens().get(issued.token().id()));
    }

    @Test
    void revokingAnAlreadyRevokedTokenIsAConflict() {
        IssuedToken issued = newToken(newIntegration(), "30d");
        store.tokens().revoke("carol", issued.token().id());
        Map<String, Long> before = rows.counts();
        ConflictException e = assertThrows(ConflictException.class, () -> store.tokens().revoke(ADMIN, issued.token().id()));
        assertEquals("token " + issued.token().id() + " is already revoked (at " + START + " by carol)", e.getMessage());
        assertEquals(before, rows.counts());
        assertEquals("carol", store.tokens().get(issued.token().id()).revokedBy());
    }

    @Test
    void eachRevokedTokenSaysHowItEnded() {
        Integration integration = newIntegration();
        IssuedToken manual = newToken(integration, "30d");
        IssuedToken mass = newToken(integration, "30d");
        IssuedToken regenerated = newToken(integration, "30d");
        store.tokens().revoke("carol", manual.token().id());
        store.tokens().revokeMany("carol", integration.id(), List.of(mass.token().id()));
        store.tokens().regenerate("carol", regenerated.token().id(), Duration.ZERO);
        assertEquals("manual", store.tokens().get(manual.token().id()).revokedReason());
        assertEquals("manual", store.tokens().get(mass.token().id()).revokedReason());
        assertEquals("regenerated", store.tokens().get(regenerated.token().id()).revokedReason());
    }

    @Test
    void aLeakReportRevokesTheLiveTokensAmongItOnceAndKnowsEveryTokenOfThisDeployment() {
        Integration integration = newIntegration();
        IssuedToken live = newToken(integration, "30d");
        IssuedToken revokedBefore = newToken(integration, "30d");
        IssuedToken expired = newToken(integration, "7d");
        store.tokens().revoke("carol", revokedBefore.token().id());
        clock.advance(Duration.ofDays(8));
        IssuedToken liveNow = newToken(integration, "30d");
        String unknown = TokenFormat.generate();
        List<LeakStore.Report> report = List.of(
                new LeakStore.Report(live.value(), "https://github.com/o/r/blob/1/a.env", "commit"),
                new LeakStore.Report(liveNow.value(), "https://github.com/o/r/blob/1/b.env\n<script>", "content"),
                new LeakStore.Report(revokedBefore.value(), "https://github.com/o/r/blob/1/c.env", "commit"),
                new LeakStore.Report(expired.value(), "https://github.com/o/r/blob/1/d.env", "commit"),
                new LeakStore.Report(unknown, "https://github.com/o/r/blob/1/e.env", "commit"),
                new LeakStore.Report("gat_" + ROCKET, null, null));
        long auditBefore = rows.count("SELECT COUNT(*) FROM audit_event");

        java.util.Set<TokenHash> known = store.leaks().reportLeaked("github-secret-scanning", report);

        assertEquals(java.util.Set.of(TokenHash.of(live.value()), TokenHash.of(liveNow.value()), TokenHash.of(revokedBefore.value()),
                TokenHash.of(expired.value())), known);
        AccessToken leaked = store.tokens().get(live.token().id());
        assertEquals("leak_reported", leaked.revokedReason());
        assertEquals("github-secret-scanning", leaked.revokedBy());
        assertEquals(clock.instant(), leaked.revokedAt());
        assertEquals("reported by github-secret-scanning at https://github.com/o/r/blob/1/a.env (source: commit)", leaked.revokedDetail());
        assertEquals("reported by github-secret-scanning at https://github.com/o/r/blob/1/b.env?<script> (source: content)",
                store.tokens().get(liveNow.token().id()).revokedDetail(), "control characters from outside are not kept");
        assertEquals("manual", store.tokens().get(revokedBefore.token().id()).revokedReason());
        assertNull(store.tokens().get(expired.token().id()).revokedAt(), "an expired token is dead already");
        assertTrue(store.shared().tokens().findDecision(TokenHash.of(live.value())).orElseThrow().revokedAt() != null);
        assertEquals(auditBefore + 2, rows.count("SELECT COUNT(*) FROM audit_event"));
        assertEquals(2, rows.count("SELECT COUNT(*) FROM notification_outbox WHERE kind = 'token_leaked' AND integration_id = ?", integration.id()));

        Map<String, Long> before = rows.counts();
        assertEquals(known, store.leaks().reportLeaked("github-secret-scanning", report));
        assertEquals(before, rows.counts(), "the same report again changes nothing");
    }

    @Test
    void aRevocationByValueRevokesOnlyLiveTokensAndNamesTheSender() {
        Integration integration = newIntegration();
        IssuedToken live = newToken(integration, "30d");
        IssuedToken other = newToken(integration, "30d");
        store.leaks().revokeByValue("203.0.113.9", List.of(live.value(), TokenFormat.generate(), "gat_x", ""));
        AccessToken revoked = store.tokens().get(live.token().id());
        assertEquals("revoked_by_value", revoked.revokedReason());
        assertEquals("revocation-by-value", revoked.revokedBy());
        assertEquals("sent by 203.0.113.9", revoked.revokedDetail());
        assertNull(store.tokens().get(other.token().id()).revokedAt());
        assertEquals(1, rows.count("SELECT COUNT(*) FROM notification_outbox WHERE kind = 'tokens_revoked_by_value' AND integration_id = ?",
                integration.id()));
        Map<String, Long> before = rows.counts();
        store.leaks().revokeByValue("203.0.113.9", List.of(live.value()));
        assertEquals(before, rows.counts());
        assertThrows(IllegalArgumentException.class, () -> store.leaks().revokeByValue("203.0.113.9",
                Collections.nCopies(LeakStore.MAX_TOKENS + 1, live.value())));
    }

    @Test
    void aMassRevokeCountsTheTokensOfThatIntegrationItRevoked() {
        Integration mine = newIntegration();
        Integration theirs = newIntegration();
        long a1 = newToken(mine, "30d").token().id();
        long a2 = newToken(mine, "30d").token().id();
        long a3 = newToken(mine, "30d").token().id();
        long b1 = newToken(theirs, "30d").token().id();
        long b2 = newToken(theirs, "30d").token().id();
        int revoked = store.tokens().revokeMany("dave", mine.id(), List.of(a1, a2, b1, 987654321L, a1));
        assertEquals(2, revoked);
        assertEquals("dave", store.tokens().get(a1).revokedBy());
        assertEquals("dave", store.tokens().get(a2).revokedBy());
        assertNull(store.tokens().get(a3).revokedAt());
        assertNull(store.tokens().get(b1).revokedAt());
        assertNull(store.tokens().get(b2).revokedAt());
        assertEquals(0, store.tokens().revokeMany("dave", mine.id(), List.of(a1, a2)));
        assertEquals(0, store.tokens().revokeMany("dave", mine.id(), List.of(b1, b2)));
        assertNull(store.tokens().get(b1).revokedAt());
        assertEquals(1, store.tokens().revokeMany("dave", mine.id(), List.of(a1, a2, a3)));
    }

    @Test
    void aMassRevokeThatFailsHalfwayRevokesNothing() {
        Integration integration = newIntegration();
        List<Long> ids = List.of(newToken(integration, "30d").token().id(), newToken(integration, "30d").token().id(),
                newToken(integration, "30d").token().id());
        Map<String, Long> before = rows.counts();
        AtomicInteger changeRows = new AtomicInteger();
        faulty.failStatements(sql -> sql.startsWith("INSERT INTO change_event") && changeRows.incrementAndGet() == 2);
        List<ChangeEvent> heard = heard(faultyStore,
                () -> assertThrows(IllegalStateException.class, () -> faultyStore.tokens().revokeMany(ADMIN, integration.id(), ids)));
        assertEquals(List.of(), heard);
        assertEquals(before, rows.counts());
        for (long id : ids) {
            assertNull(store.tokens().get(id).revokedAt());
        }
        faulty.reset();
        assertEquals(3, faultyStore.tokens().revokeMany(ADMIN, integration.id(), ids));
    }

    @Test
    void findDecisionReadsWhatTheWriteSideWrote() {
        Integration integration = newIntegration();
        IssuedToken issued = newToken(integration, "never");
        TokenHash hash = TokenHash.of(issued.value());
        store.integrations().setActive(ADMIN, integration.id(), false);
        assertFalse(store.shared().tokens().findDecision(hash).orElseThrow().integrationActive());
        String renamed = unique("Renamed");
        store.integrations().update(ADMIN, integration.id(), new Input(renamed, null, null, true));
        TokenDecision decision = store.shared().tokens().findDecision(hash).orElseThrow();
        assertTrue(decision.integrationActive());
        assertEquals(renamed, decision.integrationName());
        assertNull(decision.revokedAt());
        clock.advance(Duration.ofSeconds(3));
        store.tokens().revoke(ADMIN, issued.token().id());
        assertEquals(START.plusSeconds(3), store.shared().tokens().findDecision(hash).orElseThrow().revokedAt());
    }

    // ---- regeneration

    @Test
    void regeneratingReplacesTheOldTokenAtOnce() {
        Integration integration = newIntegration();
        IssuedToken old = store.tokens().create(ADMIN, integration.id(), "Nightly export", "30d", null);
        clock.advance(Duration.ofDays(2));
        Instant now = clock.instant();
        IssuedToken fresh = store.tokens().regenerate("erin", old.token().id(), Duration.ZERO);
        assertTrue(TOKEN_PATTERN.matcher(fresh.value()).matches());
        assertNotEquals(old.value(), fresh.value());
        assertEquals(old.token().id(), fresh.replaces());
        assertEquals("Nightly export", fresh.token().name());
        assertEquals("30d", fresh.token().expiration());
        assertEquals(now.plus(Duration.ofDays(30)), fresh.token().expiresAt());
        assertEquals(now, fresh.token().createdAt());
        assertEquals("erin", fresh.token().createdBy());
        assertEquals(fresh.token(), store.tokens().get(fresh.token().id()));

        AccessToken replaced = store.tokens().get(old.token().id());
        assertEquals(now, replaced.revokedAt());
        assertEquals("erin", replaced.revokedBy());
        assertEquals(fresh.token().id(), replaced.replacedBy());
        assertEquals(TokenStatus.REVOKED, replaced.status(now));
        assertEquals(List.of(replaced), store.tokens().predecessors(fresh.token().id()));
        assertEquals(now, store.shared().tokens().findDecision(TokenHash.of(old.value())).orElseThrow().revokedAt());
        assertNull(store.shared().tokens().findDecision(TokenHash.of(fresh.value())).orElseThrow().revokedAt());
    }

    @Test
    void withAGraceTheOldTokenStaysActiveUntilTheGraceEnds() {
        Integration integration = newIntegration();
        IssuedToken old = newToken(integration, "30d");
        clock.advance(Duration.ofDays(1));
        Instant graceEnd = clock.instant().plus(Duration.ofHours(1));
        IssuedToken fresh = store.tokens().regenerate(ADMIN, old.token().id(), Duration.ofHours(1));
        AccessToken replaced = store.tokens().get(old.token().id());
        assertNull(replaced.revokedAt());
        assertEquals(fresh.token().id(), replaced.replacedBy());
        assertEquals(graceEnd, replaced.expiresAt());
        assertEquals(graceEnd, store.shared().tokens().findDecision(TokenHash.of(old.value())).orElseThrow().expiresAt());

        clock.set(graceEnd.minusMillis(1));
        assertEquals(TokenStatus.ACTIVE, store.tokens().get(old.token().id()).status(clock.instant()));
        assertEquals(2, store.tokens().list(integration.id(), TokenStatus.ACTIVE, ALL).total());
        clock.set(graceEnd);
        assertEquals(TokenStatus.EXPIRED, store.tokens().get(old.token().id()).status(clock.instant()));
        assertEquals(List.of(old.token().id()), ids(store.tokens().list(integration.id(), TokenStatus.EXPIRED, ALL)));
        assertEquals(List.of(fresh.token().id()), ids(store.tokens().list(integration.id(), TokenStatus.ACTIVE, ALL)));
    }

    @Test
    void aGraceNeverMakesTheOldTokenLiveLongerThanItWould() {
        IssuedToken old = newToken(newIntegration(), "7d");
        clock.advance(Duration.ofDays(6));
        store.tokens().regenerate(ADMIN, old.token().id(), Duration.ofDays(7));
        assertEquals(START.plus(Duration.ofDays(7)), store.tokens().get(old.token().id()).expiresAt());
    }

    @Test
    void regeneratingARevokedTokenIsAConflict() {
        IssuedToken old = newToken(newIntegration(), "30d");
        store.tokens().revoke(ADMIN, old.token().id());
        Map<String, Long> before = rows.counts();
        ConflictException e = assertThrows(ConflictException.class,
                () -> store.tokens().regenerate(ADMIN, old.token().id(), Duration.ZERO));
        assertEquals("token " + old.token().id() + " is revoked and cannot be regenerated", e.getMessage());
        assertEquals(before, rows.counts());
    }

    @Test
    void regeneratingTheSameTokenTwiceIsAConflict() {
        IssuedToken revokedAtOnce = newToken(newIntegration(), "30d");
        store.tokens().regenerate(ADMIN, revokedAtOnce.token().id(), Duration.ZERO);
        assertThrows(ConflictException.class, () -> store.tokens().regenerate(ADMIN, revokedAtOnce.token().id(), Duration.ZERO));

        IssuedToken inGrace = newToken(newIntegration(), "30d");
        IssuedToken first = store.tokens().regenerate(ADMIN, inGrace.token().id(), Duration.ofMinutes(10));
        Map<String, Long> before = rows.counts();
        ConflictException e = assertThrows(ConflictException.class,
                () -> store.tokens().regenerate(ADMIN, inGrace.token().id(), Duration.ofMinutes(10)));
        assertEquals("token " + inGrace.token().id() + " was already regenerated (replaced by token " + first.token().id() + ")",
                e.getMessage());
        assertEquals(before, rows.counts());
    }

    @Test
    void regeneratingACustomExpiryKeepsItsLifetime() {
        Integration integration = newIntegration();
        IssuedToken old = store.tokens().create(ADMIN, integration.id(), "custom", null,
                START.plus(Duration.ofDays(10)).plusSeconds(7).toString());
        clock.advance(Duration.ofDays(3));
        IssuedToken fresh = store.tokens().regenerate(ADMIN, old.token().id(), Duration.ZERO);
        assertEquals("custom", fresh.token().expiration());
        assertEquals(clock.instant().plus(Duration.ofDays(10)).plusSeconds(7), fresh.token().expiresAt());
        assertEquals(fresh.token(), store.tokens().get(fresh.token().id()));
    }

    @Test
    void regeneratingANeverExpiringTokenGivesANeverExpiringToken() {
        IssuedToken old = newToken(newIntegration(), "never");
        IssuedToken fresh = store.tokens().regenerate(ADMIN, old.token().id(), Duration.ofSeconds(30));
        assertEquals("never", fresh.token().expiration());
        assertNull(fresh.token().expiresAt());
        assertEquals(START.plusSeconds(30), store.tokens().get(old.token().id()).expiresAt());
    }

    @Test
    void aGraceOutsideZeroToSevenDaysIsRefused() {
        IssuedToken old = newToken(newIntegration(), "30d");
        Map<String, Long> before = rows.counts();
        for (Duration grace : List.of(Duration.ofDays(7).plusSeconds(1), Duration.ofSeconds(-1))) {
            assertEquals(new FieldError("graceSeconds", "must be between 0 and 604800 (7 days)"),
                    refused(() -> store.tokens().regenerate(ADMIN, old.token().id(), grace)));
        }
        assertEquals(before, rows.counts());
        assertEquals(old.token(), store.tokens().get(old.token().id()));
    }

    @Test
    void regeneratingBeyondTheDeploymentsMaximumLifetimeIsRefused() {
        IssuedToken old = newToken(newIntegration(), "365d");
        Map<String, Long> before = rows.counts();
        assertEquals(new FieldError("expiration", "exceeds the maximum token lifetime of 90 days set for this deployment"),
                refused(() -> limitedStore.tokens().regenerate(ADMIN, old.token().id(), Duration.ZERO)));
        assertEquals(before, rows.counts());
        assertEquals(old.token(), store.tokens().get(old.token().id()));
    }

    @Test
    void aCustomLifetimeThatWouldEndAfterTheYear9999IsRefused() {
        IssuedToken old = store.tokens().create(ADMIN, newIntegration().id(), "far", null, "9999-12-31T00:00:00Z");
        clock.advance(Duration.ofDays(2));
        Map<String, Long> before = rows.counts();
        assertEquals(new FieldError("expiration", "must be before 10000-01-01T00:00:00Z"),
                refused(() -> store.tokens().regenerate(ADMIN, old.token().id(), Duration.ZERO)));
        assertEquals(before, rows.counts());
        assertEquals(old.token(), store.tokens().get(old.token().id()));
    }

    @Test
    void aDeploymentsMaximumLifetimeAppliesToNewTokens() {
        Integration integration = newIntegration();
        Map<String, Long> before = rows.counts();
        assertEquals(new FieldError("expiration", "exceeds the maximum token lifetime of 90 days set for this deployment"),
                refused(() -> limitedStore.tokens().create(ADMIN, integration.id(), "x", "never", null)));
        assertEquals(new FieldError("expiresAt", "exceeds the maximum token lifetime of 90 days set for this deployment"),
                refused(() -> limitedStore.tokens().create(ADMIN, integration.id(), "x", null,
                        START.plus(Duration.ofDays(91)).toString())));
        assertEquals(before, rows.counts());
        assertEquals("90d", limitedStore.tokens().create(ADMIN, integration.id(), "x", "90d", null).token().expiration());
    }

    // ---- audit and changes

    @Test
    void everyActionWritesAnAuditEventWithActorActionAndIds() {
        Integration integration = store.integrations().create("alice", Input.of(unique("Audited"), "", "a@b.co"));
        long i = integration.id();
        store.integrations().update("bob", i, new Input(unique("Audited renamed"), "new text", "c@d.co", null));
        store.integrations().setActive("bob", i, false);
        store.integrations().setActive("bob", i, true);
        long t1 = store.tokens().create("carol", i, "one", "30d", null).token().id();
        long t2 = store.tokens().create("carol", i, "two", "30d", null).token().id();
        long t3 = store.tokens().create("carol", i, "three", "30d", null).token().id();
        store.tokens().revoke("dave", t1);
        store.tokens().revokeMany("dave", i, List.of(t1, t2));
        long t4 = store.tokens().regenerate("erin", t3, Duration.ZERO).token().id();
        assertEquals(List.of(
                "alice integration.created " + i + "/null",
                "bob integration.updated " + i + "/null",
                "bob integration.deactivated " + i + "/null",
                "bob integration.activated " + i + "/null",
                "carol token.created " + i + "/" + t1,
                "carol token.created " + i + "/" + t2,
                "carol token.created " + i + "/" + t3,
                "dave token.revoked " + i + "/" + t1,
                "dave token.revoked " + i + "/" + t2,
                "erin token.regenerated " + i + "/" + t3,
                "erin token.created " + i + "/" + t4), auditOf(i));
    }

    @Test
    void auditEventsSayWhenAndWhatInDetail() {
        clock.advance(Duration.ofMinutes(3));
        Integration integration = newIntegration();
        IssuedToken issued = store.tokens().create(ADMIN, integration.id(), "Deploy bot", "7d", null);
        List<AuditEvent> events = store.audit().list(integration.id(), ALL).items();
        assertEquals(2, events.size());
        AuditEvent created = events.get(0);
        assertEquals(START.plus(Duration.ofMinutes(3)), created.occurredAt());
        assertEquals("name=Deploy bot, expiration=7d, hint=" + issued.token().hint(), created.detail());
        assertEquals("name=" + integration.name(), events.get(1).detail());
        assertFalse(created.detail().contains(issued.value()));
    }

    @Test
    void aRegenerationsAuditNamesTheTokensByTheirHintsAndTheGraceInWords() {
        Integration integration = newIntegration();
        IssuedToken old = store.tokens().create(ADMIN, integration.id(), "ERP sync", "30d", null);
        IssuedToken fresh = store.tokens().regenerate(ADMIN, old.token().id(), Duration.ofHours(24));
        IssuedToken third = store.tokens().regenerate(ADMIN, fresh.token().id(), Duration.ZERO);
        List<String> details = store.audit().list(integration.id(), ALL).items().stream()
                .filter(e -> !e.action().equals("integration.created")).map(AuditEvent::detail).toList();
        assertEquals(List.of(
                "name=ERP sync, expiration=30d, hint=" + third.token().hint() + ", replaces " + fresh.token().hint(),
                "replaced by " + third.token().hint() + ", old token revoked now",
                "name=ERP sync, expiration=30d, hint=" + fresh.token().hint() + ", replaces " + old.token().hint(),
                "replaced by " + fresh.token().hint() + ", old token works 24 hours more",
                "name=ERP sync, expiration=30d, hint=" + old.token().hint()), details);
        assertEquals("7 days", TokenStore.inWords(Duration.ofDays(7)));
        assertEquals("1 hour", TokenStore.inWords(Duration.ofHours(1)));
        assertEquals("90 seconds", TokenStore.inWords(Duration.ofSeconds(90)));
    }

    @Test
    void theAuditLogListsNewestFirstAcrossIntegrationsInPages() {
        Integration a = newIntegration();
        Integration b = newIntegration();
        Page<AuditEvent> page = store.audit().list(null, new PageRequest(1, 2));
        assertEquals(rows.count("SELECT COUNT(*) FROM audit_event"), page.total());
        assertEquals(List.of(b.id(), a.id()), page.items().stream().map(AuditEvent::integrationId).toList());
        assertEquals(1, store.audit().list(a.id(), new PageRequest(1, 2)).total());
    }

    @Test
    void aRevocationIsOneChangeEventCarryingTheTokensHash() {
        Integration integration = newIntegration();
        IssuedToken issued = newToken(integration, "30d");
        long mark = store.shared().changes().latestId();
        store.tokens().revoke(ADMIN, issued.token().id());
        List<ChangeEvent> events = changesAfter(mark);
        assertEquals(1, events.size());
        ChangeEvent event = events.get(0);
        assertEquals(ChangeEvent.Kind.TOKEN_REVOKED, event.kind());
        assertEquals(integration.id(), event.integrationId());
        assertEquals(issued.token().id(), event.tokenId());
        assertEquals(TokenHash.of(issued.value()), event.tokenHash());
        assertFalse(event.concernsWholeIntegration());
        assertEquals(event.id(), store.shared().changes().latestId());
    }

    @Test
    void aMassRevokeIsOneChangeEventPerToken() {
        Integration integration = newIntegration();
        IssuedToken a = newToken(integration, "30d");
        IssuedToken b = newToken(integration, "30d");
        long mark = store.shared().changes().latestId();
        store.tokens().revokeMany(ADMIN, integration.id(), List.of(a.token().id(), b.token().id()));
        assertEquals(List.of("token.revoked " + a.token().id() + " " + TokenHash.of(a.value()).toHex(),
                        "token.revoked " + b.token().id() + " " + TokenHash.of(b.value()).toHex()),
                changesAfter(mark).stream().map(e -> e.kind().code() + " " + e.tokenId() + " " + e.tokenHash().toHex()).toList());
    }

    @Test
    void regeneratingIsARevocationOrWithAGraceAnExpiryChangeOfTheOldToken() {
        Integration integration = newIntegration();
        IssuedToken now = newToken(integration, "30d");
        IssuedToken later = newToken(integration, "30d");
        long mark = store.shared().changes().latestId();
        IssuedToken nowsSuccessor = store.tokens().regenerate(ADMIN, now.token().id(), Duration.ZERO);
        IssuedToken latersSuccessor = store.tokens().regenerate(ADMIN, later.token().id(), Duration.ofMinutes(1));
        List<ChangeEvent> all = changesAfter(mark);
        assertEquals(List.of(TokenHash.of(nowsSuccessor.value()), TokenHash.of(latersSuccessor.value())),
                all.stream().filter(e -> e.kind() == ChangeEvent.Kind.TOKEN_CREATED).map(ChangeEvent::tokenHash).toList(),
                "each new token is a token.created event");
        List<ChangeEvent> events = all.stream().filter(e -> e.kind() != ChangeEvent.Kind.TOKEN_CREATED).toList();
        assertEquals(List.of(ChangeEvent.Kind.TOKEN_REVOKED, ChangeEvent.Kind.TOKEN_EXPIRY_CHANGED),
                events.stream().map(ChangeEvent::kind).toList());
        assertEquals(List.of(now.token().id(), later.token().id()), events.stream().map(ChangeEvent::tokenId).toList());
        assertEquals(TokenHash.of(later.value()), events.get(1).tokenHash());
    }

    @Test
    void deactivatingActivatingAndRenamingAreChangesOfTheWholeIntegration() {
        Integration integration = newIntegration();
        long mark = store.shared().changes().latestId();
        store.integrations().setActive(ADMIN, integration.id(), false);
        store.integrations().setActive(ADMIN, integration.id(), true);
        store.integrations().update(ADMIN, integration.id(), new Input(unique("Renamed"), null, null, null));
        List<ChangeEvent> events = changesAfter(mark);
        assertEquals(List.of(ChangeEvent.Kind.INTEGRATION_DEACTIVATED, ChangeEvent.Kind.INTEGRATION_ACTIVATED,
                ChangeEvent.Kind.INTEGRATION_UPDATED), events.stream().map(ChangeEvent::kind).toList());
        for (ChangeEvent event : events) {
            assertEquals(integration.id(), event.integrationId());
            assertNull(event.tokenId());
            assertNull(event.tokenHash());
            assertTrue(event.concernsWholeIntegration());
        }
    }

    @Test
    void changesThatCannotAlterADecisionWriteNoChangeEvent() {
        long mark = store.shared().changes().latestId();
        Integration integration = newIntegration();
        store.integrations().update(ADMIN, integration.id(), new Input(null, "only the description", "new@example.com", null));
        assertEquals(List.of(), changesAfter(mark));
    }

    @Test
    void aNewTokenIsOneChangeEventCarryingItsHashSoEveryNodeListsIt() {
        Integration integration = newIntegration();
        long mark = store.shared().changes().latestId();
        IssuedToken issued = newToken(integration, "30d");
        List<ChangeEvent> events = changesAfter(mark);
        assertEquals(1, events.size());
        assertEquals(ChangeEvent.Kind.TOKEN_CREATED, events.get(0).kind());
        assertEquals(issued.token().id(), events.get(0).tokenId());
        assertEquals(TokenHash.of(issued.value()), events.get(0).tokenHash());
    }

    @Test
    void listenersHearEachChangeAfterItIsCommitted() {
        Integration integration = newIntegration();
        IssuedToken issued = newToken(integration, "30d");
        long mark = store.shared().changes().latestId();
        List<String> seenByListener = new CopyOnWriteArrayList<>();
        Consumer<ChangeEvent> listener = event -> {
            // read through another pooled connection: only committed rows are visible there
            if (event.tokenId() != null) {
                seenByListener.add("token revoked at " + store.tokens().get(event.tokenId()).revokedAt());
            } else {
                seenByListener.add("integration active " + store.integrations().get(event.integrationId()).active());
            }
        };
        List<ChangeEvent> heard;
        store.shared().addChangeListener(listener);
        try {
            heard = heard(store, () -> {
                store.tokens().revoke(ADMIN, issued.token().id());
                store.integrations().setActive(ADMIN, integration.id(), false);
            });
        } finally {
            store.shared().removeChangeListener(listener);
        }
        assertEquals(List.of("token revoked at " + START, "integration active false"), seenByListener);
        assertEquals(changesAfter(mark), heard);
    }

    @Test
    void listenersHearNothingWhenTheActionFails() {
        Integration integration = newIntegration();
        IssuedToken issued = newToken(integration, "30d");
        store.tokens().revoke(ADMIN, issued.token().id());
        IssuedToken other = newToken(integration, "30d");
        List<ChangeEvent> heard = heard(store, () -> {
            assertThrows(ConflictException.class, () -> store.tokens().revoke(ADMIN, issued.token().id()));
            assertThrows(ConflictException.class, () -> store.tokens().regenerate(ADMIN, issued.token().id(), Duration.ZERO));
            assertThrows(NotFoundException.class, () -> store.integrations().setActive(ADMIN, 987654321L, false));
            assertThrows(ValidationException.class, () -> store.tokens().revoke(" ", other.token().id()));
        });
        assertEquals(List.of(), heard);
    }

    @Test
    void listenersHearNothingWhenTheCommitFails() {
        Integration integration = newIntegration();
        IssuedToken issued = newToken(integration, "30d");
        Map<String, Long> before = rows.counts();
        faulty.failCommits(1, "HY000");
        List<ChangeEvent> heard = heard(faultyStore, () -> {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> faultyStore.tokens().revoke(ADMIN, issued.token().id()));
            assertTrue(e.getMessage().startsWith("Globalgate store error (SQLState HY000): injected commit failure"), e.getMessage());
        });
        assertEquals(List.of(), heard);
        assertEquals(before, rows.counts());
        assertNull(store.tokens().get(issued.token().id()).revokedAt());
    }

    @Test
    void anActionRetriedAfterADeadlockIsHeardOnceWithTheCommittedEvent() {
        Integration integration = newIntegration();
        IssuedToken single = newToken(integration, "30d");
        IssuedToken massA = newToken(integration, "30d");
        IssuedToken massB = newToken(integration, "30d");
        IssuedToken regenerated = newToken(integration, "30d");
        long mark = store.shared().changes().latestId();
        List<ChangeEvent> heard = heard(faultyStore, () -> {
            faulty.failCommits(1, "40001");
            faultyStore.tokens().revoke(ADMIN, single.token().id());
            faulty.failCommits(1, "40001");
            assertEquals(2, faultyStore.tokens().revokeMany(ADMIN, integration.id(), List.of(massA.token().id(), massB.token().id())));
            faulty.failCommits(1, "40001");
            faultyStore.tokens().regenerate(ADMIN, regenerated.token().id(), Duration.ZERO);
            faulty.failCommits(1, "40001");
            faultyStore.integrations().setActive(ADMIN, integration.id(), false);
        });
        assertEquals(changesAfter(mark), heard);
        assertEquals(6, heard.size(), "three revocations, the regenerated token's, its successor's creation, the deactivation");
    }

    @Test
    void aFailingListenerFailsNeitherTheActionNorOtherListeners() {
        IssuedToken issued = newToken(newIntegration(), "30d");
        Consumer<ChangeEvent> broken = event -> {
            throw new IllegalStateException("listener bug");
        };
        store.shared().addChangeListener(broken);
        List<ChangeEvent> heard;
        try {
            heard = heard(store, () -> assertEquals("admin", store.tokens().revoke(ADMIN, issued.token().id()).revokedBy()));
        } finally {
            store.shared().removeChangeListener(broken);
        }
        assertEquals(1, heard.size());
    }

    @Test
    void aRemovedListenerHearsNothing() {
        IssuedToken issued = newToken(newIntegration(), "30d");
        List<ChangeEvent> heard = heard(store, () -> {
        });
        store.tokens().revoke(ADMIN, issued.token().id());
        assertEquals(List.of(), heard);
    }

    // ---- hostile input

    @Test
    void markupAndSqlAreStoredAsText() {
        Map<String, Long> before = rows.counts();
        String name = "x'); DROP TABLE integration; --";
        String description = "<script>alert(1)</script>\n' OR '1'='1\n\"; DELETE FROM access_token; --";
        Integration integration = store.integrations().create("' OR '1'='1", Input.of(name, description, "o'reilly@example.com"));
        IssuedToken issued = store.tokens().create("<b>admin</b>", integration.id(), "' OR '1'='1", "30d", null);
        store.tokens().revoke("Robert'); DROP TABLE audit_event;--", issued.token().id());

        Integration read = store.integrations().get(integration.id());
        assertEquals(name, read.name());
        assertEquals(description, read.description());
        assertEquals("o'reilly@example.com", read.notificationEmail());
        assertEquals("' OR '1'='1", read.createdBy());
        AccessToken token = store.tokens().get(issued.token().id());
        assertEquals("' OR '1'='1", token.name());
        assertEquals("<b>admin</b>", token.createdBy());
        assertEquals("Robert'); DROP TABLE audit_event;--", token.revokedBy());
        assertEquals(List.of(read), store.integrations().list(name, ALL).items());
        assertEquals(List.of(), store.integrations().list("' OR '1'='1", ALL).items());

        Map<String, Long> after = rows.counts();
        assertEquals(before.get("integration") + 1, after.get("integration"));
        assertEquals(before.get("access_token") + 1, after.get("access_token"));
        assertEquals(before.get("audit_event") + 3, after.get("audit_event"));
    }

    @Test
    void unicodeAndEmojiRoundTripExactly() {
        String name = "Zo\u00EB \u6771\u4EAC \u05E9\u05DC\u05D5\u05DD e\u0301 \uD835\uDD18\uD835\uDD2B " + ROCKET
                + " \uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67 \uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08 " + unique("");
        String description = "Gr\u00FC\u00DFe \u2014 \u041F\u0440\u0438\u0432\u0435\u0442\n\t" + ROCKET.repeat(10);
        Integration integration = store.integrations().create("J\u00FCrgen \u5C71\u7530", Input.of(name, description, "a@b.co"));
        IssuedToken issued = store.tokens().create(ADMIN, integration.id(), "\u00E9\u00E8 " + ROCKET, "30d", null);
        Integration read = store.integrations().get(integration.id());
        assertEquals(name, read.name());
        assertEquals(description, read.description());
        assertEquals("J\u00FCrgen \u5C71\u7530", read.createdBy());
        assertEquals("\u00E9\u00E8 " + ROCKET, store.tokens().get(issued.token().id()).name());
        assertEquals(List.of(read), store.integrations().list(name.toUpperCase(Locale.ROOT), ALL).items());
    }

    @Test
    void theLongestAcceptedValuesFitTheSchema() {
        String name = ROCKET.repeat(99) + (char) ('A' + sequence.incrementAndGet() % 26);
        String description = ROCKET.repeat(1000);
        String email = "a".repeat(64) + "@" + "h".repeat(63) + "." + "i".repeat(63) + "." + "j".repeat(57) + ".com";
        String actor = ROCKET.repeat(127);
        Integration integration = store.integrations().create(actor, Input.of(name, description, email));
        IssuedToken issued = store.tokens().create(actor, integration.id(), "\u0130".repeat(100), "30d", null);
        Integration read = store.integrations().get(integration.id());
        assertEquals(name, read.name());
        assertEquals(description, read.description());
        assertEquals(email, read.notificationEmail());
        assertEquals(actor, read.createdBy());
        assertEquals("\u0130".repeat(100), store.tokens().get(issued.token().id()).name());
        AccessToken revoked = store.tokens().revoke(actor, issued.token().id());
        assertEquals(actor, revoked.revokedBy());
        // a name whose lower case is longer than itself (U+0130 becomes two chars) still fits its key
        Integration dotted = newIntegration("\u0130".repeat(99) + (char) ('a' + sequence.incrementAndGet() % 26));
        assertEquals(dotted, store.integrations().list(dotted.name(), ALL).items().get(0));
    }

    @Test
    void overlongInputIsRefusedFieldByFieldBeforeAnythingIsStored() {
        Map<String, Long> before = rows.counts();
        ValidationException e = assertThrows(ValidationException.class, () -> store.integrations().create(ADMIN,
                Input.of("n".repeat(101), "d".repeat(1001), "a".repeat(245) + "@example.com")));
        assertEquals(List.of(
                new FieldError("name", "must be at most 100 characters (was 101)"),
                new FieldError("description", "must be at most 1000 characters (was 1001)"),
                new FieldError("notificationEmail", "must be at most 254 characters (was 257)")), e.errors());
        Integration integration = newIntegration();
        Map<String, Long> withIntegration = rows.counts();
        assertEquals(new FieldError("name", "must be at most 100 characters (was 101)"),
                refused(() -> store.tokens().create(ADMIN, integration.id(), "n".repeat(101), "30d", null)));
        assertEquals(new FieldError("name", "must be at most 100 characters (was 101)"),
                refused(() -> store.integrations().update(ADMIN, integration.id(), new Input("n".repeat(101), null, null, null))));
        assertEquals(new FieldError("actor", "must be at most 127 characters (was 128)"),
                refused(() -> store.tokens().create("a".repeat(128), integration.id(), "x", "30d", null)));
        assertEquals(new FieldError("q", "must be at most 100 characters (was 101)"),
                refused(() -> store.integrations().list("q".repeat(101), ALL)));
        assertEquals(withIntegration, rows.counts());
        assertEquals(before.get("integration") + 1, withIntegration.get("integration"));
        assertEquals(integration, store.integrations().get(integration.id()));
    }

    @Test
    void emptyOrWhitespaceOnlyInputIsRefusedBeforeAnythingIsStored() {
        Integration integration = newIntegration();
        Map<String, Long> before = rows.counts();
        for (String blank : List.of("", "   ", "\t\n", "\u3000")) {
            assertEquals(new FieldError("name", "is required"),
                    refused(() -> store.integrations().create(ADMIN, Input.of(blank, "d", "a@b.co"))));
            assertEquals(new FieldError("notificationEmail", "is required"),
                    refused(() -> store.integrations().create(ADMIN, Input.of(unique("ok"), "d", blank))));
            assertEquals(new FieldError("name", "is required"),
                    refused(() -> store.integrations().update(ADMIN, integration.id(), new Input(blank, null, null, null))));
            assertEquals(new FieldError("name", "is required"),
                    refused(() -> store.tokens().create(ADMIN, integration.id(), blank, "30d", null)));
            assertEquals(new FieldError("actor", "is required"),
                    refused(() -> store.integrations().create(blank, Input.of(unique("ok"), "d", "a@b.co"))));
        }
        assertEquals(new FieldError("name", "is required"),
                refused(() -> store.integrations().create(ADMIN, Input.of(null, "d", "a@b.co"))));
        assertEquals(before, rows.counts());
        assertEquals(integration, store.integrations().get(integration.id()));
    }

    @Test
    void aBlankActorIsRefusedOnEveryActionBeforeAnythingChanges() {
        IssuedToken issued = newToken(newIntegration(), "30d");
        Integration integration = store.integrations().get(issued.token().integrationId());
        Map<String, Long> before = rows.counts();
        FieldError actorRequired = new FieldError("actor", "is required");
        long id = integration.id();
        long tokenId = issued.token().id();
        assertEquals(actorRequired, refused(() -> store.integrations().update(" ", id, new Input(unique("x"), null, null, null))));
        assertEquals(actorRequired, refused(() -> store.integrations().setActive(null, id, false)));
        assertEquals(actorRequired, refused(() -> store.tokens().create("", id, "x", "30d", null)));
        assertEquals(actorRequired, refused(() -> store.tokens().revoke("\t", tokenId)));
        assertEquals(actorRequired, refused(() -> store.tokens().revokeMany(" ", id, List.of(tokenId))));
        assertEquals(actorRequired, refused(() -> store.tokens().regenerate(" ", tokenId, Duration.ZERO)));
        assertEquals(before, rows.counts());
        assertEquals(integration, store.integrations().get(id));
        assertEquals(issued.token(), store.tokens().get(tokenId));
    }

    @Test
    void controlCharactersAreRefusedBeforeAnythingIsStored() {
        Integration integration = newIntegration();
        Map<String, Long> before = rows.counts();
        for (String bad : List.of("\u0000", "\u0007", "\n", "\u202E", "\u001B[31m")) {
            String name = "Ev" + bad + "il";
            FieldError error = refused(() -> store.integrations().create(ADMIN, Input.of(name, "", "a@b.co")));
            assertEquals("name", error.key());
            assertTrue(error.message().startsWith("must not contain control characters (found U+"), error.message());
            assertEquals("name", refused(() -> store.tokens().create(ADMIN, integration.id(), name, "30d", null)).key());
            assertEquals("name", refused(() -> store.integrations().update(ADMIN, integration.id(), new Input(name, null, null, null))).key());
            assertEquals("actor", refused(() -> store.tokens().create(name, integration.id(), "x", "30d", null)).key());
            assertEquals("q", refused(() -> store.integrations().list(name, ALL)).key());
        }
        assertEquals("description", refused(() -> store.integrations().create(ADMIN, Input.of(unique("x"), "a\u0000b", "a@b.co"))).key());
        assertEquals(new FieldError("notificationEmail", "must be an e-mail address such as team@example.com"),
                refused(() -> store.integrations().create(ADMIN, Input.of(unique("x"), "", "a@b.co\r\nBcc: x@y.z"))));
        assertEquals(before, rows.counts());
    }

    @Test
    void badExpirationsAreRefusedBeforeAnythingIsStored() {
        Integration integration = newIntegration();
        Map<String, Long> before = rows.counts();
        long id = integration.id();
        assertEquals("expiration", refused(() -> store.tokens().create(ADMIN, id, "x", "30d'; DROP TABLE access_token; --", null)).key());
        assertEquals("expiration", refused(() -> store.tokens().create(ADMIN, id, "x", null, null)).key());
        assertEquals(new FieldError("expiresAt", "must be in the future"),
                refused(() -> store.tokens().create(ADMIN, id, "x", null, START.toString())));
        assertEquals("expiresAt", refused(() -> store.tokens().create(ADMIN, id, "x", null, "next tuesday")).key());
        assertEquals("expiresAt", refused(() -> store.tokens().create(ADMIN, id, "x", null, "+10000-01-01T00:00:00Z")).key());
        assertEquals(before, rows.counts());
    }

    @Test
    void badRevokeListsAreRefusedBeforeAnythingChanges() {
        Integration integration = newIntegration();
        long tokenId = newToken(integration, "30d").token().id();
        Map<String, Long> before = rows.counts();
        List<Long> tooMany = new ArrayList<>();
        for (long i = 1; i <= 1001; i++) {
            tooMany.add(i == 1 ? tokenId : 1_000_000_000L + i);
        }
        assertEquals(new FieldError("ids", "must list at least one token id"),
                refused(() -> store.tokens().revokeMany(ADMIN, integration.id(), List.of())));
        assertEquals(new FieldError("ids", "must list at most 1000 token ids (was 1001)"),
                refused(() -> store.tokens().revokeMany(ADMIN, integration.id(), tooMany)));
        assertEquals(new FieldError("ids", "must contain only positive token ids"),
                refused(() -> store.tokens().revokeMany(ADMIN, integration.id(), List.of(tokenId, -tokenId))));
        assertEquals(before, rows.counts());
        assertNull(store.tokens().get(tokenId).revokedAt());
    }

    @Test
    void aThousandIdsMostlyUnknownOrForeignRevokeOnlyTheIntegrationsOwn() {
        Integration mine = newIntegration();
        Integration theirs = newIntegration();
        long own = newToken(mine, "30d").token().id();
        long foreign = newToken(theirs, "30d").token().id();
        List<Long> ids = new ArrayList<>(List.of(own, foreign));
        for (long i = 0; ids.size() < 1000; i++) {
            ids.add(Long.MAX_VALUE - i);
        }
        assertEquals(1, store.tokens().revokeMany(ADMIN, mine.id(), ids));
        assertNull(store.tokens().get(foreign).revokedAt());
        assertEquals(List.of(ADMIN + " integration.created " + theirs.id() + "/null",
                ADMIN + " token.created " + theirs.id() + "/" + foreign), auditOf(theirs.id()));
    }

    // ---- concurrency

    @Test
    void eightConcurrentRegenerationsOfOneTokenLetExactlyOneWin() throws Exception {
        regenerateAtOnce(Duration.ZERO);
    }

    @Test
    void eightConcurrentRegenerationsWithAGraceLetExactlyOneWin() throws Exception {
        regenerateAtOnce(Duration.ofMinutes(5));
    }

    private void regenerateAtOnce(Duration grace) throws Exception {
        Integration integration = newIntegration();
        IssuedToken old = newToken(integration, "30d");
        long mark = store.shared().changes().latestId();
        List<Callable<?>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String actor = "racer-" + i;
            tasks.add(() -> store.tokens().regenerate(actor, old.token().id(), grace));
        }
        List<Object> outcomes = race(tasks);
        List<IssuedToken> winners = outcomes.stream().filter(IssuedToken.class::isInstance).map(IssuedToken.class::cast).toList();
        assertEquals(1, winners.size(), outcomes.toString());
        for (Object outcome : outcomes) {
            if (!(outcome instanceof IssuedToken)) {
                assertInstanceOf(ConflictException.class, outcome, String.valueOf(outcome));
            }
        }
        IssuedToken winner = winners.get(0);
        Page<AccessToken> tokens = store.tokens().list(integration.id(), null, ALL);
        assertEquals(2, tokens.total());
        assertEquals(List.of(winner.token().id(), old.token().id()), ids(tokens));
        assertEquals(winner.token().id(), store.tokens().get(old.token().id()).replacedBy());
        assertEquals(1, rows.count("SELECT COUNT(*) FROM access_token WHERE replaced_by = ?", winner.token().id()));
        List<ChangeEvent> events = changesAfter(mark);
        assertEquals(2, events.size(), "the winner's creation and the old token's end only: " + events);
        assertEquals(java.util.Set.of(winner.token().id(), old.token().id()),
                events.stream().map(ChangeEvent::tokenId).collect(java.util.stream.Collectors.toSet()));
        assertEquals(1, store.audit().list(integration.id(), ALL).items().stream()
                .filter(e -> e.action().equals("token.regenerated")).count());
    }

    @Test
    void parallelMassAndSingleRevocationsRevokeEachTokenExactlyOnce() throws Exception {
        Integration integration = newIntegration();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(newToken(integration, "30d").token().id());
        }
        long mark = store.shared().changes().latestId();
        Map<Long, AtomicInteger> heardPerToken = new ConcurrentHashMap<>();
        List<Callable<?>> tasks = new ArrayList<>();
        tasks.add(() -> store.tokens().revokeMany("mass-1", integration.id(), ids.subList(0, 20)));
        tasks.add(() -> store.tokens().revokeMany("mass-2", integration.id(), ids.subList(10, 30)));
        List<Long> reversed = new ArrayList<>(ids);
        Collections.reverse(reversed);
        tasks.add(() -> store.tokens().revokeMany("mass-3", integration.id(), reversed));
        for (int t = 0; t < 4; t++) {
            List<Long> order = new ArrayList<>(ids);
            Collections.shuffle(order, new Random(t));
            String actor = "single-" + t;
            tasks.add(() -> {
                int revoked = 0;
                for (long id : order) {
                    try {
                        store.tokens().revoke(actor, id);
                        revoked++;
                    } catch (ConflictException e) {
                        // another thread was first: expected
                    }
                }
                return revoked;
            });
        }
        Consumer<ChangeEvent> listener = e -> heardPerToken.computeIfAbsent(e.tokenId(), k -> new AtomicInteger()).incrementAndGet();
        store.shared().addChangeListener(listener);
        List<Object> outcomes;
        try {
            outcomes = race(tasks);
        } finally {
            store.shared().removeChangeListener(listener);
        }
        int total = 0;
        for (Object outcome : outcomes) {
            assertInstanceOf(Integer.class, outcome, String.valueOf(outcome));
            total += (Integer) outcome;
        }
        assertEquals(30, total, outcomes.toString());
        Map<Long, Long> changesPerToken = new LinkedHashMap<>();
        for (ChangeEvent e : changesAfter(mark)) {
            assertEquals(ChangeEvent.Kind.TOKEN_REVOKED, e.kind());
            changesPerToken.merge(e.tokenId(), 1L, Long::sum);
        }
        Map<Long, Long> revocationsAudited = new LinkedHashMap<>();
        for (AuditEvent e : store.audit().list(integration.id(), ALL).items()) {
            if (e.action().equals("token.revoked")) {
                revocationsAudited.merge(e.tokenId(), 1L, Long::sum);
            }
        }
        for (long id : ids) {
            assertEquals(1L, changesPerToken.get(id), "change events of token " + id);
            assertEquals(1L, revocationsAudited.get(id), "audit events of token " + id);
            assertEquals(1, heardPerToken.get(id).get(), "events heard for token " + id);
            assertTrue(store.tokens().get(id).revokedBy() != null);
        }
        assertEquals(30, changesPerToken.size());
    }

    @Test
    void concurrentCreatesOfOneNameLetExactlyOneWin() throws Exception {
        String name = unique("Race");
        List<Callable<?>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String spelling = i % 3 == 0 ? name : i % 3 == 1 ? name.toUpperCase(Locale.ROOT) : name.toLowerCase(Locale.ROOT);
            String actor = "creator-" + i;
            tasks.add(() -> store.integrations().create(actor, Input.of(spelling, "", "a@b.co")));
        }
        List<Object> outcomes = race(tasks);
        List<Integration> winners = outcomes.stream().filter(Integration.class::isInstance).map(Integration.class::cast).toList();
        assertEquals(1, winners.size(), outcomes.toString());
        for (Object outcome : outcomes) {
            if (!(outcome instanceof Integration)) {
                ValidationException e = assertInstanceOf(ValidationException.class, outcome, String.valueOf(outcome));
                assertEquals("name", e.errors().get(0).key());
            }
        }
        assertEquals(1, rows.count("SELECT COUNT(*) FROM integration WHERE name_key = ?", name.toLowerCase(Locale.ROOT)));
        assertEquals(1, store.audit().list(winners.get(0).id(), ALL).total());
    }

    static List<Long> ids(Page<AccessToken> page) {
        return page.items().stream().map(AccessToken::id).toList();
    }
}
