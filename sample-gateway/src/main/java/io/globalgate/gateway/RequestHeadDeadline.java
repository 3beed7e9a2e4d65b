package io.globalgate.gateway;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Every request head (request line and headers) must be whole within a deadline of its first
 * byte, on a new connection and on a kept-alive one alike; a connection whose head is not is
 * closed. The idle timeout alone does not do it: a client that sends a header line every few
 * seconds is never idle, and could hold its connection for as long as the 8 KB head lasts.
 *
 * <p>Jetty 12.1 has no such limit (its idle timeout is of silence, its minimum data rate of
 * bodies). Each HTTP/1.1 connection gets one check, scheduled on open and again every deadline:
 * while the connection's parser is reading a head (past its first byte, not yet at the body or the
 * end), the head's age is the parser's {@link HttpParser#getBeginNanoTime() begin time}; a head
 * older than the deadline closes the connection, a younger one is checked again when it would be
 * due. A connection waiting between requests, or serving one, is left to the idle timeout and the
 * request-body rate. The parser's state is volatile and written after its begin time, so a check
 * from the scheduler's thread reads a begin time that belongs to the head it sees.
 *
 * <p>A connection that sends nothing but blank lines (which the parser skips while it waits for a
 * request line) is not reading a head in the parser's sense, so the check also closes a connection
 * that received bytes over a whole deadline while waiting for a request line and completed no
 * request.
 *
 * <p>The connection is closed without an answer: a {@code 408} written from the scheduler while the
 * head is being parsed could cross the answer to a head completed in the same instant. Such a
 * client has sent nothing the gateway could answer yet.
 */
final class RequestHeadDeadline implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(RequestHeadDeadline.class);

    private final long deadlineNanos;
    private final Supplier<Scheduler> scheduler;
    private final Map<Connection, Watch> watches = new ConcurrentHashMap<>();
    private final LongAdder closed = new LongAdder();

    /** {@code scheduler}: the connector's, read when a connection opens (it exists once the connector has started). */
    RequestHeadDeadline(Duration deadline, Supplier<Scheduler> scheduler) {
        this.deadlineNanos = deadline.toNanos();
        this.scheduler = scheduler;
    }

    /** Connections closed because a request head was not whole in time. */
    long closed() {
        return closed.sum();
    }

    /** Connections being watched (those open); for tests: nothing is left behind by a closed one. */
    int watched() {
        return watches.size();
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            Watch watch = new Watch(http);
            watches.put(connection, watch);
            watch.schedule(deadlineNanos);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Watch watch = watches.remove(connection);
        if (watch != null) {
            watch.cancel();
        }
    }

    private final class Watch implements Runnable {
        private final HttpConnection connection;
        // Touched by the scheduler's single task for this connection only (each run schedules the next).
        private long bytesWaiting = -1;
        private long messagesWaiting = -1;
        private volatile Scheduler.Task task;
        private volatile boolean cancelled;

        Watch(HttpConnection connection) {
            this.connection = connection;
        }

        void schedule(long delayNanos) {
            if (!cancelled) {
                task = scheduler.get().schedule(this, Math.max(1, delayNanos), TimeUnit.NANOSECONDS);
            }
        }

        void cancel() {
            cancelled = true;
            Scheduler.Task t = task;
            if (t != null) {
                t.cancel();
            }
        }

        @Override
        public void run() {
            if (cancelled || !connection.getEndPoint().isOpen()) {
                return;
            }
            HttpParser parser = connection.getParser();
            if (parser.isStart()) {
                // Waiting for a request line. Bytes that arrived over a whole deadline without starting
                // one are blank lines: a head that never begins.
                long bytes = connection.getBytesIn();
                long messages = connection.getMessagesIn();
                if (messages == messagesWaiting && bytes > bytesWaiting && bytesWaiting >= 0) {
                    cut("sent only blank lines for " + TimeUnit.NANOSECONDS.toMillis(deadlineNanos) + " ms");
                    return;
                }
                bytesWaiting = bytes;
                messagesWaiting = messages;
                schedule(deadlineNanos);
                return;
            }
            bytesWaiting = -1;
            if (!parser.inHeaderState()) {
                schedule(deadlineNanos); // a request is being served; its next head is checked from its first byte
                return;
            }
            long age = NanoTime.since(parser.getBeginNanoTime());
            if (age >= deadlineNanos) {
                cut("its request head was not whole after " + TimeUnit.NANOSECONDS.toMillis(age) + " ms");
            } else {
                schedule(deadlineNanos - age);
            }
        }

        private void cut(String why) {
            closed.increment();
            if (LOG.isDebugEnabled()) {
                LOG.debug("Closing the connection from {}: {}", connection.getEndPoint().getRemoteSocketAddress(), why);
            }
            connection.getEndPoint().close(new TimeoutException("Request head not received in time: " + why));
        }
    }
}
