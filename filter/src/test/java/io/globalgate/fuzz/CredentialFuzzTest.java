package io.globalgate.fuzz;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.filter.BearerTokenResolver;
import io.globalgate.filter.LookupBudgets;
import io.globalgate.filter.TokenVerifier;
import io.globalgate.filter.Verdict;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.testing.MutableClock;
import io.globalgate.testing.Seed;
import io.globalgate.testing.TestDatabases;
import io.globalgate.token.TokenFormat;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Generated credentials, several hundred thousand of them, through the three functions that see a
 * client's input first: {@link TokenFormat#problemOf}, {@link BearerTokenResolver#resolve} and
 * {@link TokenVerifier#verify} against a real (H2) store. None may throw; the format check must
 * agree with the contract's regex and checksum, computed here independently; the resolver must
 * yield a candidate only for one {@code Bearer} value; and the verifier may accept only a live
 * token the store issued. Inputs come from a seeded {@link Random}: the seed is printed, and
 * {@code -Dfuzz.seed=N} repeats a run.
 */
@Timeout(120)
class CredentialFuzzTest {

    private static final Pattern CONTRACT_PATTERN = Pattern.compile("^gat_[0-9A-Za-z]{38}$");
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());

    private static HikariDataSource dataSource;
    private static MutableClock clock;
    private static GlobalgateStore store;
    private static Seed seed;
    /** Every token the store issued, by value, with what the verifier must answer for it. */
    private static final Map<String, Expected> ISSUED = new HashMap<>();
    private static final List<String> ISSUED_VALUES = new ArrayList<>();

    private record Expected(long tokenId, long integrationId, Verdict.Reason refusal) {
        boolean live() {
            return refusal == null;
        }
    }

    @BeforeAll
    static void issueTokensOfEveryKind() {
        System.out.println("[globalgate-fuzz] CredentialFuzzTest seed " + SEED + " (repeat with -Dfuzz.seed=" + SEED + ")");
        dataSource = TestDatabases.h2();
        clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        store = new GlobalgateStore(dataSource, clock).migrate();
        seed = new Seed(store);
        long active = seed.integration("Fuzzed").id();
        long inactive = seed.integration("Switched off").id();

        Seed.Issued expired = seed.token(active, "expires", "7d", null);
        clock.advance(Duration.ofDays(8));
        issued(expired, Verdict.Reason.EXPIRED);
        issued(seed.token(active, "never", "never", null), null);
        issued(seed.token(active, "thirty days", "30d", null), null);
        Seed.Issued revoked = seed.token(active, "revoked", "never", null);
        seed.revoke(revoked.token().id());
        issued(revoked, Verdict.Reason.REVOKED);
        Seed.Issued replaced = seed.token(active, "replaced", "never", null);
        issued(replaced, Verdict.Reason.REVOKED);
        issued(seed.regenerate(replaced.token().id()), null);
        Seed.Issued switchedOff = seed.token(inactive, "inactive", "never", null);
        seed.setActive(inactive, false);
        issued(switchedOff, Verdict.Reason.INACTIVE);
    }

    private static void issued(Seed.Issued token, Verdict.Reason refusal) {
        ISSUED.put(token.value(), new Expected(token.token().id(), token.token().integrationId(), refusal));
        ISSUED_VALUES.add(token.value());
    }

    @AfterAll
    static void closeStore() {
        dataSource.close();
    }

    // ---- TokenFormat.problemOf

    @Test
    void theFormatCheckAgreesWithTheContractOnEveryGeneratedString() {
        Inputs inputs = new Inputs(new Random(SEED ^ 0x1111L));
        int valid = 0;
        for (int n = 0; n < 300_000; n++) {
            String s = inputs.string();
            TokenFormat.Problem problem;
            try {
                problem = TokenFormat.problemOf(s);
            } catch (RuntimeException e) {
                throw new AssertionError(failure("TokenFormat.problemOf threw " + e, s), e);
            }
            boolean expected = contractValid(s);
            if ((problem == null) != expected || TokenFormat.isValid(s) != expected) {
                fail(failure("TokenFormat.problemOf said " + problem + ", the contract says " + (expected ? "valid" : "invalid"), s));
            }
            valid += expected ? 1 : 0;
        }
        System.out.println("[globalgate-fuzz] TokenFormat.problemOf: 300000 strings, " + valid + " well-formed");
        assertTrue(valid > 10_000, "the generator must also produce well-formed tokens (" + valid + ")");
    }

    // ---- BearerTokenResolver.resolve

    @Test
    void theResolverYieldsACandidateOnlyForTheOneBearerValueOfAGeneratedRequest() {
        Inputs inputs = new Inputs(new Random(SEED ^ 0x2222L));
        BearerTokenResolver resolver = new BearerTokenResolver("Authorization");
        int candidates = 0;
        for (int n = 0; n < 150_000; n++) {
            List<Map.Entry<String, String>> headers = inputs.headers();
            String query = inputs.query();
            BearerTokenResolver.Resolution resolution;
            try {
                resolution = resolver.resolve(request(headers, query));
            } catch (RuntimeException e) {
                throw new AssertionError(failure("resolve threw " + e, headers + " ?" + query), e);
            }
            String expected = expectedCandidate(headers, query);
            String problem = checkResolution(resolution, headers, query, expected);
            if (problem != null) {
                fail(failure(problem + "; got " + resolution, headers + " query=" + query));
            }
            candidates += resolution instanceof BearerTokenResolver.Candidate ? 1 : 0;
        }
        System.out.println("[globalgate-fuzz] BearerTokenResolver.resolve: 150000 requests, " + candidates + " candidates");
        assertTrue(candidates > 20_000, "the generator must also produce resolvable requests (" + candidates + ")");
    }

    /** Null when the resolution is what the contract says for these headers and query; else what is wrong. */
    private static String checkResolution(BearerTokenResolver.Resolution resolution, List<Map.Entry<String, String>> headers,
                                          String query, String expectedCandidate) {
        if (resolution == null) {
            return "resolve returned null";
        }
        List<String> values = authorizationValues(headers);
        if (hasAccessTokenParameter(query) || values.size() > 1) {
            return resolution instanceof BearerTokenResolver.InvalidRequest ? null
                    : "two credentials (or a token in the URL) must be an invalid request";
        }
        if (values.isEmpty()) {
            return resolution instanceof BearerTokenResolver.Missing ? null : "no credentials must be 'missing'";
        }
        if (expectedCandidate != null) {
            return resolution instanceof BearerTokenResolver.Candidate c && c.token().equals(expectedCandidate) ? null
                    : "the one Bearer value must be the candidate '" + escape(expectedCandidate) + "'";
        }
        return resolution instanceof BearerTokenResolver.Candidate ? "only a Bearer value may yield a candidate" : null;
    }

    /** The contract, spelled out: {@code Bearer} (any case), one space, then one token without spaces or commas; at most 1024 characters. */
    private static String expectedCandidate(List<Map.Entry<String, String>> headers, String query) {
        List<String> values = authorizationValues(headers);
        if (hasAccessTokenParameter(query) || values.size() != 1) {
            return null;
        }
        String value = values.get(0);
        int space = value.indexOf(' ');
        if (value.length() > 1024 || space < 0 || !value.substring(0, space).equalsIgnoreCase("bearer")) {
            return null;
        }
        String token = value.substring(space + 1).strip();
        return token.isEmpty() || token.indexOf(' ') >= 0 || token.indexOf(',') >= 0 ? null : token;
    }

    private static List<String> authorizationValues(List<Map.Entry<String, String>> headers) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase("Authorization")).map(Map.Entry::getValue).toList();
    }

    private static boolean hasAccessTokenParameter(String query) {
        if (query == null) {
            return false;
        }
        for (String part : query.split("&", -1)) {
            if (part.equals("access_token") || part.startsWith("access_token=")) {
                return true;
            }
        }
        return false;
    }

    // ---- TokenVerifier.verify

    @Test
    void theVerifierAcceptsOnlyALiveTokenTheStoreIssued() {
        Inputs inputs = new Inputs(new Random(SEED ^ 0x3333L));
        BearerTokenResolver resolver = new BearerTokenResolver("Authorization");
        TokenVerifier verifier = new TokenVerifier(store.tokens()::findDecision, clock, 10_000, Duration.ofMinutes(10),
                Duration.ofSeconds(60), Duration.ofMinutes(10));
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        for (int n = 0; n < 150_000; n++) {
            String token;
            if (n % 3 == 0) { // through the resolver, as the filter does
                List<Map.Entry<String, String>> headers = inputs.headers();
                BearerTokenResolver.Resolution resolution = resolver.resolve(request(headers, inputs.query()));
                if (!(resolution instanceof BearerTokenResolver.Candidate candidate)) {
                    continue;
                }
                token = candidate.token();
            } else {
                token = inputs.string();
            }
            Verdict verdict;
            try {
                verdict = verifier.verify(token);
            } catch (RuntimeException e) {
                throw new AssertionError(failure("verify threw " + e, token), e);
            }
            String problem = checkVerdict(token, verdict);
            if (problem != null) {
                fail(failure(problem + "; got " + verdict, token));
            }
            String outcome = verdict instanceof Verdict.Rejected r ? r.reason().tag() : verdict.getClass().getSimpleName().toLowerCase();
            outcomes.merge(outcome, 1, Integer::sum);
        }
        System.out.println("[globalgate-fuzz] TokenVerifier.verify: " + outcomes + ", store lookups " + verifier.storeLookups());
        assertTrue(outcomes.getOrDefault("accepted", 0) > 100 && outcomes.getOrDefault("unknown", 0) > 1_000, outcomes::toString);
        for (Verdict.Reason reason : List.of(Verdict.Reason.REVOKED, Verdict.Reason.EXPIRED, Verdict.Reason.INACTIVE)) {
            assertTrue(outcomes.getOrDefault(reason.tag(), 0) > 0, "the issued " + reason.tag() + " tokens were tried: " + outcomes);
        }
    }

    private static String checkVerdict(String token, Verdict verdict) {
        Expected issued = ISSUED.get(token);
        if (verdict == null) {
            return "verify returned null";
        }
        if (verdict instanceof Verdict.Unavailable) {
            return "the store is up: 'unavailable' is wrong";
        }
        if (verdict instanceof Verdict.Accepted accepted) {
            if (issued == null || !issued.live()) {
                return "accepted a token the store did not issue as live";
            }
            return accepted.tokenId() == issued.tokenId() && accepted.integrationId() == issued.integrationId() ? null
                    : "accepted as another token or integration";
        }
        Verdict.Reason reason = ((Verdict.Rejected) verdict).reason();
        if (!contractValid(token)) {
            return reason == Verdict.Reason.MALFORMED ? null : "a malformed token must be refused as malformed";
        }
        if (issued == null) {
            return reason == Verdict.Reason.UNKNOWN ? null : "a well-formed token never issued must be refused as unknown";
        }
        return issued.live() ? "refused a live issued token" : reason == issued.refusal() ? null
                : "an issued " + issued.refusal().tag() + " token must be refused as " + issued.refusal().tag();
    }

    // ---- a flood of forged tokens against the lookup budget

    /**
     * Forged tokens (a correct checksum, never issued) mixed with issued and malformed ones, from
     * IPv4 and IPv6 clients and from none, on a clock that does not move: a forged token is refused
     * as unknown (HTTP 401) while its address's and the node's budgets last, then as over the
     * budget (503 {@code lookup_limit}); an issued token is answered as ever, whatever the flood;
     * nothing else. The budgets are modelled here: an IPv4 address counts alone, an IPv6 one by its
     * /64, computed with {@link java.net.InetAddress}; a forged token already refused as unknown is
     * answered from the cache without spending anything.
     */
    @Test
    void aForgedTokenFloodIsRefusedAsUnknownWithinTheBudgetThenAsOverIt() throws Exception {
        final int perNode = 40;
        final int perAddress = 5;
        Random random = new Random(SEED ^ 0x4444L);
        Inputs inputs = new Inputs(random);
        TokenVerifier verifier = new TokenVerifier(store.tokens()::findDecision, clock, 10_000, Duration.ofMinutes(10),
                Duration.ofMinutes(10), Duration.ofMinutes(10));
        LookupBudgets.attach(verifier, perNode, perAddress, () -> 0L, ISSUED_VALUES.stream().map(io.globalgate.token.TokenHash::of).toList());
        String[] addresses = {"192.0.2.1", "192.0.2.2", "198.51.100.9", "203.0.113.200", "2001:db8:1:1::1", "2001:DB8:1:1:ffff::2",
                "2001:0db8:0001:0001:0:0:0:3", "2001:db8:1:2::1", "2001:db8:1:2:0:0:0:9", "::1", "0:0:0:0:0:0:0:1", "10.0.0.1", null};
        Map<String, Integer> ownLeft = new HashMap<>();
        int nodeLeft = perNode;
        java.util.Set<String> refusedAsUnknown = new java.util.HashSet<>();
        List<String> forgedSoFar = new ArrayList<>();
        long lookupsBefore = verifier.storeLookups();
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        for (int n = 0; n < 3_000; n++) {
            String address = addresses[random.nextInt(addresses.length)];
            int kind = random.nextInt(10);
            String token = kind < 6 ? (random.nextInt(4) == 0 && !forgedSoFar.isEmpty() ? forgedSoFar.get(random.nextInt(forgedSoFar.size()))
                    : inputs.forged()) : kind < 8 ? inputs.issued() : inputs.mutate(inputs.issued());
            boolean forged = contractValid(token) && !ISSUED.containsKey(token);
            Verdict verdict;
            try {
                verdict = verifier.verify(token, address);
            } catch (RuntimeException e) {
                throw new AssertionError(failure("verify threw " + e + " from " + address, token), e);
            }
            String where = " from " + address + " after " + n + " requests (node budget left " + nodeLeft + ")";
            if (forged) {
                forgedSoFar.add(token);
                boolean expectUnknown;
                if (refusedAsUnknown.contains(token)) {
                    expectUnknown = true; // cached: no budget spent
                } else {
                    String key = address == null ? null : subscriber(address);
                    boolean own = key == null || ownLeft.computeIfAbsent(key, k -> perAddress) > 0;
                    if (own && key != null) {
                        ownLeft.merge(key, -1, Integer::sum);
                    }
                    expectUnknown = own && nodeLeft > 0;
                    if (expectUnknown) {
                        nodeLeft--;
                    }
                }
                if (expectUnknown) {
                    if (!(verdict instanceof Verdict.Rejected r && r.reason() == Verdict.Reason.UNKNOWN)) {
                        fail(failure("a forged token within the budget must be refused as unknown (401)" + where + "; got " + verdict, token));
                    }
                    refusedAsUnknown.add(token);
                } else if (!LookupBudgets.overBudget(verdict)) {
                    fail(failure("a forged token beyond the budget must be refused as over it (503 lookup_limit)" + where + "; got " + verdict, token));
                }
            } else {
                String problem = checkVerdict(token, verdict);
                if (problem != null) {
                    fail(failure(problem + where + "; got " + verdict, token));
                }
            }
            outcomes.merge(LookupBudgets.overBudget(verdict) ? "lookup_limit" : verdict instanceof Verdict.Rejected r ? r.reason().tag()
                    : "accepted", 1, Integer::sum);
        }
        long lookups = verifier.storeLookups() - lookupsBefore;
        System.out.println("[globalgate-fuzz] forged-token flood: " + outcomes + ", store lookups " + lookups);
        assertEquals(0, nodeLeft, "the flood spent the node's budget: " + outcomes);
        assertTrue(lookups <= perNode + ISSUED_VALUES.size(), "lookups " + lookups + ": the node's budget and each issued token once");
        assertTrue(outcomes.getOrDefault("accepted", 0) > 100, "issued tokens were accepted throughout: " + outcomes);
    }

    /** The per-address key of the budget, computed without the filter's code: IPv4 whole, IPv6 by its /64. */
    private static String subscriber(String address) throws java.net.UnknownHostException {
        byte[] bytes = java.net.InetAddress.getByName(address).getAddress();
        return bytes.length == 4 ? java.net.InetAddress.getByAddress(bytes).getHostAddress()
                : java.util.HexFormat.of().formatHex(bytes, 0, 8) + "/64";
    }

    // ---- the client address behind proxies

    /**
     * Generated forwarding headers ({@code X-Forwarded-For} or {@code Forwarded}; garbage, huge,
     * thousands of values, split over several lines, every spelling of a hop) from trusted proxies
     * and from peers that are none. The client address is the peer's unless the peer is a trusted
     * proxy; then it is the first hop from the right that is not a trusted proxy; an entry that is no
     * address stops the walk at the trusted hop that wrote it. Nothing a client wrote left of that is
     * ever the answer.
     */
    @Test
    void theClientAddressIsThePeerOrTheFirstUntrustedHopAProxyForwardsNeverWhatTheClientWrote() throws Exception {
        Random random = new Random(SEED ^ 0x5555L);
        io.globalgate.net.NetworkList trustedNetworks = io.globalgate.net.NetworkList.parse("10.0.0.0/8,2001:db8:ff::/48");
        io.globalgate.net.ClientAddress clientAddress = new io.globalgate.net.ClientAddress(trustedNetworks);
        String[][] trusted = {{"10.1.2.3", "10.1.2.3"}, {"10.1.2.3:8080", "10.1.2.3"}, {" 10.9.9.9 ", "10.9.9.9"},
                {"[2001:db8:ff::1]:443", "2001:db8:ff:0:0:0:0:1"}, {"2001:DB8:FF::2", "2001:db8:ff:0:0:0:0:2"}};
        String[][] clients = {{"203.0.113.7", "203.0.113.7"}, {"198.51.100.1:80", "198.51.100.1"},
                {"[2001:db8:1::7]:1234", "2001:db8:1:0:0:0:0:7"}, {"2001:DB8:1::8", "2001:db8:1:0:0:0:0:8"}, {"127.0.0.5", "127.0.0.5"}};
        String[] garbage = {"unknown", "_hidden", "", "x", "1.2.3", "999.1.1.1", "[::1", "::1]:80", "10.0.0.1:port",
                "for=10.0.0.1", "<script>", "2001:db8::1::2", "1.2.3.4 5.6.7.8", "0x7f000001", "localhost"};
        Map<String, Integer> kinds = new java.util.TreeMap<>();
        for (int n = 0; n < 5_000; n++) {
            boolean peerTrusted = random.nextBoolean();
            String[] peer = peerTrusted ? trusted[random.nextInt(trusted.length)] : clients[random.nextInt(clients.length)];
            List<String> hops = new ArrayList<>(); // left to right, as proxies append
            // what the client wrote: never the answer once a real hop follows
            for (int i = 0, written = random.nextInt(20) == 0 ? random.nextInt(3_000) : random.nextInt(4); i < written; i++) {
                hops.add(random.nextBoolean() ? garbage[random.nextInt(garbage.length)] : trusted[random.nextInt(trusted.length)][0]);
            }
            int real = random.nextInt(4);
            String expected;
            String kind;
            String[] client = clients[random.nextInt(clients.length)];
            String stopper = garbage[random.nextInt(garbage.length)];
            if (real == 0) {
                hops.add(stopper);
            } else if (real < 3 || hops.isEmpty()) {
                hops.add(client[0]);
            }
            int trustedHops = random.nextInt(4);
            String lastTrusted = peer[1];
            for (int i = 0; i < trustedHops; i++) {
                String[] hop = trusted[random.nextInt(trusted.length)];
                hops.add(hop[0]);
                if (i == 0) {
                    lastTrusted = hop[1]; // the leftmost trusted hop: the last the walk believes
                }
            }
            // the hop left of the trusted ones: the client, the stopper, or the last thing the client wrote
            String lastHop = hops.get(hops.size() - 1 - trustedHops);
            if (!peerTrusted) {
                expected = peer[1];
                kind = "untrusted peer";
            } else if (lastHop.equals(client[0])) {
                expected = client[1];
                kind = "client behind proxies";
            } else if (Arrays.asList(garbage).contains(lastHop)) {
                expected = lastTrusted;
                kind = "garbage stops the walk";
            } else {
                expected = null; // a trusted hop the client wrote: judged below
                kind = "every hop trusted";
            }
            boolean forwardedHeader = random.nextInt(4) == 0;
            List<String> lines = forwardedHeader ? forwardedLines(hops, random) : xForwardedForLines(hops, random);
            String answer;
            try {
                answer = forwardedHeader ? clientAddress.of(peer[0].strip(), List.of(), lines) : clientAddress.of(peer[0].strip(), lines, List.of());
            } catch (RuntimeException e) {
                throw new AssertionError(failure("ClientAddress.of threw " + e + " for peer " + peer[0], String.join(" | ", lines)), e);
            }
            if (expected == null) {
                // every hop of ours is trusted: the answer is one of them or the leftmost readable one, never garbage
                // every hop up to the first garbage is trusted: the answer is one of them (the leftmost
                // such, or the 64th from the right), never garbage nor an address that is no proxy of ours
                expected = answer;
                assertTrue(trustedNetworks.contains(answer), failure("not a trusted hop: " + answer + " for peer " + peer[0],
                        String.join(" | ", lines)));
            }
            if (!expected.equals(answer)) {
                fail(failure(kind + ": expected " + expected + " for peer " + peer[0] + ", got " + answer, String.join(" | ", lines)));
            }
            kinds.merge(kind, 1, Integer::sum);
        }
        System.out.println("[globalgate-fuzz] ClientAddress.of: " + kinds);
        assertTrue(kinds.size() == 4, "every kind was generated: " + kinds);
    }

    /** The hops as X-Forwarded-For lines: one, or split at commas over several, with odd spacing. */
    private static List<String> xForwardedForLines(List<String> hops, Random random) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        boolean first = true;
        for (String hop : hops) {
            if (!first && random.nextInt(8) == 0) {
                lines.add(line.toString());
                line.setLength(0);
                first = true;
            }
            line.append(first ? "" : random.nextBoolean() ? ", " : ",").append(hop);
            first = false;
        }
        lines.add(line.toString());
        return lines;
    }

    /** The hops as RFC 7239 Forwarded elements, {@code for=} quoted where it must be, other pairs beside it. */
    private static List<String> forwardedLines(List<String> hops, Random random) {
        StringBuilder line = new StringBuilder();
        for (String hop : hops) {
            String value = hop.contains(":") || hop.contains("[") || hop.isEmpty() || hop.contains(" ") || hop.contains("\"")
                    || hop.contains("<") || hop.contains("=") ? "\"" + hop.strip().replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : hop.strip();
            line.append(line.length() == 0 ? "" : ", ").append(random.nextBoolean() ? "for=" + value : "proto=https;for=" + value + ";by=_x");
        }
        return List.of(line.toString());
    }

    // ---- the contract's format, computed without TokenFormat

    static boolean contractValid(String s) {
        if (!CONTRACT_PATTERN.matcher(s).matches()) {
            return false;
        }
        return s.substring(36).equals(checksum(s.substring(4, 36)));
    }

    /** CRC32 of the 32 random characters, as 6 base62 digits, most significant first, padded with '0'. */
    static String checksum(String random) {
        CRC32 crc = new CRC32();
        crc.update(random.getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] digits = new char[6];
        for (int i = 5; i >= 0; i--) {
            digits[i] = BASE62.charAt((int) (value % 62));
            value /= 62;
        }
        return new String(digits);
    }

    // ---- inputs

    /** The generator: random text of every kind, near misses of issued tokens, forgeries with a correct checksum. */
    private static final class Inputs {
        private static final String[] LOOKALIKES = {"\u0430", "\u0435", "\u043E", "\uFF10", "\uFF41", "\u0131", "\u212A", "\u00E9", "\u0261"};
        private static final String[] SCHEMES = {"Bearer ", "Bearer ", "Bearer ", "bearer ", "BEARER ", "BeArEr ", "Bearer", "Bearer  ",
                "Bearer\t", " Bearer ", "Basic ", "Token ", "", "Bearer,", "Bearer\u00A0", "Bearer=", "Bearer:"};
        private final Random random;

        Inputs(Random random) {
            this.random = random;
        }

        String string() {
            return switch (random.nextInt(12)) {
                case 0 -> chars(random.nextInt(60), 0x20, 0x7E);
                case 1 -> chars(random.nextInt(50), 0, 0xFFFF);
                case 2 -> "gat_" + base62(30 + random.nextInt(16));
                case 3, 4 -> mutate(issued());
                case 5, 6 -> forged();
                case 7 -> issued();
                case 8 -> pick("GAT_", "gat-", "gat", "Gat_", "gat__", "gat_gat_", "", " gat_", "\u0000gat_") + base62(38);
                case 9 -> oneOddCharacter();
                case 10 -> pick("", " ", "\t", "\u0000", "null", "undefined", "Bearer", "gat_", "\u200B", "\uFEFF") ;
                default -> chars(1_000 + random.nextInt(4_000), 0x21, 0x7E);
            };
        }

        String issued() {
            return ISSUED_VALUES.get(random.nextInt(ISSUED_VALUES.size()));
        }

        /** A well-formed token with a correct checksum that the store never issued. */
        String forged() {
            String body = random.nextBoolean() ? base62(32) : mutate(issued().substring(4, 36)).replaceAll("[^0-9A-Za-z]", "x");
            if (body.length() != 32) {
                body = (body + base62(32)).substring(0, 32);
            }
            return "gat_" + body + checksum(body);
        }

        String mutate(String token) {
            StringBuilder sb = new StringBuilder(token);
            int at = sb.length() == 0 ? 0 : random.nextInt(sb.length());
            switch (random.nextInt(10)) {
                case 0 -> sb.setCharAt(at, BASE62.charAt(random.nextInt(62)));
                case 1 -> sb.insert(at, BASE62.charAt(random.nextInt(62)));
                case 2 -> sb.deleteCharAt(at);
                case 3 -> {
                    int b = Math.min(sb.length() - 1, at + 1);
                    char c = sb.charAt(at);
                    sb.setCharAt(at, sb.charAt(b));
                    sb.setCharAt(b, c);
                }
                case 4 -> sb.setCharAt(at, Character.isUpperCase(sb.charAt(at)) ? Character.toLowerCase(sb.charAt(at))
                        : Character.toUpperCase(sb.charAt(at)));
                case 5 -> sb.replace(at, at + 1, pick(LOOKALIKES));
                case 6 -> sb.append(pick(" ", "\t", "\u0000", "\n", "\r\n", ",", "\u00A0", "\u3000", "=", "%00"));
                case 7 -> sb.insert(0, pick(" ", "\t", "\u0000", "\uFEFF", "\u200B"));
                case 8 -> sb.setLength(at);
                default -> sb.append(sb);
            }
            return sb.toString();
        }

        String oneOddCharacter() {
            StringBuilder sb = new StringBuilder("gat_" + base62(38));
            sb.setCharAt(4 + random.nextInt(38), (char) random.nextInt(0x3000));
            return sb.toString();
        }

        List<Map.Entry<String, String>> headers() {
            int roll = random.nextInt(100);
            int n = roll < 8 ? 0 : roll < 88 ? 1 : roll < 97 ? 2 : 3;
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = random.nextInt(10) == 0 ? pick("authorization", "AUTHORIZATION", "X-Authorization", "Proxy-Authorization")
                        : "Authorization";
                String value = pick(SCHEMES) + (random.nextInt(3) == 0 ? issued() : string());
                if (random.nextInt(8) == 0) {
                    value += pick(",", " ", ", " + issued(), " " + issued(), "\u0000", ",,");
                }
                headers.add(Map.entry(name, value));
            }
            if (random.nextInt(10) == 0) {
                headers.add(Map.entry(pick("Cookie", "X-Api-Key", "Accept"), string()));
            }
            return headers;
        }

        String query() {
            return switch (random.nextInt(14)) {
                case 0, 1, 2, 3, 4, 5 -> null;
                case 6 -> "";
                case 7 -> "access_token=" + (random.nextBoolean() ? issued() : string());
                case 8 -> "a=1&access_token";
                case 9 -> "x=1&access_token=" + issued() + "&y=2";
                case 10 -> pick("access_tokenx=1", "xaccess_token=1", "access_token%3D1", "ACCESS_TOKEN=1", "token=" + issued(), "access-token=1");
                case 11 -> "&&access_token=&";
                case 12 -> chars(random.nextInt(80), 0x21, 0x7E);
                default -> "page=2&size=" + random.nextInt(100);
            };
        }

        private String chars(int n, int from, int to) {
            StringBuilder sb = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                sb.append((char) (from + random.nextInt(to - from + 1)));
            }
            return sb.toString();
        }

        private String base62(int n) {
            StringBuilder sb = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                sb.append(BASE62.charAt(random.nextInt(62)));
            }
            return sb.toString();
        }

        private String pick(String... options) {
            return options[random.nextInt(options.length)];
        }
    }

    /** A request that is only headers and a raw query string; anything else the resolver asks fails the test. */
    private static HttpServletRequest request(List<Map.Entry<String, String>> headers, String query) {
        return (HttpServletRequest) Proxy.newProxyInstance(CredentialFuzzTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeaders" -> {
                        List<String> values = new ArrayList<>();
                        for (Map.Entry<String, String> h : headers) {
                            if (h.getKey().equalsIgnoreCase((String) args[0])) {
                                values.add(h.getValue());
                            }
                        }
                        yield Collections.enumeration(values);
                    }
                    case "getHeader" -> headers.stream().filter(h -> h.getKey().equalsIgnoreCase((String) args[0]))
                            .map(Map.Entry::getValue).findFirst().orElse(null);
                    case "getQueryString" -> query;
                    case "toString" -> "fuzz request " + headers;
                    default -> throw new UnsupportedOperationException("the resolver is a function of headers and query; it called "
                            + method.getName());
                });
    }

    private static String failure(String what, String input) {
        return what + " for input \"" + escape(input) + "\" (seed " + SEED + "; repeat with -Dfuzz.seed=" + SEED + ")";
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.length() > 300 ? s.substring(0, 300).toCharArray() : s.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return sb.append(s.length() > 300 ? "…(" + s.length() + " chars)" : "").toString();
    }

    @Test
    void theReferenceChecksumAgreesWithTokensTheStoreIssues() {
        for (String token : ISSUED_VALUES) {
            assertEquals(checksum(token.substring(4, 36)), token.substring(36), token);
            assertTrue(contractValid(token), token);
        }
    }
}
