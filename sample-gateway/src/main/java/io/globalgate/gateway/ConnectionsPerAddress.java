package io.globalgate.gateway;

import io.globalgate.net.ClientAddress;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.util.NanoTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * At most {@code limit} connections open at once from one client address on the public port: the
 * next one is closed as it is accepted, before Jetty makes an endpoint, a connection or a buffer
 * for it, so a refusal holds nothing. The address is the TCP peer's (an IPv4 address whole, an
 * IPv6 address by its /64, as the other per-address limits count); a peer in
 * {@code --trusted-proxies} is not limited, since every client of that proxy shares its address
 * and it alone cannot say which client a connection is for before a request is read.
 *
 * <p>Jetty 12.1 limits connections in total ({@code NetworkConnectionLimit}, by stopping to
 * accept), not per address. This listens to the connector's accepts as that one does: a connection
 * is counted when accepted and released when its endpoint closes or its accept fails, so counts
 * cannot leak. Closing the channel in {@link #onAccepting} makes Jetty's registration of it fail,
 * which Jetty reports as a failed accept ({@link #onAcceptFailed}) without creating anything.
 */
final class ConnectionsPerAddress implements SelectorManager.AcceptListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionsPerAddress.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final int limit;
    private final ClientAddress proxies;
    /** Open connections per address; an address with none has no entry. */
    private final Map<String, Integer> open = new ConcurrentHashMap<>();
    /** The address each counted channel was counted under, until it is released. */
    private final Map<SelectableChannel, String> counted = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();
    private final AtomicLong lastWarning = new AtomicLong(NanoTime.now() - WARN_EVERY_NANOS);

    /** {@code limit} 0 = no limit. */
    ConnectionsPerAddress(int limit, ClientAddress proxies) {
        this.limit = limit;
        this.proxies = proxies;
    }

    /** Connections closed at accept because their address had {@code limit} open. */
    long refused() {
        return refused.sum();
    }

    /** Addresses with a connection counted; for tests: a closed connection leaves nothing behind. */
    int addresses() {
        return open.size();
    }

    @Override
    public void onAccepting(SelectableChannel channel) {
        if (limit <= 0 || !(channel instanceof SocketChannel socket)) {
            return;
        }
        String address = addressOf(socket);
        if (address == null) {
            return; // no peer address (already reset by the client): nothing to count it under
        }
        boolean[] admitted = new boolean[1];
        open.compute(address, (key, count) -> {
            int n = count == null ? 0 : count;
            admitted[0] = n < limit;
            return admitted[0] ? n + 1 : count;
        });
        if (admitted[0]) {
            counted.put(channel, address);
            return;
        }
        refused.increment();
        warn(address);
        try {
            channel.close();
        } catch (IOException e) {
            // closed either way; Jetty's registration of it fails next
        }
    }

    @Override
    public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
        release(channel);
    }

    @Override
    public void onClosed(SelectableChannel channel) {
        release(channel);
    }

    private void release(SelectableChannel channel) {
        String address = counted.remove(channel);
        if (address != null) {
            open.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
        }
    }

    /** The peer's address as it is counted, or null for a trusted proxy or a peer without one. */
    private String addressOf(SocketChannel socket) {
        SocketAddress remote;
        try {
            remote = socket.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return null;
        }
        String peer = ClientAddress.canonical(inet.getAddress().getHostAddress());
        return proxies.trusts(peer) ? null : ClientAddress.perSubscriber(peer);
    }

    private void warn(String address) {
        long last = lastWarning.get();
        if (NanoTime.since(last) >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, NanoTime.now())) {
            LOG.warn("Refusing connections from {}: it has {} open (--max-connections-per-address). Behind a reverse proxy,"
                    + " list the proxy in --trusted-proxies. Further refusals in the next minute are counted, not logged.",
                    address, limit);
        }
    }
}
