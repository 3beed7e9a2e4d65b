package io.globalgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.globalgate.admin.openapi.OpenApiContract;

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
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A client of a running gateway over real HTTP ({@link HttpClient}): the JSON management API with
 * HTTP Basic, the Global API with a bearer token, and plain requests with a cookie jar of its own
 * (for the form login). It never follows redirects, so tests see each one. Every answer under the
 * JSON API, whoever wrote it (the admin servlet or Jetty), is checked against the API's OpenAPI
 * document: one that does not match fails the test.
 */
final class GatewayClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final URI base;
    private final String basic;
    /** Whether answers under {@code /admin/api/v1} are the JSON API's, to check against its document. */
    private final boolean servesApi;
    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    GatewayClient(URI base, String user, String password) {
        this.base = base;
        this.servesApi = true;
        this.basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private GatewayClient(URI base, boolean servesApi) {
        this.base = base;
        this.basic = null;
        this.servesApi = servesApi;
    }

    /** A client with no credentials: a browser before it signs in, or a script that forgot them. */
    static GatewayClient anonymous(URI base) {
        return new GatewayClient(base, true);
    }

    /** A client of the management listener, which serves no JSON API: its answers are not the API's. */
    static GatewayClient ofManagementListener(URI base) {
        return new GatewayClient(base, false);
    }

    URI base() {
        return base;
    }

    // ---- the JSON management API, with HTTP Basic

    /** {@code method /admin/api/v1<path>} with a JSON body (or none). */
    Reply admin(String method, String path, String json) {
        HttpRequest.Builder request = request("/admin/api/v1" + path);
        if (basic != null) {
            request.header("Authorization", basic);
        }
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        }
        return send(request.build());
    }

    /** {@code GET /admin/api/v1<path>} with this {@code Authorization} value as sent, whatever it holds. */
    Reply adminGetWithAuthorization(String path, String authorization) {
        return send(request("/admin/api/v1" + path).header("Authorization", authorization).GET().build());
    }

    JsonNode createIntegration(String name) {
        Reply reply = admin("POST", "/integrations", "{\"name\":" + quote(name)
                + ",\"description\":\"Created by a gateway test\",\"notificationEmail\":\"ops@example.com\"}");
        assertEquals(201, reply.status(), () -> "create integration: " + reply);
        return reply.json();
    }

    /** A new token of the integration; the answer carries its value in {@code "token"}. */
    JsonNode createToken(long integrationId, String name) {
        Reply reply = admin("POST", "/integrations/" + integrationId + "/tokens", "{\"name\":" + quote(name) + ",\"expiration\":\"30d\"}");
        assertEquals(201, reply.status(), () -> "create token: " + reply);
        return reply.json();
    }

    /** An integration and a token for it, the value returned. */
    String newToken(String integrationName) {
        return createToken(createIntegration(integrationName).get("id").asLong(), "test").get("token").asText();
    }

    // ---- the Global API, through the filter and the proxy

    /** {@code GET <pathAndQuery>} with {@code Authorization: Bearer <token>} (none if null) and extra header pairs. */
    Reply globalApi(String pathAndQuery, String token, String... headerPairs) {
        HttpRequest.Builder request = request(pathAndQuery).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headerPairs.length; i += 2) {
            request.header(headerPairs[i], headerPairs[i + 1]);
        }
        return send(request.build());
    }

    // ---- plain requests: pages, the form login, metrics, health

    Reply get(String path) {
        return send(request(path).GET().build());
    }

    Reply postForm(String path, String... nameValuePairs) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(URLEncoder.encode(nameValuePairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(nameValuePairs[i + 1], StandardCharsets.UTF_8));
        }
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (servesApi && OpenApiContract.apiPath(request.uri().getRawPath()) != null) {
                OpenApiContract.repositoryDocument().check(request.method(), request.uri().getRawPath(), response.statusCode(),
                        response.headers().map(), response.body().getBytes(StandardCharsets.UTF_8));
            }
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static String quote(String text) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> sb.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return sb.append('"').toString();
    }
}
