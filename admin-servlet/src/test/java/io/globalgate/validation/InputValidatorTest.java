package io.globalgate.validation;

import io.globalgate.admin.store.PageRequest;
import io.globalgate.token.ExpirationPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputValidatorTest {

    private static final Instant NOW = Instant.parse("2030-01-15T10:00:00.123Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String ROCKET = "\uD83D\uDE80"; // one code point, two UTF-16 units

    private final InputValidator unlimited = new InputValidator(CLOCK, null);
    private final InputValidator ninetyDays = new InputValidator(CLOCK, Duration.ofDays(90));

    // ---- helpers: run one field check and return what it recorded

    private static FieldError onlyError(Function<InputValidator.Errors, ?> check) {
        InputValidator.Errors errors = new InputValidator.Errors();
        Object value = check.apply(errors);
        assertNull(value, "a refused value is returned as null");
        ValidationException e = assertThrows(ValidationException.class, errors::throwIfAny);
        assertEquals(1, e.errors().size(), e.getMessage());
        return e.errors().get(0);
    }

    private static <T> T accepted(Function<InputValidator.Errors, T> check) {
        InputValidator.Errors errors = new InputValidator.Errors();
        T value = check.apply(errors);
        assertTrue(errors.isEmpty(), () -> assertThrows(ValidationException.class, errors::throwIfAny).getMessage());
        return value;
    }

    private static FieldError thrown(Executable call) {
        ValidationException e = assertThrows(ValidationException.class, call);
        assertEquals(1, e.errors().size(), e.getMessage());
        return e.errors().get(0);
    }

    private static void assertError(String key, String message, FieldError error) {
        assertEquals(new FieldError(key, message), error);
    }

    // ---- expiration

    @ParameterizedTest
    @ValueSource(strings = {"never", "7d", "30d", "60d", "90d", "365d"})
    void eachFixedExpirationCodeIsAccepted(String code) {
        assertEquals(ExpirationPolicy.fixed(code), accepted(e -> unlimited.expiration(code, null, e)));
    }

    @Test
    void anExpirationCodeIsTrimmed() {
        assertEquals(ExpirationPolicy.DAYS_30, accepted(e -> unlimited.expiration(" 30d\t", null, e)));
    }

    @Test
    void aCustomInstantInTheFutureIsAccepted() {
        assertEquals(ExpirationPolicy.custom(Instant.parse("2030-06-01T12:00:00Z")),
                accepted(e -> unlimited.expiration(null, "2030-06-01T12:00:00Z", e)));
        assertEquals(ExpirationPolicy.custom(NOW.plusMillis(1)),
                accepted(e -> unlimited.expiration("custom", NOW.plusMillis(1).toString(), e)));
    }

    @Test
    void aCustomInstantWithAnOffsetIsConvertedToUtc() {
        assertEquals(ExpirationPolicy.custom(Instant.parse("2030-06-01T10:00:00Z")),
                accepted(e -> unlimited.expiration(null, "2030-06-01T12:00:00+02:00", e)));
    }

    @Test
    void aCustomInstantInThePastIsRefusedNamingExpiresAt() {
        FieldError error = onlyError(e -> unlimited.expiration(null, "2020-01-01T00:00:00Z", e));
        assertError("expiresAt", "must be in the future", error);
    }

    @Test
    void aCustomInstantOfExactlyNowIsRefused() {
        assertError("expiresAt", "must be in the future", onlyError(e -> unlimited.expiration(null, NOW.toString(), e)));
    }

    @Test
    void theExceptionMessageNamesTheField() {
        InputValidator.Errors errors = new InputValidator.Errors();
        unlimited.expiration(null, "2020-01-01T00:00:00Z", errors);
        ValidationException e = assertThrows(ValidationException.class, errors::throwIfAny);
        assertEquals("expiresAt: must be in the future", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tomorrow", "2030-13-01T00:00:00Z", "2030-06-01", "2030-06-01T12:00:00", "1893456000",
            "2030-06-01T12:00:00Z'); DROP TABLE access_token; --"})
    void aMalformedInstantIsRefusedNamingExpiresAt(String raw) {
        assertError("expiresAt", "must be an ISO-8601 instant such as 2027-01-31T00:00:00Z",
                onlyError(e -> unlimited.expiration(null, raw, e)));
    }

    @Test
    void anOverlongInstantIsRefusedWithoutParsingIt() {
        assertError("expiresAt", "must be an ISO-8601 instant such as 2027-01-31T00:00:00Z",
                onlyError(e -> unlimited.expiration(null, "2".repeat(100_000), e)));
    }

    @Test
    void anInstantBeyondWhatTheDatabaseCanStoreIsRefused() {
        // The schema keeps DATETIME(3), which ends with the year 9999; Instant.parse reads more.
        assertError("expiresAt", "must be before 10000-01-01T00:00:00Z",
                onlyError(e -> unlimited.expiration(null, "+10000-01-01T00:00:00Z", e)));
        assertError("expiresAt", "must be before 10000-01-01T00:00:00Z",
                onlyError(e -> unlimited.expiration(null, "+1000000000-12-31T23:59:59Z", e)));
        assertEquals(ExpirationPolicy.custom(Instant.parse("9999-12-31T23:59:59Z")),
                accepted(e -> unlimited.expiration(null, "9999-12-31T23:59:59Z", e)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8d", "30D", "forever", "-1d", "1y", "30", "never never", "30d'; DROP TABLE access_token; --"})
    void anUnknownCodeIsRefusedNamingExpiration(String code) {
        assertError("expiration", "must be one of never, 7d, 30d, 60d, 90d, 365d",
                onlyError(e -> unlimited.expiration(code, null, e)));
    }

    @Test
    void customWithoutAnInstantSaysTheInstantIsMissing() {
        assertError("expiration", "must be one of never, 7d, 30d, 60d, 90d, 365d (custom needs expiresAt)",
                onlyError(e -> unlimited.expiration("custom", null, e)));
    }

    @Test
    void neitherCodeNorInstantIsRefused() {
        String message = "is required: one of never, 7d, 30d, 60d, 90d, 365d, or expiresAt";
        assertError("expiration", message, onlyError(e -> unlimited.expiration(null, null, e)));
        assertError("expiration", message, onlyError(e -> unlimited.expiration("  ", "", e)));
    }

    @Test
    void aCodeAndAnInstantTogetherAreRefused() {
        assertError("expiration", "give either expiration or expiresAt, not both",
                onlyError(e -> unlimited.expiration("30d", "2030-06-01T12:00:00Z", e)));
    }

    @Test
    void aMaximumLifetimeRefusesNeverStatingTheMaximum() {
        assertError("expiration", "exceeds the maximum token lifetime of 90 days set for this deployment",
                onlyError(e -> ninetyDays.expiration("never", null, e)));
    }

    @Test
    void aMaximumLifetimeRefusesALongerFixedPeriod() {
        assertError("expiration", "exceeds the maximum token lifetime of 90 days set for this deployment",
                onlyError(e -> ninetyDays.expiration("365d", null, e)));
    }

    @Test
    void aMaximumLifetimeRefusesACustomInstantBeyondIt() {
        String beyond = NOW.plus(Duration.ofDays(90)).plusMillis(1).toString();
        assertError("expiresAt", "exceeds the maximum token lifetime of 90 days set for this deployment",
                onlyError(e -> ninetyDays.expiration(null, beyond, e)));
    }

    @Test
    void aMaximumLifetimeAcceptsEverythingUpToIt() {
        assertEquals(ExpirationPolicy.DAYS_90, accepted(e -> ninetyDays.expiration("90d", null, e)));
        assertEquals(ExpirationPolicy.DAYS_7, accepted(e -> ninetyDays.expiration("7d", null, e)));
        String edge = NOW.plus(Duration.ofDays(90)).toString();
        assertEquals(ExpirationPolicy.custom(Instant.parse(edge)), accepted(e -> ninetyDays.expiration(null, edge, e)));
        assertEquals(Duration.ofDays(90), ninetyDays.maxLifetime());
        assertNull(unlimited.maxLifetime());
    }

    @Test
    void theMaximumIsStatedInTheLargestWholeUnit() {
        InputValidator oneDay = new InputValidator(CLOCK, Duration.ofDays(1));
        InputValidator hours = new InputValidator(CLOCK, Duration.ofHours(36));
        InputValidator seconds = new InputValidator(CLOCK, Duration.ofSeconds(90));
        assertEquals("exceeds the maximum token lifetime of 1 day set for this deployment",
                onlyError(e -> oneDay.expiration("7d", null, e)).message());
        assertEquals("exceeds the maximum token lifetime of 36 hours set for this deployment",
                onlyError(e -> hours.expiration("7d", null, e)).message());
        assertEquals("exceeds the maximum token lifetime of 90 seconds set for this deployment",
                onlyError(e -> seconds.expiration("7d", null, e)).message());
    }

    @Test
    void aMaximumLifetimeMustBePositive() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new InputValidator(CLOCK, Duration.ZERO));
        assertEquals("maxTokenLifetime must be positive, was PT0S", zero.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> new InputValidator(CLOCK, Duration.ofDays(-1)));
        assertEquals("maxTokenLifetime must be positive, was PT-24H", negative.getMessage());
    }

    // ---- names

    @Test
    void aNameOfOneToOneHundredCharactersIsAccepted() {
        assertEquals("A", accepted(e -> unlimited.name("name", "A", e)));
        String hundred = "a".repeat(100);
        assertEquals(hundred, accepted(e -> unlimited.name("name", hundred, e)));
    }

    @Test
    void aNamesLengthIsCountedInCodePointsSoOneHundredEmojiAreAccepted() {
        String hundred = ROCKET.repeat(100);
        assertEquals(hundred, accepted(e -> unlimited.name("name", hundred, e)));
    }

    @Test
    void aNameOfOneHundredAndOneCharactersIsRefused() {
        assertError("name", "must be at most 100 characters (was 101)",
                onlyError(e -> unlimited.name("name", "a".repeat(101), e)));
        assertError("name", "must be at most 100 characters (was 101)",
                onlyError(e -> unlimited.name("name", ROCKET.repeat(101), e)));
    }

    @Test
    void surroundingWhitespaceOfANameIsTrimmedBeforeCounting() {
        assertEquals("Acme", accepted(e -> unlimited.name("name", "  Acme \t", e)));
        String hundred = "b".repeat(100);
        assertEquals(hundred, accepted(e -> unlimited.name("name", "   " + hundred + "   ", e)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "   ", "\t", " \n \r\n ", "\u3000", "\u2003\u2003", "\u00A0", " \u00A0 ", "\u202F"})
    void anEmptyOrWhitespaceOnlyNameIsRefused(String raw) {
        assertError("name", "is required", onlyError(e -> unlimited.name("name", raw, e)));
    }

    @Test
    void noNameIsRefused() {
        assertError("name", "is required", onlyError(e -> unlimited.name("name", null, e)));
    }

    @Test
    void theKeyIsTheOneTheCallerGave() {
        assertEquals("tokenName", onlyError(e -> unlimited.name("tokenName", "", e)).key());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ac\u0000me", "Ac\u0007me", "Ac\nme", "Ac\rme", "Ac\tme", "Ac\u001Bme", "Ac\u007Fme", "Ac\u0085me",
            "Ac\u202Eme", "Ac\u202Ame", "Ac\u2066me", "Ac\u200Fme", "Ac\u2028me", "Ac\u2029me"})
    void controlCharactersInANameAreRefusedWithTheirCodeAndPosition(String raw) {
        String code = String.format("%04X", (int) raw.charAt(2));
        assertError("name", "must not contain control characters (found U+" + code + " at position 3)",
                onlyError(e -> unlimited.name("name", raw, e)));
    }

    @Test
    void thePositionOfAControlCharacterCountsCharactersNotUtf16Units() {
        assertError("name", "must not contain control characters (found U+202E at position 3)",
                onlyError(e -> unlimited.name("name", ROCKET + ROCKET + "\u202E" + "evil", e)));
    }

    @Test
    void anUnpairedSurrogateIsRefused() {
        assertError("name", "contains an invalid character (unpaired surrogate)",
                onlyError(e -> unlimited.name("name", "Ac\uD83Dme", e)));
        assertError("name", "contains an invalid character (unpaired surrogate)",
                onlyError(e -> unlimited.name("name", "Acme\uDE80", e)));
    }

    @Test
    void markupSqlAndUnicodeInANameAreKeptVerbatim() {
        for (String raw : List.of("<script>alert(1)</script>", "x'); DROP TABLE integration; --", "' OR '1'='1",
                "Zo\u00EB \u6771\u4EAC " + ROCKET + " \uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67", "e\u0301", "\\%_")) {
            assertEquals(raw, accepted(e -> unlimited.name("name", raw, e)));
        }
    }

    // ---- descriptions

    @Test
    void noDescriptionIsAnEmptyOne() {
        assertEquals("", accepted(e -> unlimited.description("description", null, e)));
        assertEquals("", accepted(e -> unlimited.description("description", "  \n ", e)));
    }

    @Test
    void aDescriptionOfUpToOneThousandCharactersWithLineBreaksAndTabsIsAccepted() {
        String text = "line 1\r\nline 2\n\tindented";
        assertEquals(text, accepted(e -> unlimited.description("description", text, e)));
        String thousand = "d".repeat(999) + ROCKET;
        assertEquals(thousand, accepted(e -> unlimited.description("description", thousand, e)));
    }

    @Test
    void aDescriptionOfOneThousandAndOneCharactersIsRefused() {
        assertError("description", "must be at most 1000 characters (was 1001)",
                onlyError(e -> unlimited.description("description", "d".repeat(1001), e)));
    }

    @Test
    void otherControlCharactersInADescriptionAreRefused() {
        assertError("description", "must not contain control characters (found U+0000 at position 5)",
                onlyError(e -> unlimited.description("description", "line\u0000", e)));
        assertError("description", "must not contain control characters (found U+202E at position 1)",
                onlyError(e -> unlimited.description("description", "\u202Etxt.exe", e)));
    }

    // ---- emails

    @ParameterizedTest
    @ValueSource(strings = {"team@example.com", "a@b.co", "first.last+tag@sub.example.co.uk", "o'brien@example.ie",
            "ops-team_2@my-host.example"})
    void ordinaryAddressesAreAccepted(String raw) {
        assertEquals(raw, accepted(e -> unlimited.email("notificationEmail", raw, e)));
    }

    @Test
    void anAddressIsTrimmed() {
        assertEquals("team@example.com", accepted(e -> unlimited.email("notificationEmail", "  team@example.com ", e)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b.co\r\nBcc: x@y.z", "a@b.co\nBcc: x@y.z", "a@b.co\rx", "a@b.co\u0000", "missing-at.example.com",
            "a b@example.com", "a@exa mple.com", "a@", "@example.com", "a@localhost", "a..b@example.com", "a@-example.com",
            "a@example-.com", "<script>@example.com", "a@b@example.com", "\u00E9@example.com", "a@example.com, b@example.com"})
    void malformedOrInjectedAddressesAreRefused(String raw) {
        assertError("notificationEmail", "must be an e-mail address such as team@example.com",
                onlyError(e -> unlimited.email("notificationEmail", raw, e)));
    }

    @Test
    void anEmailIsAtMostTwoHundredFiftyFourCharacters() {
        String local = "a".repeat(64);
        String host = "h".repeat(63) + "." + "i".repeat(63) + "." + "j".repeat(57) + ".com";
        String longest = local + "@" + host;
        assertEquals(254, longest.length());
        assertEquals(longest, accepted(e -> unlimited.email("notificationEmail", longest, e)));
        String tooLong = "a" + longest;
        assertError("notificationEmail", "must be at most 254 characters (was 255)",
                onlyError(e -> unlimited.email("notificationEmail", tooLong, e)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t"})
    void anEmptyAddressIsRefused(String raw) {
        assertError("notificationEmail", "is required", onlyError(e -> unlimited.email("notificationEmail", raw, e)));
    }

    @Test
    void noAddressIsRefused() {
        assertError("notificationEmail", "is required", onlyError(e -> unlimited.email("notificationEmail", null, e)));
    }

    // ---- errors across fields

    @Test
    void everyRefusedFieldIsReportedAtOnceInOrder() {
        InputValidator.Errors errors = new InputValidator.Errors();
        unlimited.name("name", " ", errors);
        unlimited.description("description", "x".repeat(1001), errors);
        unlimited.email("notificationEmail", "nope", errors);
        ValidationException e = assertThrows(ValidationException.class, errors::throwIfAny);
        assertEquals(List.of(
                new FieldError("name", "is required"),
                new FieldError("description", "must be at most 1000 characters (was 1001)"),
                new FieldError("notificationEmail", "must be an e-mail address such as team@example.com")), e.errors());
        assertEquals("name: is required; description: must be at most 1000 characters (was 1001); "
                + "notificationEmail: must be an e-mail address such as team@example.com", e.getMessage());
    }

    @Test
    void noErrorsThrowNothing() {
        InputValidator.Errors errors = new InputValidator.Errors();
        unlimited.name("name", "Acme", errors);
        assertTrue(errors.isEmpty());
        errors.throwIfAny();
    }

    @Test
    void theErrorListCannotBeChangedAfterwards() {
        List<FieldError> list = new ArrayList<>(List.of(new FieldError("name", "is required")));
        ValidationException e = new ValidationException(list);
        list.add(new FieldError("other", "x"));
        assertEquals(1, e.errors().size());
        assertThrows(UnsupportedOperationException.class, () -> e.errors().add(new FieldError("x", "y")));
    }

    // ---- paging

    @Test
    void noPageOrSizeMeansTheFirstPageOfTwenty() {
        assertEquals(new PageRequest(1, 20), unlimited.page(null, null));
        assertEquals(0, unlimited.page(null, null).offset());
    }

    @Test
    void theOffsetFollowsPageAndSize() {
        assertEquals(40, unlimited.page(3, 20).offset());
        assertEquals(new PageRequest(1, 5), PageRequest.first(5));
    }

    @Test
    void thePagingBoundsAreAccepted() {
        assertEquals(new PageRequest(1, 1), unlimited.page(1, 1));
        assertEquals(new PageRequest(1_000_000, 200), unlimited.page(1_000_000, 200));
        assertEquals(199_999_800L, unlimited.page(1_000_000, 200).offset());
    }

    @Test
    void aPageOutsideItsBoundsIsRefused() {
        for (int page : new int[]{0, -1, 1_000_001, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertError("page", "must be between 1 and 1000000", thrown(() -> unlimited.page(page, 20)));
        }
    }

    @Test
    void aSizeOutsideItsBoundsIsRefused() {
        for (int size : new int[]{0, -5, 201, Integer.MAX_VALUE}) {
            assertError("size", "must be between 1 and 200", thrown(() -> unlimited.page(1, size)));
        }
    }

    @Test
    void aBadPageAndSizeAreBothReported() {
        ValidationException e = assertThrows(ValidationException.class, () -> unlimited.page(0, 0));
        assertEquals(List.of(new FieldError("page", "must be between 1 and 1000000"),
                new FieldError("size", "must be between 1 and 200")), e.errors());
    }

    // ---- revoke ids

    @Test
    void anEmptyOrMissingIdListIsRefused() {
        assertError("ids", "must list at least one token id", thrown(() -> unlimited.revokeIds(List.of())));
        assertError("ids", "must list at least one token id", thrown(() -> unlimited.revokeIds(null)));
    }

    @Test
    void aMassRevokeListsAtMostOneThousandIds() {
        List<Long> thousand = new ArrayList<>();
        for (long i = 1; i <= 1000; i++) {
            thousand.add(i);
        }
        assertEquals(thousand, unlimited.revokeIds(thousand));
        thousand.add(1001L);
        assertError("ids", "must list at most 1000 token ids (was 1001)", thrown(() -> unlimited.revokeIds(thousand)));
    }

    @Test
    void zeroNegativeAndMissingIdsAreRefused() {
        assertError("ids", "must contain only positive token ids", thrown(() -> unlimited.revokeIds(List.of(1L, -1L))));
        assertError("ids", "must contain only positive token ids", thrown(() -> unlimited.revokeIds(List.of(0L))));
        assertError("ids", "must contain only positive token ids",
                thrown(() -> unlimited.revokeIds(List.of(Long.MIN_VALUE))));
        assertError("ids", "must contain only positive token ids",
                thrown(() -> unlimited.revokeIds(Arrays.asList(3L, null))));
    }

    @Test
    void duplicatesAreDroppedKeepingTheOrder() {
        assertEquals(List.of(5L, 3L, 9L), unlimited.revokeIds(List.of(5L, 3L, 5L, 9L, 3L)));
        assertEquals(List.of(7L), unlimited.revokeIds(Collections.nCopies(1000, 7L)));
    }

    // ---- grace

    @Test
    void noGraceOrZeroSecondsIsNoGrace() {
        assertEquals(Duration.ZERO, unlimited.grace(null));
        assertEquals(Duration.ZERO, unlimited.grace(0L));
    }

    @Test
    void aGraceOfUpToSevenDaysIsAccepted() {
        assertEquals(Duration.ofSeconds(1), unlimited.grace(1L));
        assertEquals(Duration.ofDays(7), unlimited.grace(604_800L));
    }

    @Test
    void aGraceBelowZeroOrBeyondSevenDaysIsRefused() {
        for (long seconds : new long[]{-1, 604_801, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertError("graceSeconds", "must be between 0 and 604800 (7 days)", thrown(() -> unlimited.grace(seconds)));
        }
    }

    // ---- actors and searches

    @Test
    void anActorMustBeNonBlankAfterTrimming() {
        assertEquals("admin", unlimited.actor(" admin "));
        assertError("actor", "is required", thrown(() -> unlimited.actor("  ")));
        assertError("actor", "is required", thrown(() -> unlimited.actor(null)));
    }

    @Test
    void anActorIsAtMost127CharactersSoItFitsItsColumnOnBothDatabases() {
        assertEquals("a".repeat(127), unlimited.actor("a".repeat(127)));
        assertEquals(ROCKET.repeat(127), unlimited.actor(ROCKET.repeat(127)));
        assertError("actor", "must be at most 127 characters (was 128)", thrown(() -> unlimited.actor("a".repeat(128))));
        assertError("actor", "must not contain control characters (found U+000A at position 2)",
                thrown(() -> unlimited.actor("a\nb")));
    }

    @Test
    void anEmptySearchIsNoSearch() {
        assertNull(unlimited.search(null));
        assertNull(unlimited.search(""));
        assertNull(unlimited.search("  \t"));
    }

    @Test
    void aSearchIsKeptVerbatimButTrimmed() {
        assertEquals("50%_off", unlimited.search("  50%_off "));
        assertEquals("' OR '1'='1", unlimited.search("' OR '1'='1"));
    }

    @Test
    void aSearchIsAtMostOneHundredCharactersWithoutControlCharacters() {
        assertEquals("q".repeat(100), unlimited.search("q".repeat(100)));
        assertError("q", "must be at most 100 characters (was 101)", thrown(() -> unlimited.search("q".repeat(101))));
        assertError("q", "must not contain control characters (found U+0000 at position 2)",
                thrown(() -> unlimited.search("a\u0000")));
    }
}
