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
