package io.globalgate.gateway;

import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;

/**
 * Notices a client that closes its connection while the gateway waits for the upstream's answer
 * head, and then aborts the upstream request, so the upstream sees its connection closed instead
 * of working on for nobody.
 *
 * <p>Jetty does not read an HTTP/1.1 connection while a request whose body has ended is handled,
 * so a client that leaves goes unnoticed until something is written to it. The gateway writes
 * nothing before the upstream's head, so it asks to be told when the client's connection becomes
 * readable: end of stream means the client left. Bytes instead mean the client pipelined its next
 * request; they cannot be handed back to Jetty, so the connection is closed after this answer
 * ({@code Connection: close}) and the client sends that request again on a new one, as RFC 9112
 * section 9.3.2 has pipelining clients do. Watching starts once the request's body, if any, has
 * been read whole, and stops before the answer's head is written.
 */
final class ClientDeparture implements Callback {

    private static final Logger LOG = LoggerFactory.getLogger(ClientDeparture.class);

    private final EndPoint endPoint;
    private final org.eclipse.jetty.client.Request upstream;
    private boolean watching;
    private boolean stopped;
    private volatile boolean left;
    private volatile boolean tookBytes;

    private ClientDeparture(EndPoint endPoint, org.eclipse.jetty.client.Request upstream) {
        this.endPoint = endPoint;
        this.upstream = upstream;
    }

    /** Watches the client of {@code client} on behalf of {@code upstream}; {@link #start} begins it. */
    static ClientDeparture of(org.eclipse.jetty.server.Request client, org.eclipse.jetty.client.Request upstream) {
        return new ClientDeparture(client.getConnectionMetaData().getConnection().getEndPoint(), upstream);
    }

    /** Begins watching; nothing if stopped already, or if Jetty itself is reading the connection. */
    synchronized void start() {
        if (stopped || watching) {
            return;
        }
        watching = endPoint instanceof AbstractEndPoint && endPoint.tryFillInterested(this);
    }

    /** Ends watching; after it, the connection is Jetty's alone again. */
    void stop() {
        boolean cancel;
        synchronized (this) {
            stopped = true;
            cancel = watching;
            watching = false;
        }
        if (cancel) {
            // takes back the interest registered in start(), so that Jetty can register its own
            ((AbstractEndPoint) endPoint).getFillInterest().onFail(new CancellationException("the answer's head has come"));
        }
    }

    /** Whether the client closed its connection while watched. */
    boolean left() {
        return left;
    }

    /** Whether bytes of a pipelined request were read, so the connection must close after this answer. */
    boolean tookBytes() {
        return tookBytes;
    }

    /** The client's connection is readable: its end, or bytes of a pipelined request. */
    @Override
    public void succeeded() {
        synchronized (this) {
            if (!watching) {
                return;
            }
            watching = false;
        }
        int read;
        try {
            ByteBuffer buffer = BufferUtil.allocate(4096);
            read = endPoint.fill(buffer);
        } catch (IOException e) {
            read = -1;
        }
        if (read < 0) {
            clientLeft();
        } else if (read > 0) {
            tookBytes = true;
            LOG.debug("The client pipelined a request while an answer was awaited; its connection closes after this answer");
        } else {
            start();
        }
    }

    @Override
    public void failed(Throwable x) {
        boolean mine;
        synchronized (this) {
            mine = watching;
            watching = false;
        }
        if (mine && !endPoint.isOpen()) {
            clientLeft();
        }
    }

    private void clientLeft() {
        left = true;
        upstream.abort(new IOException("the client closed its connection before the answer's head"));
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.BLOCKING;
    }
}
