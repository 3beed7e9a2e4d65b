package io.globalgate.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An upstream of raw sockets: it records each request exactly as its bytes arrived (head lines in
 * order, body bytes, trailers) and answers as the current {@link Script} writes, byte for byte,
 * so a test can answer in any awkward but legal way (or an illegal one) and check what the gateway
 * passed on.
 */
final class RawUpstream implements AutoCloseable {

    /** Writes the answer to one request; returning false closes the connection. */
    @FunctionalInterface
    interface Script {
        boolean answer(Received request, Exchange exchange) throws Exception;
    }

    /** One request as its bytes arrived. */
    record Received(String requestLine, List<String> headerLines, byte[] body, List<String> trailerLines, int connection) {

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

        List<String> names() {
            return headerLines.stream().map(l -> l.substring(0, l.indexOf(':'))).toList();
        }

        String target() {
            return requestLine.split(" ")[1];
        }
    }

    /** The connection a request came on, to answer on. */
    static final class Exchange {
        final Socket socket;
        final OutputStream out;

        Exchange(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Waits for the other end to close: true if it did (read returned -1 or the socket broke). */
        boolean peerClosedWithin(long millis) throws IOException {
            socket.setSoTimeout((int) millis);
            try {
                return socket.getInputStream().read() < 0;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }
    }

    static final Script OK = (request, exchange) -> {
        exchange.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
        return true;
    };

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private volatile Script script = OK;
    private volatile int connections;

    RawUpstream() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    void script(Script next) {
        script = next;
    }

    Received next() throws InterruptedException {
        Received next = received.poll(20, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("the upstream got no request");
        }
        return next;
    }

    Received poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    void forget() {
        received.clear();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                int number = ++connections;
                threads.execute(() -> serve(socket, number));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int number) {
        try (socket) {
            InputStream in = socket.getInputStream();
            Exchange exchange = new Exchange(socket);
            while (true) {
                Received request = read(in, number);
                if (request == null) {
                    return;
                }
                received.add(request);
                if (!script.answer(request, exchange)) {
                    return;
                }
            }
        } catch (Exception e) {
            // the gateway went away; the test sees what it needs through the recorded requests
        }
    }

    private static Received read(InputStream in, int connection) throws IOException {
        String requestLine = line(in);
        if (requestLine == null) {
            return null;
        }
        List<String> headers = lines(in);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<String> trailers = List.of();
        String length = value(headers, "content-length");
        String encoding = value(headers, "transfer-encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            while (true) {
                String size = line(in);
                int n = Integer.parseInt(size.split(";")[0].strip(), 16);
                if (n == 0) {
                    trailers = lines(in);
                    break;
                }
                body.write(in.readNBytes(n));
                line(in);
            }
        } else if (length != null) {
            body.write(in.readNBytes(Integer.parseInt(length.strip())));
        }
        return new Received(requestLine, headers, body.toByteArray(), trailers, connection);
    }

    private static String value(List<String> headers, String name) {
        for (String line : headers) {
            if (line.toLowerCase(Locale.ROOT).startsWith(name + ":")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return null;
    }

    private static List<String> lines(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            lines.add(line);
        }
        return lines;
    }

    /** One line without its CRLF, as ISO-8859-1 (each byte one char); null at the end of the stream. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] raw = bytes.toByteArray();
                int n = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
                return new String(raw, 0, n, StandardCharsets.ISO_8859_1);
            }
            bytes.write(b);
        }
        return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
