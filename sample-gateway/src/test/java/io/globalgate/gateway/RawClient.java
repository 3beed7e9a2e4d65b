package io.globalgate.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** A client of raw sockets: it sends exactly the bytes given and reads the answer as its bytes came. */
final class RawClient implements AutoCloseable {

    /** An answer as its bytes arrived; the body de-chunked when it came chunked. */
    record Answer(String statusLine, List<String> headerLines, byte[] body) {

        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        List<String> header(String name) {
            List<String> values = new ArrayList<>();
            for (String line : headerLines) {
                int colon = line.indexOf(':');
                if (line.substring(0, colon).equalsIgnoreCase(name)) {
                    values.add(line.substring(colon + 1).strip());
                }
            }
            return values;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return statusLine + "\n" + String.join("\n", headerLines) + "\n\n" + (body.length > 2000 ? body.length + " bytes" : text());
        }
    }

    final Socket socket;
    final InputStream in;
    final OutputStream out;

    RawClient(URI gateway) throws IOException {
        this(gateway, null);
    }

    /** From a source address of the test's choosing (127.0.0.2 and the rest of 127/8 reach 127.0.0.1), or the default. */
    RawClient(URI gateway, java.net.InetAddress from) throws IOException {
        socket = from == null ? new Socket(gateway.getHost(), gateway.getPort()) : new Socket(gateway.getHost(), gateway.getPort(), from, 0);
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The status line and header lines, leaving the body unread. */
    Answer head() throws IOException {
        String status = RawUpstream.line(in);
        if (status != null && status.startsWith("HTTP/1.1 100")) {
            RawUpstream.line(in);
            status = RawUpstream.line(in);
        }
        List<String> headers = new ArrayList<>();
        for (String line = RawUpstream.line(in); line != null && !line.isEmpty(); line = RawUpstream.line(in)) {
            headers.add(line);
        }
        if (status == null) {
            throw new IOException("the gateway closed the connection without an answer");
        }
        return new Answer(status, headers, new byte[0]);
    }

    /** A whole answer, for a request that is not HEAD. */
    Answer answer() throws IOException {
        return answer(false);
    }

    Answer answer(boolean head) throws IOException {
        Answer h = head();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String length = h.header("Content-Length").isEmpty() ? null : h.header("Content-Length").get(0);
        String encoding = String.join(",", h.header("Transfer-Encoding")).toLowerCase(Locale.ROOT);
        int status = h.status();
        if (head || status == 204 || status == 304) {
            // no body
        } else if (encoding.contains("chunked")) {
            while (true) {
                int n = Integer.parseInt(RawUpstream.line(in).split(";")[0].strip(), 16);
                if (n == 0) {
                    for (String line = RawUpstream.line(in); line != null && !line.isEmpty(); line = RawUpstream.line(in)) {
                        // trailers
                    }
                    break;
                }
                body.write(in.readNBytes(n));
                RawUpstream.line(in);
            }
        } else if (length != null) {
            body.write(in.readNBytes(Integer.parseInt(length)));
        } else {
            body.write(in.readAllBytes());
        }
        return new Answer(h.statusLine(), h.headerLines(), body.toByteArray());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
