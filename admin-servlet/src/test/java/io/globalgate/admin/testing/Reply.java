package io.globalgate.admin.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One HTTP answer, with its body read as text, HTML or JSON, and a readable {@link #toString()} for failures. */
public final class Reply {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String request;
    private final HttpResponse<byte[]> response;
    private Document html;

    Reply(String request, HttpResponse<byte[]> response) {
        this.request = request;
        this.response = response;
    }

    public int status() {
        return response.statusCode();
    }

    /** The header's first value, or null. */
    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    public List<String> headers(String name) {
        return response.headers().allValues(name);
    }

    public String text() {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    public Document html() {
        if (html == null) {
            html = Jsoup.parse(text(), response.uri().toString());
        }
        return html;
    }

    public JsonNode json() {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + this, e);
        }
    }

    /** The path of a redirect's target, e.g. {@code /admin/integrations/3/tokens/new}. */
    public String location() {
        return header("Location");
    }

    @Override
    public String toString() {
        String body = text();
        return request + " -> " + status() + " " + response.headers().map() + "\n"
                + (body.length() > 2000 ? body.substring(0, 2000) + "…" : body);
    }
}
