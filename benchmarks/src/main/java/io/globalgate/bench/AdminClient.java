package io.globalgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** The admin JSON API of a sample gateway, as a script uses it (HTTP Basic), and plain GETs of its pages. */
final class AdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String basic;

    AdminClient(URI base, String user, String password) {
        this.base = base;
        this.basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** An issued token: its id and its value (a secret: never print it). */
    record Issued(long id, String value) {
    }

    long createIntegration(String name) throws IOException, InterruptedException {
        JsonNode answer = post("/admin/api/v1/integrations",
                "{\"name\":\"" + name + "\",\"description\":\"bench/run\",\"notificationEmail\":\"bench@example.com\"}", 201);
        return answer.get("id").asLong();
    }

    Issued createToken(long integrationId, String name) throws IOException, InterruptedException {
        JsonNode answer = post("/admin/api/v1/integrations/" + integrationId + "/tokens",
                "{\"name\":\"" + name + "\",\"expiration\":\"never\"}", 201);
        return new Issued(answer.get("id").asLong(), answer.get("token").asText());
    }

    void revoke(long tokenId) throws IOException, InterruptedException {
        post("/admin/api/v1/tokens/" + tokenId + "/revoke", null, 200);
    }

    /** GET with the admin's credentials; returns the status after reading the whole body. */
    int get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", basic).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private JsonNode post(String path, String body, int expected) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic);
        if (body != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.POST(HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            // The body is an error in the API's shape; a token is only ever in a 201 answer.
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + " (expected " + expected + "): "
                    + (response.statusCode() == 201 ? "(body withheld)" : response.body()));
        }
        return JSON.readTree(response.body());
    }
}
