package io.globalgate.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Requests written byte for byte on a socket, for what {@link java.net.http.HttpClient} refuses
 * to send (a malformed request line, a body slower than its headers, a wrong charset as given).
 */
final class RawHttp {

    private RawHttp() {
    }

    /** What came back: the status line's code (0 if none), the header block and the body, as text. */
    record Answer(int status, String head, String body) {

        boolean hasHeader(String name) {
            return head.toLowerCase(java.util.Locale.ROOT).contains("\r\n" + name.toLowerCase(java.util.Locale.ROOT) + ":");
        }

        @Override
        public String toString() {
            return head + "\r\n\r\n" + body;
        }
    }

    /** Sends {@code request} as given (CRLFs included) and reads until the server closes or 10 s pass. */
    static Answer exchange(URI base, String request) {
        return exchange(base, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Answer exchange(URI base, byte[] request) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : new String(raw, end + 4, raw.length - end - 4, StandardCharsets.UTF_8);
        int status = 0;
        if (head.startsWith("HTTP/1.1 ") && head.length() >= 12) {
            status = Integer.parseInt(head.substring(9, 12));
        }
        return new Answer(status, head, body);
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                String sofar = out.toString(StandardCharsets.ISO_8859_1);
                int end = sofar.indexOf("\r\n\r\n");
                if (end >= 0) {
                    int length = contentLength(sofar.substring(0, end));
                    if (length >= 0 && out.size() >= end + 4 + length) {
                        break;
                    }
                }
            }
        } catch (SocketTimeoutException e) {
            // what came in 10 s
        }
        return out.toByteArray();
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                return Integer.parseInt(line.substring(15).strip());
            }
        }
        return -1;
    }
}
