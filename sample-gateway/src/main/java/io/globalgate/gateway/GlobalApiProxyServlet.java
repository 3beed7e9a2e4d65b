package io.globalgate.gateway;

import io.globalgate.filter.GlobalTokenFilter;
import io.globalgate.net.ClientAddress;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The gateway's own streaming proxy to the upstream Global API, on Jetty's HTTP client.
 *
 * <p>What it keeps: the method, the raw path and query, every header value byte for byte and in
 * its order (values are never parsed and re-written), the body as it streams in each direction
 * (each piece of the upstream's answer is flushed to the client as it arrives, so server-sent
 * events and long polls work), content types and encodings (nothing is decoded), request
 * trailers. What it changes is one list, in the README's "What the gateway changes on the way":
 * hop-by-hop headers are dropped, the credential is dropped, every header an upstream could read
 * as one of the gateway's identity headers is dropped and the gateway's own are set, the
 * forwarding headers are the gateway's (appended to only behind a trusted proxy), and
 * {@code Location}, {@code Content-Location} and {@code Link} that point at the upstream point
 * at the gateway instead.
 *
 * <p>The upstream timeout is silence only: an idle timeout on each read and write of the upstream
 * connection, never a total, so a slow download that keeps moving is never cut. Silence before
 * the answer's head is a {@code 504}; any other failure before it a {@code 502}; both in the
 * Global API's JSON error shape and logged. After the head has left, a failure can only cut the
 * answer short (the client sees the connection end early).
 */
final class GlobalApiProxyServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(GlobalApiProxyServlet.class);

    static final String INTEGRATION_ID_HEADER = "X-Globalgate-Integration-Id";
    static final String INTEGRATION_NAME_HEADER = "X-Globalgate-Integration-Name";
    /** Response heads beyond this are refused with a 502; legacy APIs with big cookies fit. */
    static final int MAX_RESPONSE_HEADERS_SIZE = 64 * 1024;

    /** RFC 9110 section 7.6.1 and the older ones proxies still meet. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");
    /** Set by the gateway from what it saw; the client's are replaced, or appended to behind a trusted proxy. */
    private static final Set<String> FORWARDING = Forwarding.NAMES;
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    /** The upstream is known only once the demo API has its port, hence a supplier. */
    private final transient Supplier<URI> upstream;
    private final Duration idleTimeout;
    private final transient ClientAddress clientAddress;
    private transient HttpClient client;

    GlobalApiProxyServlet(Supplier<URI> upstream, Duration idleTimeout, ClientAddress clientAddress) {
        this.upstream = upstream;
        this.idleTimeout = idleTimeout;
        this.clientAddress = clientAddress;
    }

    @Override
    public void init() throws ServletException {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("global-api-proxy");
        client = new HttpClient();
        client.setExecutor(threads);
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.setDefaultRequestContentType(null);
        client.setMaxResponseHeadersSize(MAX_RESPONSE_HEADERS_SIZE);
        // Jetty's client refuses every later request on a connection after a large response head
        // unless its request header limit is as large (seen with 12.1.14).
        client.setMaxRequestHeadersSize(MAX_RESPONSE_HEADERS_SIZE);
        client.setIdleTimeout(idleTimeout.toMillis());
        client.setConnectTimeout(idleTimeout.toMillis());
        client.setMaxConnectionsPerDestination(256);
        try {
            client.start();
            // gzip and the rest pass as they are; the client installs its decoders on start
            client.getContentDecoderFactories().clear();
        } catch (Exception e) {
            throw new ServletException("the HTTP client to the Global API did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public void destroy() {
        try {
            client.stop();
        } catch (Exception e) {
            LOG.debug("The HTTP client to the Global API did not stop cleanly", e);
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        URI base = upstream.get();
        if (base == null) {
            writeError(response, 502, "The Global API is unreachable");
            return;
        }
        String target = Targets.target(base, request);
        if (target == null) {
            writeError(response, 400, "The request's path or query holds characters that cannot be forwarded;"
                    + " percent-encode them (RFC 3986)", "request");
            return;
        }
        ServletContextRequest core = ServletContextRequest.getServletContextRequest(request);
        HttpFields clientHeaders = core.getHeaders();
        boolean hasBody = request.getContentLengthLong() > 0 || clientHeaders.contains("Transfer-Encoding");
        boolean mayRetry = !hasBody && IDEMPOTENT.contains(request.getMethod());

        Response upstreamResponse = null;
        InputStreamResponseListener listener = null;
        boolean closeAfter = false;
        for (int attempt = 1; upstreamResponse == null; attempt++) {
            Request proxied = newUpstreamRequest(base, target, request, clientHeaders, hasBody);
            listener = new InputStreamResponseListener();
            // the client may leave while the upstream thinks: watched once its body has been read whole
            ClientDeparture departure = ClientDeparture.of(core, proxied);
            if (hasBody) {
                proxied.onRequestSuccess(r -> departure.start());
            } else {
                departure.start();
            }
            proxied.send(listener);
            try {
                upstreamResponse = listener.get(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                proxied.abort(e);
                return;
            } catch (TimeoutException | ExecutionException e) {
                departure.stop();
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (departure.left()) {
                    LOG.info("The client left before the Global API's answer to {} {}; the upstream request was aborted", request.getMethod(),
                            request.getRequestURI());
                    return;
                }
                if (mayRetry && attempt == 1 && staleConnection(cause)) {
                    LOG.debug("The Global API closed a pooled connection as {} {} was sent; sent once more", request.getMethod(),
                            request.getRequestURI());
                    continue;
                }
                failBeforeHead(request, response, cause, departure.tookBytes());
                return;
            } finally {
                departure.stop();
            }
            closeAfter |= departure.tookBytes();
        }
        writeHead(base, request, response, upstreamResponse);
        if (closeAfter) {
            response.setHeader("Connection", "close");
        }
        stream(listener, upstreamResponse, request, response);
    }

    private Request newUpstreamRequest(URI base, String target, HttpServletRequest request, HttpFields clientHeaders, boolean hasBody)
            throws IOException {
        int port = base.getPort() >= 0 ? base.getPort() : "https".equalsIgnoreCase(base.getScheme()) ? 443 : 80;
        Request proxied = client.newRequest(base.getHost(), port)
                .scheme(base.getScheme())
                .method(request.getMethod())
                .path(target)
                .version(HttpVersion.HTTP_1_1)
                .idleTimeout(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
        Set<String> connectionNamed = connectionTokens(clientHeaders);
        boolean trustedPeer = clientAddress.trusts(request.getRemoteAddr());
        proxied.headers(headers -> {
            headers.clear();
            for (HttpField field : clientHeaders) {
                String name = field.getName();
                String lower = name.toLowerCase(Locale.ROOT);
                if (HOP_BY_HOP.contains(lower) || connectionNamed.contains(lower) || lower.equals("host") || lower.equals("expect")
                        || lower.equals("authorization") || IdentityHeaders.spoofs(name)) {
                    continue;
                }
                if (FORWARDING.contains(lower) || Forwarding.spoofs(name)) {
                    continue; // set below from what the gateway saw
                }
                if (!trustedPeer && Forwarding.claimsProxying(name)) {
                    continue; // only a trusted proxy says who the client is
                }
                headers.add(new HttpField(name, field.getValue()));
            }
            Forwarding.add(headers, request, clientHeaders, trustedPeer, clientAddress);
            Object id = request.getAttribute(GlobalTokenFilter.INTEGRATION_ID_ATTRIBUTE);
            Principal principal = request.getUserPrincipal();
            if (id != null && principal != null) {
                headers.add(INTEGRATION_ID_HEADER, id.toString());
                headers.add(INTEGRATION_NAME_HEADER, headerValue(principal.getName()));
            }
        });
        if (hasBody) {
            InputStream in = request.getInputStream();
            proxied.body(new InputStreamRequestContent(null, in, 16 * 1024));
            if (clientHeaders.contains("Transfer-Encoding")) {
                // read when the body has ended, so the client's trailers have arrived by then
                ServletContextRequest core = ServletContextRequest.getServletContextRequest(request);
                proxied.trailersSupplier(() -> upstreamTrailers(core.getTrailers()));
            }
        }
        return proxied;
    }

    /**
     * The client's trailers as the upstream gets them: without any field that only the head may
     * carry or only the gateway may set. Servers that merge trailers into the headers (several
     * CGI, PHP and Node stacks do) would otherwise read a trailer {@code X-Globalgate-Integration-Id},
     * {@code X-Forwarded-For} or {@code Authorization} as if the gateway had sent it.
     */
    static HttpFields upstreamTrailers(HttpFields trailers) {
        if (trailers == null) {
            return null;
        }
        HttpFields.Mutable kept = HttpFields.build();
        for (HttpField field : trailers) {
            String name = field.getName();
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || TRAILER_NEVER.contains(lower) || IdentityHeaders.spoofs(name)
                    || FORWARDING.contains(lower) || Forwarding.spoofs(name) || Forwarding.claimsProxying(name)) {
                continue;
            }
            kept.add(field);
        }
        return kept.asImmutable();
    }

    /** Fields that are never a trailer's to send (RFC 9110 section 6.5.1: framing, routing, authentication, ...). */
    private static final Set<String> TRAILER_NEVER = Set.of("host", "expect", "authorization", "cookie", "content-length",
            "content-type", "content-encoding", "content-range", "range", "if-match", "if-none-match", "if-modified-since",
            "if-unmodified-since", "if-range", "max-forwards", "cache-control");

    /** Header names listed in {@code Connection}, lower case: hop-by-hop for this one connection. */
    static Set<String> connectionTokens(HttpFields fields) {
        Set<String> named = new HashSet<>();
        for (HttpField field : fields) {
            if (field.getName().equalsIgnoreCase("Connection")) {
                for (String token : field.getValue().split(",")) {
                    named.add(token.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return named;
    }

    private void writeHead(URI base, HttpServletRequest request, HttpServletResponse response, Response upstreamResponse) {
        ServletContextResponse core = ServletContextResponse.getServletContextResponse(response);
        response.setStatus(upstreamResponse.getStatus());
        keepReasonPhrase(request, upstreamResponse);
        HttpFields.Mutable out = core.getHeaders();
        HttpFields in = upstreamResponse.getHeaders();
        Set<String> connectionNamed = connectionTokens(in);
        String gateway = Targets.gatewayOrigin(request);
        for (HttpField field : in) {
            String lower = field.getName().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || connectionNamed.contains(lower)) {
                continue;
            }
            String value = field.getValue();
            if (lower.equals("location") || lower.equals("content-location") || lower.equals("link")) {
                value = Targets.pointAtGateway(value, base, gateway);
            }
            out.add(new HttpField(field.getName(), value));
        }
    }

    /**
     * The upstream's own reason phrase for the client. Jetty 12 always writes the standard one
     * (its response API has no reason: it builds the head with none and the HTTP/1.1 generator
     * fills in the standard text), so the head is given the upstream's reason on its way to the
     * connection, in an {@link HttpStream.Wrapper} of this request's stream. A reason of printable
     * ASCII passes; one with other bytes (obs-text) gets the standard text.
     */
    private static void keepReasonPhrase(HttpServletRequest request, Response upstreamResponse) {
        String reason = upstreamResponse.getReason();
        int status = upstreamResponse.getStatus();
        if (reason == null || reason.equals(HttpStatus.getMessage(status)) || !printableAscii(reason)
                || !request.getProtocol().startsWith("HTTP/1.")) {
            return;
        }
        ServletContextRequest.getServletContextRequest(request).addHttpStreamWrapper(stream -> new HttpStream.Wrapper(stream) {
            @Override
            public void send(MetaData.Request metaRequest, MetaData.Response head, boolean last, ByteBuffer content, Callback callback) {
                MetaData.Response withReason = head == null || head.getStatus() != status ? head
                        : new MetaData.Response(status, reason, head.getHttpVersion(), head.getHttpFields(), head.getContentLength(),
                        head.getTrailersSupplier());
                super.send(metaRequest, withReason, last, content, callback);
            }
        });
    }

    private static boolean printableAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t') || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    private void stream(InputStreamResponseListener listener, Response upstreamResponse, HttpServletRequest request,
                        HttpServletResponse response) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = listener.getInputStream()) {
            OutputStream out = response.getOutputStream();
            response.flushBuffer(); // the head leaves now, whether or not a body follows soon
            int n;
            while (true) {
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    // the upstream went silent or away after its head: the client sees the answer end early
                    LOG.warn("The Global API's answer broke off after its head: {}", describe(e));
                    abortClient(request);
                    return;
                }
                if (n < 0) {
                    break;
                }
                try {
                    out.write(buffer, 0, n);
                    out.flush();
                } catch (IOException e) {
                    // the client left: stop the upstream exchange too
                    upstreamResponse.abort(e);
                    return;
                }
            }
        }
    }

    private static void abortClient(HttpServletRequest request) {
        try {
            ServletContextRequest.getServletContextRequest(request).getServletChannel()
                    .abort(new IOException("the Global API's answer broke off"));
        } catch (RuntimeException e) {
            LOG.debug("Could not abort the client's connection", e);
        }
    }

    private void failBeforeHead(HttpServletRequest request, HttpServletResponse response, Throwable cause, boolean close)
            throws IOException {
        if (RequestDataRateGuard.isSlowBody(cause)) {
            // the client's body, not the upstream, failed; nothing to log for each slow client
            writeError(response, 408, "The request body arrived too slowly", "request");
        } else if (cause instanceof TimeoutException) {
            LOG.warn("The Global API was silent for {} ms on {} {}", idleTimeout.toMillis(), request.getMethod(), request.getRequestURI());
            writeError(response, 504, "The Global API did not answer in time", "upstream", close);
        } else if (describe(cause).toLowerCase(Locale.ROOT).contains("too large")) {
            LOG.warn("The Global API's response head is over {} bytes on {} {}: {}", MAX_RESPONSE_HEADERS_SIZE, request.getMethod(),
                    request.getRequestURI(), describe(cause));
            writeError(response, 502, "The Global API's response headers are too large (over " + MAX_RESPONSE_HEADERS_SIZE / 1024 + " KB)",
                    "upstream", close);
        } else {
            LOG.warn("The Global API failed on {} {}: {}", request.getMethod(), request.getRequestURI(), describe(cause));
            writeError(response, 502, "The Global API is unreachable", "upstream", close);
        }
    }

    /** A pooled connection the upstream closed just as the request went out: nothing was answered, nothing done twice. */
    private static boolean staleConnection(Throwable cause) {
        return !(cause instanceof ConnectException) && !(cause instanceof TimeoutException)
                && (cause instanceof IOException || describe(cause).toLowerCase(Locale.ROOT).contains("closed"));
    }

    private static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 300; c = c.getCause()) {
            if (!sb.isEmpty()) {
                sb.append(": ");
            }
            sb.append(c.getClass().getSimpleName()).append(c.getMessage() == null ? "" : " " + c.getMessage());
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.toString();
    }

    static void writeError(HttpServletResponse response, int status, String message) throws IOException {
        writeError(response, status, message, "upstream");
    }

    static void writeError(HttpServletResponse response, int status, String message, String type) throws IOException {
        writeError(response, status, message, type, false);
    }

    private static void writeError(HttpServletResponse response, int status, String message, String type, boolean close) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        response.setStatus(status);
        if (close) {
            response.setHeader("Connection", "close");
        }
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentType("application/json");
        byte[] body = ("{\"errors\":[{\"type\":\"" + type + "\",\"message\":\"" + message.replace("\"", "'") + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Names may hold any Unicode; a header carries printable ASCII, the rest percent-encoded as UTF-8. */
    static String headerValue(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '%') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }
}
