package io.globalgate.net;

import io.globalgate.config.InvalidValue;
import io.globalgate.config.Parser;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A list of networks written as text, comma-separated ({@code 10.0.0.0/8, 192.0.2.7, ::1}); the
 * empty text is the empty list, which contains nothing.
 */
public final class NetworkList {

    private static final NetworkList EMPTY = new NetworkList(List.of());
    /** Far more than any real list; a longer one is a mistake or a hostile value, refused in one line. */
    static final int MAX_NETWORKS = 1000;

    private final List<Cidr> networks;
    /** The same networks, walked without an iterator on every request of a restricted token. */
    private final Cidr[] array;

    private NetworkList(List<Cidr> networks) {
        this.networks = List.copyOf(networks);
        this.array = this.networks.toArray(Cidr[]::new);
    }

    public static NetworkList empty() {
        return EMPTY;
    }

    public static NetworkList of(List<Cidr> networks) {
        return networks.isEmpty() ? EMPTY : new NetworkList(networks);
    }

    /**
     * The networks {@code text} lists; blank items are skipped.
     *
     * @throws IllegalArgumentException naming every item that is not a network, in one message
     */
    public static NetworkList parse(String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        String[] items = text.split(",", -1);
        if (items.length > MAX_NETWORKS) {
            throw new IllegalArgumentException("lists " + items.length + " items; at most " + MAX_NETWORKS + " networks are allowed");
        }
        List<Cidr> networks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String item : items) {
            if (item.isBlank()) {
                continue;
            }
            try {
                networks.add(Cidr.parse(item));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return of(networks);
    }

    /** The parser options are declared with: a refusal names every bad item. */
    public static Parser<NetworkList> parser() {
        return text -> {
            try {
                return parse(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidValue("must be comma-separated networks such as 10.0.0.0/8, 192.0.2.7, 2001:db8::/32: "
                        + e.getMessage());
            }
        };
    }

    public boolean contains(InetAddress address) {
        return address != null && !networks.isEmpty() && contains(IpBits.of(IpAddress.bytes(address)));
    }

    /** Whether the address literal {@code address} lies in one of the networks; anything that is no address does not. */
    public boolean contains(String address) {
        if (networks.isEmpty()) {
            return false;
        }
        return contains(IpBits.parse(address));
    }

    /** Whether {@code address} lies in one of the networks; null (no address) does not. */
    public boolean contains(IpBits address) {
        if (address == null) {
            return false;
        }
        for (Cidr network : array) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    public List<Cidr> networks() {
        return networks;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkList other && networks.equals(other.networks);
    }

    @Override
    public int hashCode() {
        return networks.hashCode();
    }

    /** The list as {@link #parse} reads it back. */
    @Override
    public String toString() {
        return networks.stream().map(Cidr::toString).collect(Collectors.joining(", "));
    }
}
