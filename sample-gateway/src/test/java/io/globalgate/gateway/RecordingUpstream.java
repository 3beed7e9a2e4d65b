package io.globalgate.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Global API of our own on loopback that records every request it gets. Paths under
 * {@value #SLOW_PREFIX} answer only when the test ends (or after 30 s), to make the gateway time out.
 */
final class RecordingUpstream implements AutoCloseable {

    static final String SLOW_PREFIX = "/api/global/v1/slow";
    static final String ANSWER = "{\"collection\":[],\"has_more\":false,\"from\":\"recording upstream\"}";

    /** One request as the upstream saw it; header names case-insensitive. */
    record Seen(String method, URI uri, Map<String, List<String>> headers) {
        List<String> header(String name) {
            return headers.getOrDefault(name, List.of());
        }
    }

    private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpServer server;

    RecordingUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI(), headers));
        if (exchange.getRequestURI().getPath().startsWith(SLOW_PREFIX)) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        try {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (IOException e) {
            // the gateway gave up on us (the timeout test)
        } finally {
            exchange.close();
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** The next request the upstream got, waiting a little for it. */
    Seen next() throws InterruptedException {
        Seen next = seen.poll(10, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("the upstream got no request");
        }
        return next;
    }

    /** Lets the requests held under {@value #SLOW_PREFIX} answer now. */
    void release() {
        release.countDown();
    }

    boolean nothingSeen() {
        return seen.isEmpty();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
