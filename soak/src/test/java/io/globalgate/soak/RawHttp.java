package io.globalgate.soak;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HTTP/1.1 request over a plain socket that reads the answer while it writes the body, as curl
 * does. For bodies of megabytes: the admin API answers 413 and closes as soon as it has seen the
 * Content-Length, and Java 17's HttpClient, which reads nothing before the whole body is written,
 * then reports a broken pipe instead of the 413 about one time in twenty.
 */
final class RawHttp {

    /** {@code status} -1 when no complete status line came back; {@code headers} by name as sent. */
    record Answer(int status, Map<String, List<String>> headers, String body) {
    }

    private RawHttp() {
    }

    static Answer send(URI base, String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + base.getRawAuthority() + "\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try {
                    InputStream in = socket.getInputStream();
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        synchronized (received) {
                            received.write(buffer, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // a reset after the answer: what was read is what we have
                }
            }, "soak-raw-reader");
            reader.setDaemon(true);
            reader.start();
            try {
                OutputStream out = socket.getOutputStream();
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // the server answered and closed before the whole body was written
            }
            try {
                reader.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String text;
            synchronized (received) {
                text = received.toString(StandardCharsets.UTF_8);
            }
            int split = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || split < 0 || text.length() < 12) {
                return new Answer(-1, Map.of(), text);
            }
            Map<String, List<String>> fields = new LinkedHashMap<>();
            for (String line : text.substring(0, split).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && !line.startsWith("HTTP/")) {
                    fields.computeIfAbsent(line.substring(0, colon).strip(), k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
                }
            }
            return new Answer(Integer.parseInt(text.substring(9, 12)), fields, text.substring(split + 4));
        }
    }
}
