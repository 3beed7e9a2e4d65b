package io.globalgate.soak;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Global API the soak's gateways proxy to (their {@code --upstream-url}): it answers as the
 * built-in demo does, echoing the integration headers and the client's {@code X-Request-Id}, and
 * it records every request that reached it, by the load client and row its id names
 * ({@code <client>-<row>}). That is the ground truth of what the gateways let through: which
 * requests arrived (a {@code 200} the upstream never saw did not come from it), how many times (the
 * JDK's HTTP client sends a GET again, once, when a kept-alive connection closes before any answer,
 * so one client request can reach the upstream twice) and as which integration. A request with no
 * load client's id (a hostile one that got through) is counted apart. Outlives every node restart.
 */
final class RecordingUpstream implements AutoCloseable {

    static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final String INTEGRATION_ID_HEADER = "X-Globalgate-Integration-Id";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What reached the upstream for one load client, by row of its {@link RequestLog}. */
    static final class Arrivals {
        private byte[] count = new byte[1 << 16];
        /** The integration id header of the latest arrival; -1 none, -2 not a number. */
        private long[] integration = new long[1 << 16];

        synchronized void arrived(int row, long integrationId) {
            if (row >= count.length) {
                int n = Math.max(row + 1, count.length * 2);
                count = Arrays.copyOf(count, n);
                integration = Arrays.copyOf(integration, n);
            }
            if (count[row] < Byte.MAX_VALUE) {
                count[row]++;
            }
            integration[row] = integrationId;
        }

        /** How many times the request of this row reached the upstream. */
        synchronized int count(int row) {
            return row < count.length ? count[row] : 0;
        }

        synchronized long integration(int row) {
            return row < integration.length ? integration[row] : -1;
        }
    }

    private final Arrivals[] clients;
    private final AtomicLong withoutClientId = new AtomicLong();
    private final AtomicLong withCredentials = new AtomicLong();
    private final Server server;
    private final URI uri;

    private RecordingUpstream(int clientCount) throws Exception {
        clients = new Arrivals[clientCount];
        for (int i = 0; i < clientCount; i++) {
            clients[i] = new Arrivals();
        }
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("soak-upstream");
        threads.setDaemon(true);
        server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                answer(request, response, callback);
                return true;
            }
        });
        server.start();
        uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    static RecordingUpstream start(int clientCount) throws Exception {
        return new RecordingUpstream(clientCount);
    }

    URI uri() {
        return uri;
    }

    Arrivals client(int number) {
        return clients[number];
    }

    /** Requests that reached the upstream without a load client's id: none should (only load clients send valid tokens). */
    long withoutClientId() {
        return withoutClientId.get();
    }

    /** Requests that reached the upstream with an {@code Authorization} header: none should. */
    long withCredentials() {
        return withCredentials.get();
    }

    private void answer(Request request, Response response, Callback callback) {
        String requestId = request.getHeaders().get(REQUEST_ID_HEADER);
        String integration = request.getHeaders().get(INTEGRATION_ID_HEADER);
        boolean credentials = request.getHeaders().contains(HttpHeader.AUTHORIZATION);
        if (credentials) {
            withCredentials.incrementAndGet();
        }
        if (!record(requestId, integration)) {
            withoutClientId.incrementAndGet();
        }
        // The demo's shape (DemoGlobalApi), which LoadClient.servedAs reads.
        ObjectNode body = JSON.createObjectNode().put("status", "ok").put("service", "soak upstream");
        body.putObject("gateway").put("integrationId", integration).put("authorizationReceived", credentials)
                .put("requestId", requestId);
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private boolean record(String requestId, String integration) {
        if (requestId == null) {
            return false;
        }
        int dash = requestId.indexOf('-');
        try {
            int client = Integer.parseInt(requestId.substring(0, dash));
            int row = Integer.parseInt(requestId.substring(dash + 1));
            if (client < 0 || client >= clients.length || row < 0) {
                return false;
            }
            long id;
            try {
                id = integration == null ? -1 : Long.parseLong(integration);
            } catch (NumberFormatException e) {
                id = -2;
            }
            clients[client].arrived(row, id);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
