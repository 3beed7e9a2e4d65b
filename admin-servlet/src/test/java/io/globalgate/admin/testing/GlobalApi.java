package io.globalgate.admin.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A script calling the filtered Global API endpoint of the test server with a bearer token. */
public final class GlobalApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GlobalApi() {
    }

    /** The status of {@code GET /api/global/x} with {@code Authorization: Bearer token}. */
    public static int status(URI server, String token) {
        return call(server, token).statusCode();
    }

    public static HttpResponse<String> call(URI server, String token) {
        HttpRequest request = HttpRequest.newBuilder(server.resolve("/api/global/x")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
