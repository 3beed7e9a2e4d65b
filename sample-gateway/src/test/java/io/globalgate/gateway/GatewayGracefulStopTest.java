package io.globalgate.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A graceful stop ({@code SIGTERM}) lets the requests in flight finish, as the README says. The
 * requests are held in flight deterministically: the upstream keeps each one until the test lets
 * it go, and lets go only once the stop has begun. Each must then get the upstream's {@code 200};
 * a {@code 502} or {@code 500} (what a stop that closed the proxy under them gave) fails.
 */
class GatewayGracefulStopTest {

    private static final String PASSWORD = "graceful-stop-password";
    private static final int IN_FLIGHT = 4;
    private java.nio.file.Path dataDir;

    @AfterEach
    void cleanUp() {
        RunningGateway.delete(dataDir);
    }

    @Test
    void requestsInFlightWhenAGracefulStopBeginsAreAnsweredByTheUpstream() throws Exception {
        dataDir = RunningGateway.newDataDir();
        ExecutorService clients = Executors.newFixedThreadPool(IN_FLIGHT + 1);
        try (RecordingUpstream upstream = new RecordingUpstream()) {
            RunningGateway gateway = RunningGateway.start(RunningGateway.config("--data-dir", dataDir.toString(),
                    "--admin-password", PASSWORD, "--upstream-url", upstream.uri().toString()));
            String token = new GatewayClient(gateway.uri(), "admin", PASSWORD).newToken("Graceful stop");
            GatewayClient client = GatewayClient.anonymous(gateway.uri());

            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                String path = RecordingUpstream.SLOW_PREFIX + "/held-" + i;
                replies.add(clients.submit(() -> client.globalApi(path, token)));
            }
            for (int i = 0; i < IN_FLIGHT; i++) {
                upstream.next(); // each request passed the filter and is held by the upstream
            }
            assertTrue(replies.stream().noneMatch(Future::isDone), "the requests are in flight");

            Future<?> stop = clients.submit(gateway::close);
            while (!gateway.server().isStopping() && !stop.isDone()) {
                Thread.sleep(5); // polls a condition: the stop has begun once the server says so
            }
            assertTrue(gateway.server().isStopping(), "the stop began while the requests were held");
            assertTrue(replies.stream().noneMatch(Future::isDone), "still in flight when the stop began");
            assertFalse(stop.isDone(), "the stop waits for the requests in flight");

            upstream.release();
            for (Future<Reply> reply : replies) {
                Reply answered = reply.get(30, TimeUnit.SECONDS);
                assertEquals(200, answered.status(), answered::toString);
                assertEquals(RecordingUpstream.ANSWER, answered.body(), answered::toString);
            }
            stop.get(30, TimeUnit.SECONDS);
            assertTrue(gateway.server().isStopped());
        } finally {
            clients.shutdownNow();
        }
    }
}
