package io.globalgate.net;

import java.net.InetAddress;

/**
 * An IP address as the bits a network is compared with: IPv4 (and IPv4 mapped into IPv6) in the
 * low 32 bits of {@link #low}, IPv6 in {@link #high} and {@link #low}. Read from a literal without
 * {@link InetAddress} for the forms a container reports ({@code 192.0.2.7},
 * {@code 2001:db8:0:0:0:0:0:1}, {@code ::1}), so the allowed-networks check on every request of a
 * restricted token neither allocates an address nor copies byte arrays; any other form is read
 * by {@link IpAddress#parse}, so both ways accept and refuse exactly the same texts.
 */
public final class IpBits {

    private static final int MAX_LENGTH = 45;

    final boolean v4;
    final long high;
    final long low;

    private IpBits(boolean v4, long high, long low) {
        this.v4 = v4;
        this.high = high;
        this.low = low;
    }

    /** The address {@code text} spells, or null if it is no IPv4 or IPv6 literal: what {@link IpAddress#parse} reads. */
    public static IpBits parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            long v4 = ipv4(text);
            return v4 < 0 ? null : new IpBits(true, 0, v4);
        }
        IpBits v6 = ipv6(text);
        if (v6 != null) {
            return v6;
        }
        // Dotted tails, and whatever the plain reading above did not take: the one reader decides.
        InetAddress address = IpAddress.parse(text);
        return address == null ? null : of(IpAddress.bytes(address));
    }

    /** The address of 4 bytes (IPv4) or 16 (IPv6; mapped IPv4 counts as IPv4). */
    static IpBits of(byte[] bytes) {
        if (bytes.length == 4) {
            return new IpBits(true, 0, word(bytes, 0, 4));
        }
        return mappedOrV6(word(bytes, 0, 8), word(bytes, 8, 8));
    }

    static long word(byte[] bytes, int from, int count) {
        long w = 0;
        for (int i = from; i < from + count; i++) {
            w = w << 8 | (bytes[i] & 0xFF);
        }
        return w;
    }

    private static IpBits mappedOrV6(long high, long low) {
        if (high == 0 && (low >>> 32) == 0xFFFFL) {
            return new IpBits(true, 0, low & 0xFFFF_FFFFL);
        }
        return new IpBits(false, high, low);
    }

    /** Four decimal parts 0-255 without leading zeros, as {@link IpAddress#parseIpv4} reads them; -1 otherwise. */
    private static long ipv4(String text) {
        long value = 0;
        int parts = 0;
        int i = 0;
        int n = text.length();
        while (i <= n) {
            int start = i;
            int part = 0;
            while (i < n && text.charAt(i) != '.') {
                char c = text.charAt(i);
                if (c < '0' || c > '9' || i - start >= 3) {
                    return -1;
                }
                part = part * 10 + (c - '0');
                i++;
            }
            int length = i - start;
            if (length == 0 || (length > 1 && text.charAt(start) == '0') || part > 255 || ++parts > 4) {
                return -1;
            }
            value = value << 8 | part;
            i++; // past the dot, or past the end
        }
        return parts == 4 ? value : -1;
    }

    /**
     * The plain reading of an IPv6 literal: hex groups of 1-4 digits separated by colons, eight of
     * them or fewer around one {@code ::}; null for anything else, dotted tails included (which
     * {@link IpAddress#parse} then judges). Package-private so that a test can show which forms
     * the request path reads without allocating an address.
     */
    static IpBits ipv6(String text) {
        // A second "::" (or a ":::") leaves an empty group in the head or the tail, which groups refuses.
        int gap = text.indexOf("::");
        int n = text.length();
        int headEnd = gap < 0 ? n : gap;
        int tailStart = gap < 0 ? n : gap + 2;
        int headGroups = groups(text, 0, headEnd);
        int tailGroups = groups(text, tailStart, n);
        if (headGroups < 0 || tailGroups < 0 || (gap < 0 ? headGroups != 8 : headGroups + tailGroups > 7)) {
            return null;
        }
        long high = 0;
        long low = 0;
        int position = 0;
        int i = 0;
        while (position < 8) {
            if (position == headGroups && gap >= 0) {
                position = 8 - tailGroups; // the gap is zeros
                i = tailStart;
                if (tailGroups == 0) {
                    break;
                }
            }
            int group = 0;
            while (i < n && text.charAt(i) != ':') {
                group = group << 4 | Character.digit(text.charAt(i), 16);
                i++;
            }
            i++; // past the colon
            if (position < 4) {
                high |= (long) group << (16 * (3 - position));
            } else {
                low |= (long) group << (16 * (7 - position));
            }
            position++;
        }
        return mappedOrV6(high, low);
    }

    /** How many groups of 1-4 hex digits {@code text[from, to)} holds, colon-separated; 0 when empty, -1 when malformed. */
    private static int groups(String text, int from, int to) {
        if (from == to) {
            return 0;
        }
        int count = 1;
        int digits = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == ':') {
                if (digits == 0) {
                    return -1;
                }
                count++;
                digits = 0;
            } else if (Character.digit(c, 16) >= 0 && c < 0x80 && ++digits <= 4) {
                continue;
            } else {
                return -1;
            }
        }
        return digits == 0 ? -1 : count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpBits other && v4 == other.v4 && high == other.high && low == other.low;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high) * 31 + Long.hashCode(low) + (v4 ? 1 : 0);
    }

    @Override
    public String toString() {
        return v4 ? "IPv4 " + Long.toHexString(low) : "IPv6 " + Long.toHexString(high) + ":" + Long.toHexString(low);
    }
}
