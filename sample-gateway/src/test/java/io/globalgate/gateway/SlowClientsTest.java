package io.globalgate.gateway;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 item 2: slow clients against a gateway with a small pool ({@code --max-threads 16}),
 * a 3 s idle timeout and a floor of 200 bytes/s. Twenty connections that send their head and then
 * a body byte a second (or nothing) to the sign-in, the JSON API and the proxied API would hold
 * every request thread for as long as they like; with the limits they are answered and closed
 * within seconds, and a normal request is answered meanwhile. A slow but moving upload to the
 * proxied API (ten times the floor) still passes whole.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientsTest {

    private static final String ADMIN_PASSWORD = "correct horse battery staple";
    private static final int SLOW_CONNECTIONS = 20;
    /** How long a slow client would go on if nobody cut it: far longer than the normal request waits. */
    private static final Duration SLOW_CLIENT_PATIENCE = Duration.ofSeconds(20);
    private static final Duration NORMAL_REQUEST_PATIENCE = Duration.ofSeconds(8);

    private Path dataDir;
    private HttpServer upstream;
    private RunningGateway gateway;
    private String token;

    @BeforeAll
    void startUpstreamAndGateway() throws Exception {
        dataDir = RunningGateway.newDataDir();
        // An upstream that reads the whole body and says how many bytes it got.
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.setExecutor(Executors.newFixedThreadPool(8));
        upstream.createContext("/", exchange -> {
            long received;
            try (InputStream body = exchange.getRequestBody()) {
                received = body.transferTo(OutputStream.nullOutputStream());
            }
            byte[] answer = ("{\"received\":" + received + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        upstream.start();
        gateway = RunningGateway.start(RunningGateway.config("--data-dir", dataDir.toString(), "--admin-password", ADMIN_PASSWORD,
                "--upstream-url", "http://127.0.0.1:" + upstream.getAddress().getPort(), "--upstream-timeout", "1s",
                "--max-threads", "16", "--idle-timeout", "3s", "--min-request-data-rate", "200"));
        token = new GatewayClient(gateway.uri(), "admin", ADMIN_PASSWORD).newToken("Slow clients");
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.stop(0);
            ((ExecutorService) upstream.getExecutor()).shutdownNow();
        }
        RunningGateway.delete(dataDir);
    }

    @Test
    void slowClientsAreCutAndANormalRequestIsAnsweredMeanwhile() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        List<String> heads = List.of(
                "POST /j_security_check HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n",
                "POST /admin/api/v1/integrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: " + basic + "\r\n",
                "POST /api/global/v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer " + token + "\r\n");
        ExecutorService threads = Executors.newFixedThreadPool(SLOW_CONNECTIONS);
        try {
            List<Future<String>> slow = new ArrayList<>();
            CountDownLatch headsSent = new CountDownLatch(SLOW_CONNECTIONS);
            long started = System.nanoTime();
            for (int i = 0; i < SLOW_CONNECTIONS; i++) {
                String head = heads.get(i % heads.size()) + "Content-Length: 1000\r\n\r\n";
                boolean silent = i % 4 == 3; // a quarter send their head and then nothing at all
                slow.add(threads.submit(() -> trickle(head, silent, headsSent)));
            }
            // every slow client has connected and sent its head (a condition, where a 500 ms sleep assumed it)
            assertTrue(headsSent.await(10, TimeUnit.SECONDS), "the slow clients did not all send their head");

            RawClient normal = new RawClient(gateway.uri());
            normal.socket.setSoTimeout((int) NORMAL_REQUEST_PATIENCE.toMillis());
            try (normal) {
                normal.send("GET /login HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(200, normal.head().status(), "a normal request is answered while slow clients are connected");
            }

            List<String> ends = new ArrayList<>();
            for (Future<String> end : slow) {
                ends.add(end.get(SLOW_CLIENT_PATIENCE.toSeconds() + 10, TimeUnit.SECONDS));
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertTrue(ends.stream().allMatch(end -> end.startsWith("closed by the gateway")), () -> String.join("\n", ends));
            assertTrue(seconds < SLOW_CLIENT_PATIENCE.toSeconds() / 2, "the slow clients were cut after " + seconds + " s: " + ends);
            assertTrue(ends.stream().allMatch(end -> end.contains("HTTP/1.1 408")),
                    () -> "every slow request is answered 408: " + ends);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aSlowButMovingUploadToTheProxiedApiPassesWhole() throws Exception {
        int size = 4_000;
        try (RawClient client = new RawClient(gateway.uri())) {
            client.send("POST /api/global/v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nAuthorization: Bearer "
                    + token + "\r\nContent-Length: " + size + "\r\n\r\n");
            byte[] piece = new byte[200];
            for (int sent = 0; sent < size; sent += piece.length) {
                client.send(piece); // 2,000 bytes/s: ten times the floor, for two seconds
                Thread.sleep(100);
            }
            RawClient.Answer answer = client.answer();
            assertEquals(200, answer.status(), answer::toString);
            assertEquals("{\"received\":" + size + "}", answer.text());
        }
    }

    /**
     * Sends {@code head} and then one body byte a second (none if {@code silent}) until the gateway
     * closes the connection or {@link #SLOW_CLIENT_PATIENCE} has passed; says how it ended and what
     * the gateway answered.
     */
    private String trickle(String head, boolean silent, CountDownLatch headsSent) throws IOException {
        URI uri = gateway.uri();
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            headsSent.countDown();
            StringBuilder answer = new StringBuilder();
            long deadline = System.nanoTime() + SLOW_CLIENT_PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    if (!silent) {
                        out.write('a');
                        out.flush();
                    }
                } catch (IOException e) {
                    return "closed by the gateway (write failed) " + answer;
                }
                try {
                    byte[] buffer = new byte[4096];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    }
                    if (n < 0) {
                        return "closed by the gateway " + firstLine(answer);
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // nothing yet: the next byte in a second
                } catch (IOException e) {
                    return "closed by the gateway (" + e.getMessage() + ") " + firstLine(answer);
                }
            }
            return "still open after " + SLOW_CLIENT_PATIENCE.toSeconds() + " s " + firstLine(answer);
        }
    }

    private static String firstLine(CharSequence answer) {
        String text = answer.toString();
        int end = text.indexOf('\r');
        return end < 0 ? text : text.substring(0, end);
    }
}
