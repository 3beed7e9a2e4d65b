package io.globalgate.gateway;

import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;

import java.util.concurrent.TimeoutException;

/**
 * A request body must arrive at no less than a minimum rate, averaged from its first byte: a
 * client that sends one byte every few seconds no longer keeps a pool thread waiting on it.
 *
 * <p>Jetty's own {@code HttpConfiguration.setMinRequestDataRate} is enforced only on the
 * servlet input stream; the form sign-in ({@code /j_security_check}) and the admin pages' forms
 * are read through Jetty's core {@code FormFields}, which it does not meter. Wrapping the core
 * request here meters every read, whoever makes it: forms, the JSON API, the proxied API.
 * Below the rate the next read fails with {@code 408}; the thread is released at the next byte
 * the client sends (a client that sends nothing is cut by the connector's idle timeout), and the
 * connection, its body unread, is closed after the answer. The rate is checked only when the
 * reader asks for more and nothing has arrived: a body that has arrived whole is never refused,
 * however long it took, and an application that reads slower than the client sends (a slow
 * upstream behind the proxy) cannot get the client cut.
 */
final class RequestDataRateGuard extends Handler.Wrapper {

    private final long bytesPerSecond;

    /** {@code bytesPerSecond} 0 = no minimum. */
    RequestDataRateGuard(long bytesPerSecond, Handler handler) {
        super(handler);
        this.bytesPerSecond = bytesPerSecond;
    }

    /**
     * Whether {@code failure} (or one of its causes) is this guard's refusal of a slow body, or the
     * idle timeout of a client that stopped sending it: such a request is answered {@code 408},
     * never as a fault of the gateway or of the upstream.
     */
    static boolean isSlowBody(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpException http && http.getCode() == 408) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return super.handle(bytesPerSecond > 0 ? new Metered(request, bytesPerSecond) : request, response, callback);
    }

    private static final class Metered extends Request.Wrapper {
        private final long bytesPerSecond;
        // Reads of one request are never concurrent (Content.Source's contract), so plain fields suffice.
        private long firstByteNanos;
        private long bytes = -1;
        private Content.Chunk refusal;

        Metered(Request request, long bytesPerSecond) {
            super(request);
            this.bytesPerSecond = bytesPerSecond;
        }

        @Override
        public Content.Chunk read() {
            if (refusal != null) {
                return refusal;
            }
            Content.Chunk chunk = super.read();
            if (Content.Chunk.isFailure(chunk) && chunk.getFailure() instanceof TimeoutException) {
                // The connection was idle for the idle timeout. What arrived meanwhile (a reader that was
                // busy elsewhere) is still read; a client that sent nothing is answered 408, not 500.
                Content.Chunk after = chunk.isLast() ? null : super.read();
                if (after == null || Content.Chunk.isFailure(after)) {
                    return refuse("Request body not received within the idle timeout");
                }
                chunk = after;
            }
            if (chunk == null) {
                // The reader wants more and the client has not sent it: the only moment the client is behind.
                return bytes < 0 || bytes >= getLength() && getLength() >= 0 || fastEnough() ? null : refuse(null);
            }
            if (!Content.Chunk.isFailure(chunk) && chunk.hasRemaining()) {
                if (bytes < 0) {
                    bytes = 0;
                    firstByteNanos = NanoTime.now();
                }
                bytes += chunk.remaining();
            }
            return chunk;
        }

        private boolean fastEnough() {
            long elapsedMillis = NanoTime.millisSince(firstByteNanos);
            return bytes >= bytesPerSecond * elapsedMillis / 1000;
        }

        private Content.Chunk refuse(String why) {
            refusal = Content.Chunk.from(new BadMessageException(408,
                    why != null ? why : "Request body arrived slower than " + bytesPerSecond + " bytes/s"), true);
            return refusal;
        }
    }
}
