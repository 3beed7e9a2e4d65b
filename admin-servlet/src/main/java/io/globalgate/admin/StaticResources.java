package io.globalgate.admin;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** The admin's own stylesheet and script, served from the jar (no inline scripts or styles). */
final class StaticResources {

    private static final Map<String, String> FILES = Map.of(
            "admin.css", "text/css;charset=utf-8",
            "admin.js", "text/javascript;charset=utf-8");

    private StaticResources() {
    }

    static boolean serve(String name, HttpServletResponse res) throws IOException {
        String type = FILES.get(name);
        if (type == null) {
            return false;
        }
        try (InputStream in = StaticResources.class.getResourceAsStream("static/" + name)) {
            if (in == null) {
                return false;
            }
            byte[] bytes = in.readAllBytes();
            res.setContentType(type);
            res.setHeader("Cache-Control", "public, max-age=3600");
            res.setContentLength(bytes.length);
            res.getOutputStream().write(bytes);
            return true;
        }
    }
}
