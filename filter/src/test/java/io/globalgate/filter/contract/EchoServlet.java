package io.globalgate.filter.contract;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The application behind the filter: answers 200 with what it was handed, one {@code key=value}
 * per line, so a test can tell exactly what reached it.
 */
public class EchoServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Principal principal = request.getUserPrincipal();
        Map<String, String> seen = new LinkedHashMap<>();
        seen.put("principal", principal == null ? "null" : principal.getName());
        seen.put("integrationId", String.valueOf(request.getAttribute("io.globalgate.integration.id")));
        seen.put("tokenId", String.valueOf(request.getAttribute("io.globalgate.token.id")));
        seen.put("attributeNames", Collections.list(request.getAttributeNames()).stream()
                .filter(n -> n.startsWith("io.globalgate.")).sorted().collect(Collectors.joining(",")));
        if ("retag".equals(request.getParameter("echo"))) {
            // the application takes the integration attribute over: both must stay readable, one replaced
            request.setAttribute("io.globalgate.integration.id", "retagged");
            seen.put("afterSet.integrationId", String.valueOf(request.getAttribute("io.globalgate.integration.id")));
            seen.put("afterSet.tokenId", String.valueOf(request.getAttribute("io.globalgate.token.id")));
            request.removeAttribute("io.globalgate.token.id");
            seen.put("afterRemove.tokenId", String.valueOf(request.getAttribute("io.globalgate.token.id")));
            seen.put("afterRemove.attributeNames", Collections.list(request.getAttributeNames()).stream()
                    .filter(n -> n.startsWith("io.globalgate.")).sorted().collect(Collectors.joining(",")));
        }
        seen.put("authorization.getHeader", String.valueOf(request.getHeader("Authorization")));
        seen.put("authorization.getHeaders", String.join(" | ", Collections.list(request.getHeaders("Authorization"))));
        seen.put("authorization.inHeaderNames", String.valueOf(Collections.list(request.getHeaderNames()).stream()
                .anyMatch("Authorization"::equalsIgnoreCase)));
        response.setStatus(200);
        response.setContentType("text/plain;charset=UTF-8");
        byte[] body = seen.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The lines of an answer of this servlet, back into a map. */
    public static Map<String, String> parse(String body) {
        Map<String, String> seen = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                seen.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return seen;
    }
}
