package io.globalgate.net;

import io.globalgate.config.Option;
import jakarta.servlet.http.HttpServletRequest;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The one rule for a request's client address. The address is the peer's (the other end of the
 * TCP connection) unless the peer is a trusted proxy; then the proxy's {@code X-Forwarded-For}
 * (or, when there is none, {@code Forwarded: for=}) is read right to left, each hop that is
 * itself a trusted proxy is skipped, and the first hop that is not is the client.
 *
 * <p>Why right to left: every proxy appends the address it saw, so only the entries written by
 * proxies we trust are true; whatever a client wrote sits to their left and is never reached
 * while an untrusted hop comes first. An entry that is no IP address ({@code unknown}, an
 * obfuscated {@code _hidden}, garbage) ends the walk at the last hop that could be checked, the
 * trusted proxy that reported it: an attacker cannot choose an address by writing nonsense.
 * When every hop is trusted, the leftmost one is the client.
 *
 * <p>{@code X-Forwarded-For} is read in preference to {@code Forwarded} because it is what
 * common proxies (nginx, HAProxy, cloud load balancers) append to; a trusted proxy must append to
 * (or remove) the one that is read, or a client could write it.
 */
public final class ClientAddress {

    /** The sample gateway's {@code --trusted-proxies}; any host of the filter may declare it the same way. */
    public static final Option<NetworkList> TRUSTED_PROXIES = Option.of("trustedProxies", "", NetworkList.parser(),
            "comma-separated networks of proxies in front of the gateway whose X-Forwarded-For/Forwarded are believed;"
                    + " unset = none: the client address is the peer's");

    public static final String X_FORWARDED_FOR = "X-Forwarded-For";
    public static final String FORWARDED = "Forwarded";
    /** Hops beyond this many from the right are not read: no chain of real proxies is that long. */
    static final int MAX_HOPS = 64;

    private final NetworkList trusted;

    public ClientAddress(NetworkList trustedProxies) {
        this.trusted = Objects.requireNonNull(trustedProxies, "trustedProxies");
    }

    public NetworkList trustedProxies() {
        return trusted;
    }

    /** Whether {@code peer} (an address literal, brackets and port allowed) is a trusted proxy. */
    public boolean trusts(String peer) {
        InetAddress address = hop(peer);
        return address != null && trusted.contains(address);
    }

    /** The client address of {@code request}, canonical ({@code 192.0.2.7}, {@code 0:0:0:0:0:0:0:1}). */
    public String of(HttpServletRequest request) {
        if (trusted.isEmpty()) {
            return canonical(request.getRemoteAddr());
        }
        return of(request.getRemoteAddr(), Collections.list(request.getHeaders(X_FORWARDED_FOR)),
                Collections.list(request.getHeaders(FORWARDED)));
    }

    /**
     * The client address of {@code request} as {@link #of(HttpServletRequest)} finds it, read for
     * comparing with networks; null when it is no address. Without trusted proxies the peer's
     * address is read as it is, with no text made.
     */
    public IpBits bitsOf(HttpServletRequest request) {
        if (trusted.isEmpty()) {
            return hopBits(request.getRemoteAddr());
        }
        return IpBits.parse(of(request));
    }

    /** {@link #hop} as bits: the plain literals a container reports are read without an {@code InetAddress}. */
    static IpBits hopBits(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        int colon = t.indexOf(':');
        if (t.startsWith("[") || (colon >= 0 && colon == t.lastIndexOf(':'))) {
            InetAddress address = hop(t);
            return address == null ? null : IpBits.of(IpAddress.bytes(address));
        }
        return IpBits.parse(t);
    }

    /**
     * The client address given the peer's address and the request's header lines, each list in the
     * order the lines came.
     */
    public String of(String peer, List<String> xForwardedFor, List<String> forwarded) {
        String last = canonical(peer);
        InetAddress peerAddress = hop(peer);
        if (peerAddress == null || !trusted.contains(peerAddress)) {
            return last;
        }
        List<String> hops = xForwardedFor != null && !xForwardedFor.isEmpty() ? xForwardedForHops(xForwardedFor) : forwardedHops(forwarded);
        for (int i = hops.size() - 1, read = 0; i >= 0 && read < MAX_HOPS; i--, read++) {
            InetAddress address = hop(hops.get(i));
            if (address == null) {
                return last;
            }
            last = IpAddress.text(address);
            if (!trusted.contains(address)) {
                return last;
            }
        }
        return last;
    }

    /**
     * The address as a per-address limit counts it: an IPv4 address whole, an IPv6 address by its
     * /64, the block one subscriber gets.
     *
     * @param address an address in the form {@link #canonical} returns ({@code 2001:db8:0:0:0:0:0:1})
     * @return the address, or its /64 as {@code 2001:db8:0:0::/64}
     */
    public static String perSubscriber(String address) {
        if (address.indexOf(':') >= 0) {
            String[] groups = address.split(":", -1);
            if (groups.length == 8) {
                return String.join(":", groups[0], groups[1], groups[2], groups[3]) + "::/64";
            }
        }
        return address;
    }

    /** The address text as {@link #of} returns it; text that is no address comes back as it was. */
    public static String canonical(String address) {
        InetAddress parsed = hop(address);
        return parsed == null ? address : IpAddress.text(parsed);
    }

    /** One hop as proxies write it: {@code 192.0.2.7}, {@code 192.0.2.7:4711}, {@code 2001:db8::1}, {@code [2001:db8::1]:4711}. */
    static InetAddress hop(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                return null;
            }
            String rest = t.substring(close + 1);
            if (!rest.isEmpty() && !rest.matches(":[0-9]{1,5}")) {
                return null;
            }
            InetAddress address = IpAddress.parse(t.substring(1, close));
            return address != null && address.getAddress().length == 16 ? address : null;
        }
        int colon = t.indexOf(':');
        if (colon >= 0 && colon == t.lastIndexOf(':')) {
            // one colon: an IPv4 address with a port
            if (!t.substring(colon + 1).matches("[0-9]{1,5}")) {
                return null;
            }
            byte[] v4 = IpAddress.parseIpv4(t.substring(0, colon));
            return v4 == null ? null : IpAddress.parse(t.substring(0, colon));
        }
        return IpAddress.parse(t);
    }

    private static List<String> xForwardedForHops(List<String> lines) {
        List<String> hops = new ArrayList<>();
        for (String line : lines) {
            if (line == null) {
                continue;
            }
            for (String item : line.split(",", -1)) {
                hops.add(item.strip());
            }
        }
        return hops;
    }

    /** RFC 7239: elements separated by commas, pairs by semicolons, values maybe quoted; an element without {@code for=} is an unknown hop. */
    private static List<String> forwardedHops(List<String> lines) {
        List<String> hops = new ArrayList<>();
        if (lines == null) {
            return hops;
        }
        for (String line : lines) {
            if (line == null) {
                continue;
            }
            for (String element : splitOutsideQuotes(line, ',')) {
                String found = "";
                for (String pair : splitOutsideQuotes(element, ';')) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).strip().equalsIgnoreCase("for")) {
                        found = unquote(pair.substring(eq + 1).strip());
                    }
                }
                hops.add(found);
            }
        }
        return hops;
    }

    private static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\' && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < value.length() - 1; i++) {
                char c = value.charAt(i);
                if (c == '\\' && i + 1 < value.length() - 1) {
                    c = value.charAt(++i);
                }
                sb.append(c);
            }
            return sb.toString();
        }
        return value;
    }
}
