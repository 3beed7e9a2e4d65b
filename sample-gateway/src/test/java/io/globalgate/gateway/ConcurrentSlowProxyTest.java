package io.globalgate.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Many slow exchanges at once through the proxy, against the raw-socket upstream: the upstream
 * holds every answer until all the requests have reached it, so each one waits on all the others
 * and every one of them must be in flight at the same time. The proxy holds a thread of the
 * gateway's pool per exchange (README, What the gateway changes on the way: 150 at once is what
 * the default pool is proven to serve). The gateway's upstream timeout is the default, so that a
 * loaded machine opening many upstream connections at once is not mistaken for a silent upstream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentSlowProxyTest {

    /** Requests in flight at once; {@code -Dglobalgate.test.concurrentSlow=N} measures another figure. */
    private static final int CONCURRENT = Integer.getInteger("globalgate.test.concurrentSlow", 150);
    private static final String ADMIN_PASSWORD = "correct horse battery staple";

    private Path dataDir;
    private RawUpstream upstream;
    private RunningGateway gateway;
    private String token;

    @BeforeAll
    void start() throws Exception {
        dataDir = RunningGateway.newDataDir();
        upstream = new RawUpstream();
        gateway = RunningGateway.start(RunningGateway.config("--data-dir", dataDir.toString(),
                "--upstream-url", upstream.uri().toString(), "--admin-password", ADMIN_PASSWORD,
                // the exchanges all come from 127.0.0.1: what is measured is the pool, not the per-address limit
                "--max-connections-per-address", "0"));
        token = new GatewayClient(gateway.uri(), "admin", ADMIN_PASSWORD).newToken("Slow ERP");
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        RunningGateway.delete(dataDir);
    }

    @Test
    void manyConcurrentSlowExchangesAreAllServed() throws Exception {
        // distinct requests: a GET the gateway sends once more (its retry after a closed connection) counts once
        Set<String> arrived = ConcurrentHashMap.newKeySet();
        CountDownLatch allArrived = new CountDownLatch(CONCURRENT);
        AtomicLong inFlightAtTimeout = new AtomicLong(-1);
        upstream.script((request, exchange) -> {
            if (arrived.add(request.target())) {
                allArrived.countDown();
            }
            // bounded: when not all can be in flight at once, each waiting exchange is answered 503 after 10 s
            if (!allArrived.await(10, TimeUnit.SECONDS)) {
                inFlightAtTimeout.compareAndSet(-1, CONCURRENT - allArrived.getCount());
                exchange.write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
                return true;
            }
            exchange.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            return true;
        });
        List<RawClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < CONCURRENT; i++) {
                RawClient client = new RawClient(gateway.uri());
                open.add(client);
                client.send("GET /api/global/v1/slow/" + i + " HTTP/1.1\r\nHost: gateway.test\r\nAuthorization: Bearer " + token + "\r\n\r\n");
            }
            int served = 0;
            for (RawClient client : open) {
                RawClient.Answer answer = client.answer();
                if (answer.status() == 200 && answer.text().equals("ok")) {
                    served++;
                }
            }
            assertEquals(CONCURRENT, served, "exchanges served of " + CONCURRENT + " at once; at most "
                    + inFlightAtTimeout.get() + " reached the upstream together");
        } finally {
            for (RawClient client : open) {
                client.close();
            }
        }
    }
}
