package io.globalgate.gateway;

import io.globalgate.admin.openapi.OpenApiContract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 request over a socket bound to a chosen loopback source address (127.0.0.2 …
 * 127.255.255.254 all reach a server on 127.0.0.1), so a test can be many clients at once. Java
 * 17's HttpClient cannot choose its source address. {@code Connection: close}; the answer is read
 * to the end.
 */
final class FromAddress {

    private final String source;
    private final URI base;

    private FromAddress(String source, URI base) {
        this.source = source;
        this.base = base;
    }

    static FromAddress of(String source, URI base) {
        return new FromAddress(source, base);
    }

    /** The n-th address of 127.1.0.0/16 and beyond (n from 1 to 16 million). */
    static String nth(int n) {
        return "127." + (1 + (n >> 16)) + "." + ((n >> 8) & 0xFF) + "." + (n & 0xFF);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code GET /admin/api/v1<path>} with HTTP Basic. */
    Reply api(String path, String user, String password) {
        return send("GET", "/admin/api/v1" + path, List.of("Authorization", basic(user, password)), null);
    }

    /** A post of the login form, as the login page sends it. */
    Reply loginForm(String user, String password) {
        String body = "j_username=" + java.net.URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&j_password=" + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8);
        return send("POST", "/j_security_check", List.of("Content-Type", "application/x-www-form-urlencoded",
                "Origin", base.getScheme() + "://" + base.getRawAuthority()), body);
    }

    Reply send(String method, String path, List<String> headers, String body) {
        return sendBytes(method, path, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** The same with the body's bytes as they are (null: no body). */
    Reply sendBytes(String method, String path, List<String> headers, byte[] body) {
        byte[] bytes = body == null ? new byte[0] : body;
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + base.getRawAuthority()
                + "\r\nConnection: close\r\n");
        for (int i = 0; i < headers.size(); i += 2) {
            head.append(headers.get(i)).append(": ").append(headers.get(i + 1)).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.transferTo(received);
            Reply reply = parse(received.toString(StandardCharsets.ISO_8859_1)); // byte for byte; the body is decoded once unchunked
            String requestPath = path.split("\\?", 2)[0];
            if (OpenApiContract.apiPath(requestPath) != null) {
                OpenApiContract.repositoryDocument().check(method, requestPath, reply.status(), reply.headers().map(),
                        reply.body().getBytes(StandardCharsets.UTF_8));
            }
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " from " + source + " failed: " + e, e);
        }
    }

    private static Reply parse(String text) {
        int split = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || split < 0) {
            throw new AssertionError("not an HTTP answer: " + text);
        }
        String[] lines = text.substring(0, split).split("\r\n");
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).strip());
        }
        String body = text.substring(split + 4);
        if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
            body = unchunk(body);
        }
        return new Reply(Integer.parseInt(lines[0].substring(9, 12)), HttpHeaders.of(headers, (a, b) -> true),
                new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String unchunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int end = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, end).split(";")[0].strip(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, end + 2, end + 2 + size);
            at = end + 2 + size + 2;
        }
    }
}
