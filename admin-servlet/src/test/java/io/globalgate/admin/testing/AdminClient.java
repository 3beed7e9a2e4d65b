package io.globalgate.admin.testing;

import io.globalgate.admin.openapi.OpenApiContract;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A browser-like client of the admin over real HTTP: HTTP Basic on every request (as a browser
 * does once the user has signed in), its own cookie jar (so its own session and CSRF token), and
 * no redirect following, so tests see each 303 and its {@code Location}. Every answer of the JSON
 * API is checked against its OpenAPI document ({@link OpenApiContract}): one that does not match
 * fails the test.
 */
public final class AdminClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI server;
    private final String authorization;
    private final HttpClient http;

    private AdminClient(URI server, String authorization) {
        this.server = server;
        this.authorization = authorization;
        this.http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    public static AdminClient as(AdminTestServer server, String user, String password) {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new AdminClient(server.uri(), "Basic " + basic);
    }

    public static AdminClient admin(AdminTestServer server) {
        return as(server, AdminTestServer.ADMIN, AdminTestServer.ADMIN_PASSWORD);
    }

    public static AdminClient anonymous(AdminTestServer server) {
        return new AdminClient(server.uri(), null);
    }

    public URI server() {
        return server;
    }

    /** The origin a browser would send for pages of this server, e.g. {@code http://127.0.0.1:41234}. */
    public String origin() {
        return server.getScheme() + "://" + server.getRawAuthority();
    }

    public Reply get(String path, String... headers) {
        return send("GET", path, null, null, headers);
    }

    /** A form POST as a page of this session would send it: with the session's {@code _csrf} and our own Origin. */
    public Reply submit(String path, String... nameValuePairs) {
        List<String> fields = new ArrayList<>(List.of(nameValuePairs));
        fields.add("_csrf");
        fields.add(csrf());
        return postForm(path, fields, "Origin", origin());
    }

    /** A form POST exactly as given: no CSRF token or Origin added. */
    public Reply postForm(String path, List<String> nameValuePairs, String... headers) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < nameValuePairs.size(); i += 2) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(URLEncoder.encode(nameValuePairs.get(i), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(nameValuePairs.get(i + 1), StandardCharsets.UTF_8));
        }
        return send("POST", path, "application/x-www-form-urlencoded",
                body.toString().getBytes(StandardCharsets.UTF_8), headers);
    }

    /** A JSON API call with {@code Content-Type: application/json} (no body when {@code json} is null). */
    public Reply json(String method, String path, String json, String... headers) {
        return send(method, path, json == null ? null : "application/json",
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), headers);
    }

    public Reply send(String method, String path, String contentType, byte[] body, String... headers) {
        return sendBody(method, path, contentType, body == null ? null : HttpRequest.BodyPublishers.ofByteArray(body), headers);
    }

    /** Any body: e.g. one streamed in chunks, without a Content-Length. */
    public Reply sendBody(String method, String path, String contentType, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String requestPath = response.request().uri().getRawPath();
            if (OpenApiContract.apiPath(requestPath) != null && !isContainerLoginRefusal(response)) {
                OpenApiContract.repositoryDocument().check(method, requestPath, response.statusCode(), response.headers().map(),
                        response.body());
            }
            return new Reply(method + " " + path, response);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The test server's Jetty refuses a missing or wrong HTTP Basic login itself, before the
     * servlet runs, with its own HTML error page: the container's answer, which each deployment
     * decides (the sample gateway writes it in the API's error shape, and its tests check that
     * against the document). Everything the admin servlet answers is JSON.
     */
    private static boolean isContainerLoginRefusal(HttpResponse<byte[]> response) {
        return response.statusCode() == 401 && !response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
    }

    /** This session's CSRF token, as the new-integration form carries it. */
    public String csrf() {
        Reply form = get("/admin/integrations/new");
        if (form.status() != 200) {
            throw new AssertionError("could not read the CSRF token: " + form);
        }
        return csrfOf(form.html());
    }

    public static String csrfOf(Document page) {
        Element input = page.selectFirst("input[name=_csrf]");
        if (input == null || input.val().isEmpty()) {
            throw new AssertionError("page has no _csrf field: " + page.title());
        }
        return input.val();
    }

    /** Encodes text for a query string. */
    public static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    public static Document parse(String html) {
        return Jsoup.parse(html);
    }
}
