package io.globalgate.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The built-in demo Global API, served on its own loopback port so the gateway proxies to it for
 * real. Each answer carries what the gateway sent: the integration headers, whether an
 * {@code Authorization} header reached it (it never should) and the client's {@code X-Request-Id}
 * (so a client can tell its own answer from another request's).
 */
final class DemoGlobalApi extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[][] MERCHANTS = {
            {"mer_1001", "Northwind Outfitters", "US"},
            {"mer_1002", "Bergström Möbel", "SE"},
            {"mer_1003", "Maison Lumière", "FR"},
    };

    /**
     * GET and HEAD only; any other method is a {@code 405} in the Global API's error shape. The
     * servlet's own answers were Jetty's HTML error page (its version, the demo's internal address)
     * or a {@code 501}, passed by the proxy to every client with a token.
     */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws jakarta.servlet.ServletException, IOException {
        if (req.getMethod().equals("GET") || req.getMethod().equals("HEAD")) {
            super.service(req, res);
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.putArray("errors").addObject().put("type", "method_not_allowed")
                .put("message", "The demo Global API answers GET and HEAD only");
        res.setHeader("Allow", "GET, HEAD");
        answer(req, res, 405, body);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String path = req.getRequestURI();
        ObjectNode body = JSON.createObjectNode();
        int status = 200;
        switch (path) {
            case "/api/global/v1/system/status" -> {
                body.put("status", "ok");
                body.put("service", "Global API (Globalgate demo)");
                body.put("time", Instant.now().toString());
            }
            case "/api/global/v1/system/merchants" -> {
                ArrayNode collection = body.putArray("collection");
                for (String[] m : MERCHANTS) {
                    collection.addObject().put("id", m[0]).put("name", m[1]).put("country", m[2]).put("status", "active");
                }
                body.put("has_more", false);
                body.put("total_count", MERCHANTS.length);
            }
            default -> {
                status = 404;
                body.putArray("errors").addObject().put("type", "not_found")
                        .put("message", "The demo Global API has /api/global/v1/system/status and /api/global/v1/system/merchants");
            }
        }
        answer(req, res, status, body);
    }

    /** Writes {@code body} with what the gateway sent added under {@code "gateway"}. */
    private static void answer(HttpServletRequest req, HttpServletResponse res, int status, ObjectNode body) throws IOException {
        ObjectNode gateway = body.putObject("gateway");
        gateway.put("integrationId", req.getHeader(GlobalApiProxyServlet.INTEGRATION_ID_HEADER));
        String name = req.getHeader(GlobalApiProxyServlet.INTEGRATION_NAME_HEADER);
        gateway.put("integrationName", name == null ? null : URLDecoder.decode(name.replace("+", "%2B"), StandardCharsets.UTF_8));
        gateway.put("authorizationReceived", req.getHeader("Authorization") != null);
        gateway.put("requestId", req.getHeader(REQUEST_ID_HEADER));
        byte[] bytes = JSON.writeValueAsBytes(body);
        res.setStatus(status);
        res.setContentType("application/json");
        res.setContentLength(bytes.length);
        res.getOutputStream().write(bytes);
    }
}
