package io.globalgate.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A graceful stop under load: requests in flight are answered by the upstream, or refused as the
 * server closes; never a 500. (The soak test found 500s here: the demo upstream used to stop with
 * the gateway's first phase, while requests were still proxied to it.)
 */
class GatewayGracefulStopTest {

    private static final String PASSWORD = "graceful-stop-password";
    private java.nio.file.Path dataDir;

    @AfterEach
    void cleanUp() {
        RunningGateway.delete(dataDir);
    }

    @Test
    void requestsInFlightDuringAGracefulStopNeverGetA500() throws Exception {
        dataDir = RunningGateway.newDataDir();
        for (int cycle = 0; cycle < 4; cycle++) { // the race shows in about one stop in three
            stopUnderLoad();
        }
    }

    private void stopUnderLoad() throws Exception {
        RunningGateway gateway = RunningGateway.start(RunningGateway.config("--data-dir", dataDir.toString(),
                "--admin-password", PASSWORD));
        GatewayClient admin = new GatewayClient(gateway.uri(), "admin", PASSWORD);
        String token = admin.newToken("Graceful " + System.nanoTime());
        GatewayClient client = GatewayClient.anonymous(gateway.uri());

        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                for (int n = 0; n < 20_000 && running.get(); n++) {
                    try {
                        int status = client.globalApi("/api/global/v1/system/status", token).status();
                        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    } catch (UncheckedIOException e) {
                        refused.incrementAndGet(); // the connector closed: a refusal, not an answer
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        Thread.sleep(800);
        gateway.close();
        Thread.sleep(300);
        running.set(false);
        for (Thread t : threads) {
            t.join(30_000);
        }

        assertTrue(statuses.getOrDefault(200, new AtomicInteger()).get() > 0, "load reached the upstream: " + statuses);
        for (Map.Entry<Integer, AtomicInteger> e : statuses.entrySet()) {
            assertTrue(e.getKey() == 200 || e.getKey() == 502 || e.getKey() == 503,
                    "only answers from the upstream, or 502/503 while stopping: " + statuses);
        }
        assertEquals(0, statuses.getOrDefault(500, new AtomicInteger()).get(), statuses.toString());
    }
}
