package io.globalgate.filter.contract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what {@link java.net.http.HttpClient} will not send: raw
 * bytes outside ASCII, header lines exactly as written. One request per connection
 * ({@code Connection: close}); the answer is read to the end of the stream.
 */
public final class RawHttpClient {

    private static final int TIMEOUT_MILLIS = 10_000;

    private RawHttpClient() {
    }

    /**
     * @param headerLines each a complete header line as bytes, without CRLF (ISO-8859-1 text is
     *                    encoded byte for byte, so {@code "\u00e9"} goes out as the single byte 0xE9)
     */
    public static HttpResult get(URI uri, List<String> headerLines) throws IOException {
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return send(uri, "GET", target, headerLines, null);
    }

    /**
     * A request with any method and request target, exactly as written, from {@code localAddress}
     * (e.g. {@code 127.0.0.2}: every 127/8 address is the loopback's on Linux), or from the
     * system's choice when null.
     */
    public static HttpResult send(URI server, String method, String target, List<String> headerLines, InetAddress localAddress)
            throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        write(request, method + " " + target + " HTTP/1.1");
        write(request, "Host: " + server.getHost() + ":" + server.getPort());
        write(request, "Connection: close");
        for (String line : headerLines) {
            write(request, line);
        }
        write(request, "");
        try (Socket socket = new Socket(InetAddress.getByName(server.getHost()), server.getPort(), localAddress, 0)) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            return parse(socket.getInputStream().readAllBytes(), !"HEAD".equals(method));
        }
    }

    private static void write(ByteArrayOutputStream out, String line) {
        out.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[] {'\r', '\n'});
    }

    static HttpResult parse(byte[] raw) throws IOException {
        return parse(raw, true);
    }

    private static HttpResult parse(byte[] raw, boolean withBody) throws IOException {
        int end = indexOf(raw, new byte[] {'\r', '\n', '\r', '\n'});
        if (end < 0) {
            throw new IOException("no complete HTTP answer (" + raw.length + " bytes): "
                    + new String(raw, StandardCharsets.ISO_8859_1));
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status = Integer.parseInt(statusLine[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).strip(), n -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).strip());
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        HttpResult head = new HttpResult(status, headers, "");
        if (!withBody) {
            return head;
        }
        if (head.headers("Transfer-Encoding").stream().anyMatch("chunked"::equalsIgnoreCase)) {
            body = dechunk(body);
        } else if (!head.headers("Content-Length").isEmpty()) {
            body = java.util.Arrays.copyOf(body, Integer.parseInt(head.headers("Content-Length").get(0)));
        }
        return new HttpResult(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] chunked) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new java.io.ByteArrayInputStream(chunked);
        while (true) {
            StringBuilder size = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("chunked body ends inside a chunk size");
                }
                if (c != '\r') {
                    size.append((char) c);
                }
            }
            int n = Integer.parseInt(size.toString().split(";")[0].strip(), 16);
            if (n == 0) {
                return out.toByteArray();
            }
            out.writeBytes(in.readNBytes(n));
            in.readNBytes(2); // CRLF after the chunk
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
