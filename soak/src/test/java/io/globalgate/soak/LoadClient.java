package io.globalgate.soak;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * One client of the Global API: picks a token from the pool and a node at random, sends
 * {@code GET /api/global/v1/system/status} with it and records what came back. No think time; the
 * loop ends at the deadline or after {@link #MAX_REQUESTS}.
 */
final class LoadClient implements Runnable {

    static final String PATH = "/api/global/v1/system/status";
    private static final long MAX_REQUESTS = 50_000_000L;

    private final TokenPool pool;
    private final IntFunction<URI> nodes;
    private final int nodeCount;
    private final Timeline timeline;
    private final Random random;
    private final long endAt;
    /** This client's number: request ids are {@code <number>-<row of the log>}, as {@link RecordingUpstream} reads them. */
    private final int number;
    private final RequestLog log = new RequestLog();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    LoadClient(int number, TokenPool pool, IntFunction<URI> nodes, int nodeCount, Timeline timeline, long seed, long endAt) {
        this.number = number;
        this.pool = pool;
        this.nodes = nodes;
        this.nodeCount = nodeCount;
        this.timeline = timeline;
        this.random = new Random(seed);
        this.endAt = endAt;
    }

    RequestLog log() {
        return log;
    }

    @Override
    public void run() {
        for (long n = 0; n < MAX_REQUESTS && timeline.now() < endAt && !Thread.currentThread().isInterrupted(); n++) {
            int index = pool.snapshot().pick(random);
            if (index < 0) {
                pause(10);
                continue;
            }
            TokenPool.Issued token = pool.get(index);
            int node = random.nextInt(nodeCount);
            // Unique per request; the upstream echoes it, so an answer meant for another request shows.
            String requestId = number + "-" + log.size;
            HttpRequest request = HttpRequest.newBuilder(nodes.apply(node).resolve(PATH))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token.value())
                    .header(RecordingUpstream.REQUEST_ID_HEADER, requestId)
                    .GET().build();
            long sent = timeline.now();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                long received = timeline.now();
                int status = response.statusCode();
                byte flag = 0;
                if (status == 200 && !servedAs(response.body(), token.integrationId(), requestId)) {
                    flag = RequestLog.FLAG_WRONG_PRINCIPAL;
                    // What came back, to tell a mixed-up answer from missing headers (the demo
                    // echoes ids and a boolean, never a credential).
                    log.noteNext("request id " + requestId + ": " + response.headers().map() + " " + response.body());
                }
                String challenge = response.headers().firstValue("WWW-Authenticate").orElse(null);
                byte reason = status == 403 ? RequestLog.refusalOf(challenge, response.body()) : RequestLog.reasonOf(challenge);
                if (status != 200 && status != 401 && status != 503 && (status != 403 || reason == RequestLog.REASON_OTHER)) {
                    log.noteNext(response.headers().map() + " " + response.body());
                }
                log.add(sent, received, index, node, status, reason, flag, (byte) 0);
            } catch (ConnectException e) {
                log.add(sent, timeline.now(), index, node, RequestLog.CONNECT_REFUSED, RequestLog.REASON_NONE, (byte) 0, (byte) 0);
                pause(20); // that node is restarting
            } catch (IOException e) {
                log.noteNext(e.toString());
                log.add(sent, timeline.now(), index, node, RequestLog.NO_ANSWER, RequestLog.REASON_NONE, (byte) 0, (byte) 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The demo Global API echoes who the gateway said called, whether credentials reached it (never)
     * and the request id the client sent (an answer to another request carries another).
     */
    static boolean servedAs(String body, long integrationId, String requestId) {
        return body.contains("\"integrationId\":\"" + integrationId + "\"") && body.contains("\"authorizationReceived\":false")
                && body.contains("\"requestId\":\"" + requestId + "\"");
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
