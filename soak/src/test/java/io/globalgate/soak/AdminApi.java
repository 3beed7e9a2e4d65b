package io.globalgate.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.IntFunction;

/**
 * The JSON management API of either node over real HTTP, with HTTP Basic as scripts use it. Each
 * answer is checked against the API's OpenAPI document ({@link OpenApiAnswers}).
 */
final class AdminApi {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** An HTTP answer ({@code status} > 0), or why there was none ({@code status} 0, {@code notSent} when no connection was made). */
    record Answer(int status, String body, boolean notSent, String error) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }

        AdminAction.Outcome outcome() {
            if (status == 0) {
                return notSent ? AdminAction.Outcome.NOT_SENT : AdminAction.Outcome.UNCERTAIN;
            }
            if (status >= 200 && status < 300) {
                return AdminAction.Outcome.SUCCESS;
            }
            if (status == 503) {
                return AdminAction.Outcome.UNAVAILABLE;
            }
            return status >= 500 ? AdminAction.Outcome.UNCERTAIN : AdminAction.Outcome.REFUSED;
        }

        String brief() {
            if (status == 0) {
                return error;
            }
            return status + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    private final IntFunction<URI> nodes;
    private final OpenApiAnswers openApi;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    AdminApi(IntFunction<URI> nodes, String user, String password, OpenApiAnswers openApi) {
        this.nodes = nodes;
        this.openApi = openApi;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    Answer call(int node, String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(nodes.apply(node).resolve("/admin/api/v1" + path))
                .timeout(TIMEOUT)
                .header("Authorization", authorization);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        }
        return send(request.build());
    }

    Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            openApi.check(request.method(), request.uri().getRawPath(), response.statusCode(), response.headers().map(),
                    response.body().getBytes(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.body(), false, null);
        } catch (ConnectException e) {
            return new Answer(0, "", true, "connection refused");
        } catch (IOException e) {
            return new Answer(0, "", false, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "", false, "interrupted");
        }
    }

    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
