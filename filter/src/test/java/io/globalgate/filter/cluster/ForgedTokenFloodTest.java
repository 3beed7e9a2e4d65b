package io.globalgate.filter.cluster;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.filter.GatewayNode;
import io.globalgate.filter.TokenFilterConfig;
import io.globalgate.store.Database;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.testing.Seed;
import io.globalgate.testing.TestDatabases;
import io.globalgate.token.TokenFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 item 11: a flood of distinct forged tokens (a correct checksum, no such token) against
 * node B, two nodes on one MariaDB schema, clients on 127.0.0.2..127.0.0.9 over real HTTP. What the
 * flood costs the database is counted by node B's {@code globalgate.store.lookups}; real tokens,
 * one created on node A during the flood among them, are never refused.
 */
@Tag("jetty") // runs in the Jetty JVM only (see the surefire executions in filter/pom.xml)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForgedTokenFloodTest {

    private static final int PER_NODE = 20;
    private static final int PER_ADDRESS = 5;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    /** Poll interval plus room for a loaded test machine: a correctness bound, not a speed target. */
    private static final Duration REACH_BOUND = POLL_INTERVAL.plusMillis(2000);
    private static final List<String> ADDRESSES = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6",
            "127.0.0.7", "127.0.0.8", "127.0.0.9");

    /** A trusted proxy in front of both nodes; no other test sends from it. */
    private static final String PROXY = "127.0.0.10";
    /** Peers that are no proxy of ours, yet write X-Forwarded-For. */
    private static final String UNTRUSTED = "127.0.0.11";

    private HikariDataSource poolA;
    private HikariDataSource poolB;
    private Seed seed;
    private GatewayNode nodeA;
    private GatewayNode nodeB;
    private long integrationId;
    /** Created before node B started and never used: node B has no decision on it cached. */
    private Seed.Issued existing;

    @BeforeAll
    void startTwoNodes() throws Exception {
        TestDatabases.MariaDbServer server = TestDatabases.mariaDbServer();
        poolA = TestDatabases.mariaDb();
        poolB = Database.pool("flood-node-b", poolA.getJdbcUrl(), server.user(), server.password(), Duration.ofSeconds(2));
        GlobalgateStore storeA = new GlobalgateStore(poolA, Clock.systemUTC()).migrate();
        seed = new Seed(storeA);
        integrationId = seed.integration("Flood victim").id();
        existing = seed.token(integrationId, "existing", "30d", null);
        TokenFilterConfig config = TokenFilterConfig.builder()
                .set(TokenFilterConfig.CHANGE_POLL_INTERVAL, POLL_INTERVAL)
                .set(TokenFilterConfig.UNKNOWN_TOKEN_LOOKUPS, String.valueOf(PER_NODE))
                .set(TokenFilterConfig.UNKNOWN_TOKEN_LOOKUPS_PER_ADDRESS, String.valueOf(PER_ADDRESS))
                .set(TokenFilterConfig.TRUSTED_PROXIES, PROXY + "/32")
                .build();
        nodeA = GatewayNode.start("A", config, storeA);
        nodeB = GatewayNode.start("B", config, new GlobalgateStore(poolB, Clock.systemUTC()));
    }

    @AfterAll
    void stopNodes() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[]{nodeA, nodeB, poolA, poolB}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    /**
     * First, while node B's own bucket is full (the other tests spend it): each client behind the
     * trusted proxy has its own budget, the one the restrictions see, so one client's flood leaves
     * the others theirs. Keyed on the proxy's address, the second client's token was refused.
     */
    @Test
    @Order(1)
    void aFloodBehindATrustedProxyCostsOnlyItsClientsBudget() throws Exception {
        List<Integer> attacker = new ArrayList<>();
        try (KeptAlive proxy = new KeptAlive(PROXY, nodeB.uri())) {
            while (!attacker.contains(503) && attacker.size() < 4 * PER_ADDRESS) {
                attacker.add(proxy.status(TokenFormat.generate(), "X-Forwarded-For: 198.51.100.7, " + PROXY));
            }
            assertEquals(List.of(401, 401, 401, 401, 401), attacker.subList(0, PER_ADDRESS),
                    "the client behind the proxy has its own budget of " + PER_ADDRESS + ": " + attacker);
            assertEquals(503, attacker.get(attacker.size() - 1), "and beyond it 503: " + attacker);

            assertEquals(401, proxy.status(TokenFormat.generate(), "X-Forwarded-For: 198.51.100.8"),
                    "another client of the same proxy still has its budget: its unknown token is looked up and refused");
            assertEquals(401, proxy.status(TokenFormat.generate(), "X-Forwarded-For: 2001:db8:1:2::9"),
                    "and so has a client with an IPv6 address");
        }
    }

    /** X-Forwarded-For of a peer that is no trusted proxy is not read: a new address per request buys no budget. */
    @Test
    @Order(2)
    void aSpoofedXForwardedForFromAnUntrustedPeerBuysNoBudget() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        try (KeptAlive client = new KeptAlive(UNTRUSTED, nodeB.uri())) {
            for (int i = 0; i < 3 * PER_ADDRESS && !statuses.contains(503); i++) {
                statuses.add(client.status(TokenFormat.generate(), "X-Forwarded-For: 203.0.113." + (i + 1) + ", " + PROXY));
            }
        }
        assertTrue(statuses.contains(503), "the untrusted peer's own budget is spent whatever it writes: " + statuses);
        assertTrue(statuses.indexOf(503) <= PER_ADDRESS + 1, "within its budget of " + PER_ADDRESS + " (and a refill): " + statuses);
    }

    @Test
    void aFloodFromManyAddressesCostsAtMostTheNodesBudgetAndRealTokensPassMeanwhile() throws Exception {
        double lookupsBefore = nodeB.meter("globalgate.store.lookups");
        AtomicBoolean flooding = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(ADDRESSES.size());
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        try {
            List<Future<Integer>> floods = new ArrayList<>();
            for (String address : ADDRESSES) {
                floods.add(threads.submit(() -> flood(address, 200, flooding, statuses)));
            }
            long spentBy = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!statuses.containsKey(503)) { // polls a condition: the budget is spent once a forged token is refused for it
                assertTrue(System.nanoTime() < spentBy, "the flood did not spend the budget within 10 s: " + statuses);
                Thread.sleep(5);
            }

            assertEquals(200, status(ADDRESSES.get(0), existing.value()),
                    "a token that existed before the flood is looked up whatever the budget");

            Seed.Issued created = seed.token(integrationId, "created during the flood", "30d", null);
            long createdAt = System.nanoTime();
            int answer;
            while ((answer = status(ADDRESSES.get(1), created.value())) != 200) {
                assertEquals(503, answer, "a token created a moment ago on node A is never refused by node B");
                assertTrue(System.nanoTime() - createdAt < REACH_BOUND.toNanos(),
                        "node B still answered 503 for a new token after " + REACH_BOUND.toMillis() + " ms");
                Thread.sleep(20);
            }
            System.out.printf("[globalgate-test] a token created on node A during the flood passed on node B after %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - createdAt));

            int sent = 0;
            for (Future<Integer> flood : floods) {
                sent += flood.get(60, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double lookups = nodeB.meter("globalgate.store.lookups") - lookupsBefore;
            double bound = PER_NODE + PER_NODE * seconds + 2; // a full bucket, its refill, and the two real tokens
            System.out.printf("[globalgate-test] %d distinct forged tokens in %.1f s from %d addresses: %.0f lookups (bound %.0f)%n",
                    sent, seconds, ADDRESSES.size(), lookups, bound);
            assertTrue(lookups <= bound, lookups + " lookups for " + sent + " forged tokens in " + seconds + " s; bound " + bound);
            assertEquals(java.util.Set.of(401, 503), statuses.keySet(), "forged tokens get 401 (looked up) or 503 (over budget) only");
            assertTrue(nodeB.meter("globalgate.auth.requests", "reason", "lookup_limit") >= statuses.get(503),
                    "every refusal over the budget is counted with reason lookup_limit");
        } finally {
            flooding.set(false);
            threads.shutdownNow();
        }
    }

    @Test
    void aFloodFromOneAddressCostsAtMostItsOwnBudgetAndLeavesOtherAddressesTheirs() throws Exception {
        String attacker = ADDRESSES.get(7);
        Thread.sleep(1_500); // both buckets full again after the other test
        double lookupsBefore = nodeB.meter("globalgate.store.lookups");
        long started = System.nanoTime();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        int sent = flood(attacker, 600, new AtomicBoolean(true), statuses);
        double seconds = (System.nanoTime() - started) / 1e9;
        double lookups = nodeB.meter("globalgate.store.lookups") - lookupsBefore;
        double bound = PER_ADDRESS + PER_ADDRESS * seconds;
        System.out.printf("[globalgate-test] %d distinct forged tokens in %.1f s from one address: %.0f lookups (bound %.0f)%n",
                sent, seconds, lookups, bound);
        assertTrue(lookups <= bound, lookups + " lookups for " + sent + " forged tokens from one address in " + seconds + " s; bound " + bound);
        assertTrue(statuses.getOrDefault(503, 0) > sent / 2, "most of the flood is answered 503: " + statuses);

        assertEquals(401, status(ADDRESSES.get(6), TokenFormat.generate()),
                "another address still has its own budget: its unknown token is looked up and refused");
    }

    /** Sends {@code count} distinct forged tokens from {@code address} over one kept-alive connection; returns how many were sent. */
    private int flood(String address, int count, AtomicBoolean going, Map<Integer, Integer> statuses) throws IOException {
        try (KeptAlive client = new KeptAlive(address, nodeB.uri())) {
            int sent = 0;
            for (; sent < count && going.get(); sent++) {
                statuses.merge(client.status(TokenFormat.generate()), 1, Integer::sum);
            }
            return sent;
        }
    }

    private int status(String address, String token) throws IOException {
        try (KeptAlive client = new KeptAlive(address, nodeB.uri())) {
            return client.status(token);
        }
    }

    /** HTTP/1.1 over one socket bound to a loopback source address, requests one after another. */
    private static final class KeptAlive implements AutoCloseable {
        private final Socket socket = new Socket();
        private final InputStream in;
        private final OutputStream out;
        private final URI base;

        KeptAlive(String address, URI base) throws IOException {
            this.base = base;
            socket.bind(new InetSocketAddress(address, 0));
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        int status(String token) throws IOException {
            return status(token, "X-Unrelated: 1");
        }

        int status(String token, String extraHeader) throws IOException {
            out.write(("GET /api/v1/system/status HTTP/1.1\r\nHost: " + base.getRawAuthority() + "\r\nAuthorization: Bearer " + token
                    + "\r\n" + extraHeader + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String statusLine = line();
            int length = 0;
            for (String header = line(); !header.isEmpty(); header = line()) {
                if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).strip());
                }
            }
            in.readNBytes(length);
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        private String line() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("the node closed the connection");
                }
                if (b != '\r') {
                    bytes.write(b);
                }
            }
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
