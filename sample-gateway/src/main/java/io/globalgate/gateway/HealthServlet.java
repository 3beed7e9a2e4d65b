package io.globalgate.gateway;

import io.globalgate.store.Database;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code 200 {"status":"UP"}} when the store answers, else {@code 503 {"status":"DOWN"}}. */
final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private final transient Database database;

    HealthServlet(Database database) {
        this.database = database;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        boolean up;
        try {
            up = database.read(c -> c.isValid(2));
        } catch (RuntimeException e) {
            up = false;
        }
        byte[] body = (up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}").getBytes(StandardCharsets.UTF_8);
        res.setStatus(up ? 200 : 503);
        res.setContentType("application/json");
        res.setHeader("Cache-Control", "no-store");
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
    }
}
